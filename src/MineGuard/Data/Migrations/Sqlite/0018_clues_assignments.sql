-- Clues (线索) and assignments (督办事项), issue 12. Every follow-up item becomes an assignment with the same id,
-- status, text, assignee and who/when; the FollowUps table is kept as it was.
CREATE TABLE "Clues" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Clues" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "Summary" TEXT NOT NULL,
    "DepartmentCode" TEXT NULL,
    "State" INTEGER NOT NULL,
    "MergedIntoId" TEXT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "VerifierPersonId" TEXT NULL,
    "VerifyDueUtc" TEXT NULL,
    "AssignedUtc" TEXT NULL,
    "Finding" INTEGER NULL,
    "Evidence" TEXT NULL,
    "VerifiedByName" TEXT NULL,
    "VerifiedById" TEXT NULL,
    "VerifiedUtc" TEXT NULL,
    "Outcome" INTEGER NULL,
    "OutcomeNote" TEXT NULL,
    "AssignmentId" TEXT NULL,
    "TransferredTo" TEXT NULL,
    "TransferReceivedBy" TEXT NULL,
    "TransferReceivedUtc" TEXT NULL,
    "ClosedUtc" TEXT NULL,
    "ClosedById" TEXT NULL,
    "EscalationLevel" INTEGER NOT NULL,
    CONSTRAINT "FK_Clues_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Clues_Persons_VerifierPersonId" FOREIGN KEY ("VerifierPersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ClueSources" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ClueSources" PRIMARY KEY,
    "ClueId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "SourceId" TEXT NULL,
    "Summary" TEXT NOT NULL,
    "AddedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_ClueSources_Clues_ClueId" FOREIGN KEY ("ClueId") REFERENCES "Clues" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ClueEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ClueEntries" PRIMARY KEY,
    "ClueId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "ByUserId" TEXT NULL,
    CONSTRAINT "FK_ClueEntries_Clues_ClueId" FOREIGN KEY ("ClueId") REFERENCES "Clues" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Assignments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Assignments" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "Kind" TEXT NOT NULL,
    "SourceType" TEXT NOT NULL,
    "SourceId" TEXT NULL,
    "Title" TEXT NOT NULL,
    "Detail" TEXT NULL,
    "ResponsibleUnit" TEXT NULL,
    "ResponsiblePersonId" TEXT NULL,
    "ResponsibleUserId" TEXT NULL,
    "DepartmentCode" TEXT NULL,
    "DueOn" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "Measures" TEXT NULL,
    "CompletedUtc" TEXT NULL,
    "CompletedById" TEXT NULL,
    "Resolution" TEXT NULL,
    "ClosedUtc" TEXT NULL,
    "ClosedById" TEXT NULL,
    "Reopens" INTEGER NOT NULL,
    "EscalationLevel" INTEGER NOT NULL,
    "HiddenBelow" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "CreatedById" TEXT NULL,
    CONSTRAINT "FK_Assignments_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Assignments_AspNetUsers_ResponsibleUserId" FOREIGN KEY ("ResponsibleUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Assignments_Persons_ResponsiblePersonId" FOREIGN KEY ("ResponsiblePersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "EvidenceFiles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_EvidenceFiles" PRIMARY KEY,
    "SubjectType" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "StoredFileId" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "AddedUtc" TEXT NOT NULL,
    "AddedById" TEXT NULL,
    CONSTRAINT "FK_EvidenceFiles_StoredFiles_StoredFileId" FOREIGN KEY ("StoredFileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Assignments_AditId" ON "Assignments" ("AditId");

CREATE INDEX "IX_Assignments_DivisionCode_Status_DueOn" ON "Assignments" ("DivisionCode", "Status", "DueOn");

CREATE INDEX "IX_Assignments_ResponsiblePersonId" ON "Assignments" ("ResponsiblePersonId");

CREATE INDEX "IX_Assignments_ResponsibleUserId" ON "Assignments" ("ResponsibleUserId");

CREATE INDEX "IX_Assignments_SourceType_SourceId" ON "Assignments" ("SourceType", "SourceId");

CREATE INDEX "IX_ClueEntries_ClueId_AtUtc" ON "ClueEntries" ("ClueId", "AtUtc");

CREATE INDEX "IX_Clues_AditId_ReceivedUtc" ON "Clues" ("AditId", "ReceivedUtc");

CREATE INDEX "IX_Clues_DivisionCode_State_ReceivedUtc" ON "Clues" ("DivisionCode", "State", "ReceivedUtc");

CREATE INDEX "IX_Clues_VerifierPersonId" ON "Clues" ("VerifierPersonId");

CREATE INDEX "IX_ClueSources_ClueId" ON "ClueSources" ("ClueId");

CREATE INDEX "IX_ClueSources_Type_SourceId" ON "ClueSources" ("Type", "SourceId");

CREATE INDEX "IX_EvidenceFiles_StoredFileId" ON "EvidenceFiles" ("StoredFileId");

CREATE INDEX "IX_EvidenceFiles_SubjectType_SubjectId" ON "EvidenceFiles" ("SubjectType", "SubjectId");

INSERT INTO "Assignments" ("Id", "DivisionCode", "AditId", "Kind", "SourceType", "SourceId", "Title", "Detail", "ResponsibleUnit", "ResponsiblePersonId", "ResponsibleUserId", "DepartmentCode", "DueOn", "Status", "Measures", "CompletedUtc", "CompletedById", "Resolution", "ClosedUtc", "ClosedById", "Reopens", "EscalationLevel", "HiddenBelow", "CreatedUtc", "CreatedById")
SELECT "Id", "DivisionCode", "AditId", 'follow-up', "SourceType", "SourceId", "Title", "Detail", NULL, NULL, "AssigneeUserId", NULL, "DueOn", "Status", NULL, "ClosedUtc", "ClosedById", "Resolution", "ClosedUtc", "ClosedById", 0, 0, NULL, "CreatedUtc", "CreatedById"
FROM "FollowUps";
