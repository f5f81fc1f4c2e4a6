-- Tips (举报线索), attachments, messages, reward rules and rewards; petitions (信访事项).

CREATE TABLE "Petitions" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Number" character varying(50) NOT NULL,
    "ReceivedOn" date NOT NULL,
    "Petitioner" character varying(100),
    "Contact" character varying(100),
    "Nature" integer NOT NULL,
    "Content" character varying(4000) NOT NULL,
    "DepartmentCode" character varying(40) NOT NULL,
    "DueOn" date NOT NULL,
    "Status" integer NOT NULL,
    "Reply" character varying(4000),
    "RepliedUtc" timestamp with time zone,
    "RepliedById" uuid,
    "ArchivedUtc" timestamp with time zone,
    "EscalatedUtc" timestamp with time zone,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "CreatedById" uuid,
    CONSTRAINT "PK_Petitions" PRIMARY KEY ("Id")
);

CREATE TABLE "RewardRules" (
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "VerifiedAmount" integer NOT NULL,
    "CaseAmount" integer NOT NULL,
    "PayWithinDays" integer NOT NULL,
    "Text" character varying(1000),
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_RewardRules" PRIMARY KEY ("DivisionCode")
);

CREATE TABLE "Tips" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "CountyCode" character varying(24) NOT NULL,
    "Channel" integer NOT NULL,
    "Kinds" character varying(200) NOT NULL,
    "Description" character varying(4000) NOT NULL,
    "Place" character varying(500),
    "Lon" double precision,
    "Lat" double precision,
    "SeenWhen" character varying(100),
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "ReceiptLocator" character varying(16) NOT NULL,
    "ReceiptHash" character varying(100) NOT NULL,
    "ReceiptSalt" character varying(100) NOT NULL,
    "ReceiptIterations" integer NOT NULL,
    "IsNamed" boolean NOT NULL,
    "TipsterProtected" character varying(4000),
    "Status" integer NOT NULL,
    "TriageNote" character varying(1000),
    "MergedIntoId" uuid,
    "AditId" uuid,
    "AssignedDivisionCode" character varying(24),
    "AssignedDepartmentCode" character varying(40),
    "DueOn" date,
    "AssignedUtc" timestamp with time zone,
    "Outcome" integer,
    "VerificationNote" character varying(4000),
    "VerifiedUtc" timestamp with time zone,
    "VerifiedById" uuid,
    "CaseNumber" character varying(100),
    "CaseFiledOn" date,
    "AwaitingTipster" boolean NOT NULL,
    "IsDemo" boolean NOT NULL,
    CONSTRAINT "PK_Tips" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Tips_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Tips_Tips_MergedIntoId" FOREIGN KEY ("MergedIntoId") REFERENCES "Tips" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Rewards" (
    "Id" uuid NOT NULL,
    "TipId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Tier" integer NOT NULL,
    "Amount" integer NOT NULL,
    "Status" integer NOT NULL,
    "ProposedUtc" timestamp with time zone NOT NULL,
    "VerifiedUtc" timestamp with time zone NOT NULL,
    "PayBy" date NOT NULL,
    "ApprovedUtc" timestamp with time zone,
    "ApprovedById" uuid,
    "RefusedReason" character varying(1000),
    "ClaimedUtc" timestamp with time zone,
    "ClaimProtected" character varying(4000),
    "PaidOn" date,
    "PaidUtc" timestamp with time zone,
    "PaidAmount" integer,
    "PaidMethod" character varying(100),
    "PaidReference" character varying(200),
    "PaidById" uuid,
    CONSTRAINT "PK_Rewards" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Rewards_Tips_TipId" FOREIGN KEY ("TipId") REFERENCES "Tips" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "TipAttachments" (
    "Id" uuid NOT NULL,
    "TipId" uuid NOT NULL,
    "StoredFileId" uuid NOT NULL,
    "ContentType" character varying(100) NOT NULL,
    "Length" bigint NOT NULL,
    "TakenUtc" timestamp with time zone,
    "Lon" double precision,
    "Lat" double precision,
    CONSTRAINT "PK_TipAttachments" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_TipAttachments_StoredFiles_StoredFileId" FOREIGN KEY ("StoredFileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_TipAttachments_Tips_TipId" FOREIGN KEY ("TipId") REFERENCES "Tips" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TipMessages" (
    "Id" uuid NOT NULL,
    "TipId" uuid NOT NULL,
    "FromOffice" boolean NOT NULL,
    "Text" character varying(2000) NOT NULL,
    "AuthorUserId" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_TipMessages" PRIMARY KEY ("Id"),
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
