-- Tips (举报线索), attachments, messages, reward rules and rewards; petitions (信访事项).

CREATE TABLE "Petitions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Petitions" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "ReceivedOn" TEXT NOT NULL,
    "Petitioner" TEXT NULL,
    "Contact" TEXT NULL,
    "Nature" INTEGER NOT NULL,
    "Content" TEXT NOT NULL,
    "DepartmentCode" TEXT NOT NULL,
    "DueOn" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "Reply" TEXT NULL,
    "RepliedUtc" TEXT NULL,
    "RepliedById" TEXT NULL,
    "ArchivedUtc" TEXT NULL,
    "EscalatedUtc" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE TABLE "RewardRules" (
    "DivisionCode" TEXT NOT NULL CONSTRAINT "PK_RewardRules" PRIMARY KEY,
    "VerifiedAmount" INTEGER NOT NULL,
    "CaseAmount" INTEGER NOT NULL,
    "PayWithinDays" INTEGER NOT NULL,
    "Text" TEXT NULL,
    "UpdatedUtc" TEXT NOT NULL
);

CREATE TABLE "Tips" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Tips" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "Channel" INTEGER NOT NULL,
    "Kinds" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Place" TEXT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    "SeenWhen" TEXT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "ReceiptLocator" TEXT NOT NULL,
    "ReceiptHash" TEXT NOT NULL,
    "ReceiptSalt" TEXT NOT NULL,
    "ReceiptIterations" INTEGER NOT NULL,
    "IsNamed" INTEGER NOT NULL,
    "TipsterProtected" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "TriageNote" TEXT NULL,
    "MergedIntoId" TEXT NULL,
    "AditId" TEXT NULL,
    "AssignedDivisionCode" TEXT NULL,
    "AssignedDepartmentCode" TEXT NULL,
    "DueOn" TEXT NULL,
    "AssignedUtc" TEXT NULL,
    "Outcome" INTEGER NULL,
    "VerificationNote" TEXT NULL,
    "VerifiedUtc" TEXT NULL,
    "VerifiedById" TEXT NULL,
    "CaseNumber" TEXT NULL,
    "CaseFiledOn" TEXT NULL,
    "AwaitingTipster" INTEGER NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_Tips_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Tips_Tips_MergedIntoId" FOREIGN KEY ("MergedIntoId") REFERENCES "Tips" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Rewards" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Rewards" PRIMARY KEY,
    "TipId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Tier" INTEGER NOT NULL,
    "Amount" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "ProposedUtc" TEXT NOT NULL,
    "VerifiedUtc" TEXT NOT NULL,
    "PayBy" TEXT NOT NULL,
    "ApprovedUtc" TEXT NULL,
    "ApprovedById" TEXT NULL,
    "RefusedReason" TEXT NULL,
    "ClaimedUtc" TEXT NULL,
    "ClaimProtected" TEXT NULL,
    "PaidOn" TEXT NULL,
    "PaidUtc" TEXT NULL,
    "PaidAmount" INTEGER NULL,
    "PaidMethod" TEXT NULL,
    "PaidReference" TEXT NULL,
    "PaidById" TEXT NULL,
    CONSTRAINT "FK_Rewards_Tips_TipId" FOREIGN KEY ("TipId") REFERENCES "Tips" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "TipAttachments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TipAttachments" PRIMARY KEY,
    "TipId" TEXT NOT NULL,
    "StoredFileId" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Length" INTEGER NOT NULL,
    "TakenUtc" TEXT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    CONSTRAINT "FK_TipAttachments_StoredFiles_StoredFileId" FOREIGN KEY ("StoredFileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_TipAttachments_Tips_TipId" FOREIGN KEY ("TipId") REFERENCES "Tips" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TipMessages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TipMessages" PRIMARY KEY,
    "TipId" TEXT NOT NULL,
    "FromOffice" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "AuthorUserId" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_TipMessages_Tips_TipId" FOREIGN KEY ("TipId") REFERENCES "Tips" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Petitions_DepartmentCode_Status" ON "Petitions" ("DepartmentCode", "Status");

CREATE INDEX "IX_Petitions_DivisionCode_Status_DueOn" ON "Petitions" ("DivisionCode", "Status", "DueOn");

CREATE INDEX "IX_Rewards_DivisionCode_Status" ON "Rewards" ("DivisionCode", "Status");

CREATE INDEX "IX_Rewards_TipId" ON "Rewards" ("TipId");

CREATE INDEX "IX_TipAttachments_StoredFileId" ON "TipAttachments" ("StoredFileId");

CREATE INDEX "IX_TipAttachments_TipId" ON "TipAttachments" ("TipId");

CREATE INDEX "IX_TipMessages_TipId_CreatedUtc" ON "TipMessages" ("TipId", "CreatedUtc");

CREATE INDEX "IX_Tips_AditId" ON "Tips" ("AditId");

CREATE INDEX "IX_Tips_CountyCode_ReceivedUtc" ON "Tips" ("CountyCode", "ReceivedUtc");

CREATE INDEX "IX_Tips_DivisionCode_Status_ReceivedUtc" ON "Tips" ("DivisionCode", "Status", "ReceivedUtc");

CREATE INDEX "IX_Tips_MergedIntoId" ON "Tips" ("MergedIntoId");

CREATE UNIQUE INDEX "IX_Tips_ReceiptLocator" ON "Tips" ("ReceiptLocator");
