-- Clues (线索) and assignments (督办事项), issue 12. Every follow-up item becomes an assignment with the same id,
-- status, text, assignee and who/when; the FollowUps table is kept as it was.
CREATE TABLE "Clues" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "AditId" uuid,
    "Summary" character varying(1000) NOT NULL,
    "DepartmentCode" character varying(20),
    "State" integer NOT NULL,
    "MergedIntoId" uuid,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "VerifierPersonId" uuid,
    "VerifyDueUtc" timestamp with time zone,
    "AssignedUtc" timestamp with time zone,
    "Finding" integer,
    "Evidence" character varying(4000),
    "VerifiedByName" character varying(100),
    "VerifiedById" uuid,
    "VerifiedUtc" timestamp with time zone,
    "Outcome" integer,
    "OutcomeNote" character varying(2000),
    "AssignmentId" uuid,
    "TransferredTo" character varying(100),
    "TransferReceivedBy" character varying(100),
    "TransferReceivedUtc" timestamp with time zone,
    "ClosedUtc" timestamp with time zone,
    "ClosedById" uuid,
    "EscalationLevel" integer NOT NULL,
    CONSTRAINT "PK_Clues" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Clues_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Clues_Persons_VerifierPersonId" FOREIGN KEY ("VerifierPersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ClueSources" (
    "Id" uuid NOT NULL,
    "ClueId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Type" character varying(30) NOT NULL,
    "SourceId" uuid,
    "Summary" character varying(1000) NOT NULL,
    "AddedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ClueSources" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ClueSources_Clues_ClueId" FOREIGN KEY ("ClueId") REFERENCES "Clues" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ClueEntries" (
    "Id" uuid NOT NULL,
    "ClueId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(30) NOT NULL,
    "Text" character varying(1000) NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "ByUserId" uuid,
    CONSTRAINT "PK_ClueEntries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ClueEntries_Clues_ClueId" FOREIGN KEY ("ClueId") REFERENCES "Clues" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Assignments" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "AditId" uuid,
    "Kind" character varying(30) NOT NULL,
    "SourceType" character varying(40) NOT NULL,
    "SourceId" uuid,
    "Title" character varying(200) NOT NULL,
    "Detail" character varying(2000),
    "ResponsibleUnit" character varying(100),
    "ResponsiblePersonId" uuid,
    "ResponsibleUserId" uuid,
    "DepartmentCode" character varying(20),
    "DueOn" date,
    "Status" integer NOT NULL,
    "Measures" character varying(2000),
    "CompletedUtc" timestamp with time zone,
    "CompletedById" uuid,
    "Resolution" character varying(2000),
    "ClosedUtc" timestamp with time zone,
    "ClosedById" uuid,
    "Reopens" integer NOT NULL,
    "EscalationLevel" integer NOT NULL,
    "HiddenBelow" character varying(24),
    "CreatedUtc" timestamp with time zone NOT NULL,
    "CreatedById" uuid,
    CONSTRAINT "PK_Assignments" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Assignments_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Assignments_AspNetUsers_ResponsibleUserId" FOREIGN KEY ("ResponsibleUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Assignments_Persons_ResponsiblePersonId" FOREIGN KEY ("ResponsiblePersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "EvidenceFiles" (
    "Id" uuid NOT NULL,
    "SubjectType" character varying(20) NOT NULL,
    "SubjectId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "StoredFileId" uuid NOT NULL,
    "FileName" character varying(200) NOT NULL,
    "ContentType" character varying(100) NOT NULL,
    "AddedUtc" timestamp with time zone NOT NULL,
    "AddedById" uuid,
    CONSTRAINT "PK_EvidenceFiles" PRIMARY KEY ("Id"),
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
