-- 0022 (issue 14): cases (案件). A case filed from verified clues or directly, numbered per county and year, handled by a
-- department with its officers; what it involves (adits, mines, clues), parties, dismissals (人不漏案), evidence with its
-- custody log, seized property, and its history. A clue filed as a case links it; a clue names its persons.

CREATE TABLE "Cases" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "CountyCode" character varying(6) NOT NULL,
    "Year" integer NOT NULL,
    "Seq" integer NOT NULL,
    "Number" character varying(100) NOT NULL,
    "Type" character varying(30) NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Facts" character varying(4000),
    "DepartmentCode" character varying(20) NOT NULL,
    "Source" character varying(20) NOT NULL,
    "SourceNote" character varying(1000),
    "ClientId" uuid,
    "Stage" integer NOT NULL,
    "FiledOn" date NOT NULL,
    "FiledUtc" timestamp with time zone NOT NULL,
    "FiledById" uuid,
    "StageAssignmentId" uuid,
    "DecisionDueOn" date NOT NULL,
    "ExtendedTo" date,
    "ExtensionReason" character varying(1000),
    "ExtensionApprovedBy" character varying(100),
    "NoticeOn" date,
    "DefenceDueOn" date,
    "NoticeText" character varying(2000),
    "DecisionOn" date,
    "DecisionText" character varying(2000),
    "FineYuan" double precision,
    "ExecutedOn" date,
    "ExecutionNote" character varying(1000),
    "ClosedUtc" timestamp with time zone,
    "TransferReportedUtc" timestamp with time zone,
    "TransferDecidedUtc" timestamp with time zone,
    "TransferDecidedBy" character varying(100),
    "TransferRefusedReason" character varying(1000),
    "HandedOverUtc" timestamp with time zone,
    "TransferMaterials" character varying(1000),
    "PoliceUnit" character varying(100),
    "PoliceReceivedUtc" timestamp with time zone,
    "ReceiptNumber" character varying(100),
    "PoliceCaseNumber" character varying(100),
    "PoliceDecision" character varying(20),
    "PoliceDecidedUtc" timestamp with time zone,
    "AppealedUtc" timestamp with time zone,
    "AppealResult" character varying(20),
    "ReferredUtc" timestamp with time zone,
    "ReferralReason" character varying(1000),
    CONSTRAINT "PK_Cases" PRIMARY KEY ("Id")
);


CREATE TABLE "CaseDismissals" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(100) NOT NULL,
    "PartyId" uuid,
    "Reason" character varying(1000) NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "ByUserId" uuid,
    CONSTRAINT "PK_CaseDismissals" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseDismissals_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseEntries" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(30) NOT NULL,
    "Text" character varying(1000) NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "ByUserId" uuid,
    CONSTRAINT "PK_CaseEntries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseEntries_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseLinks" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(10) NOT NULL,
    "TargetId" uuid NOT NULL,
    CONSTRAINT "PK_CaseLinks" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseLinks_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseOfficers" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "UserId" uuid NOT NULL,
    CONSTRAINT "PK_CaseOfficers" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseOfficers_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseParties" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(10) NOT NULL,
    "Name" character varying(100) NOT NULL,
    "KeyPersonId" uuid,
    "IdNumberProtected" character varying(1000),
    "IdNumberHash" character varying(64),
    "IdNumberLast4" character varying(4),
    "CreditCode" character varying(18),
    "Role" character varying(100),
    "AddedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_CaseParties" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseParties_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseSeizures" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Description" character varying(500) NOT NULL,
    "WeightKg" double precision,
    "ValueYuan" double precision,
    "ValuedBy" character varying(200),
    "Plate" character varying(20),
    "Quantity" integer,
    "StoragePlace" character varying(200) NOT NULL,
    "Keeper" character varying(100) NOT NULL,
    "NamedPersons" character varying(1000),
    "SeizedUtc" timestamp with time zone NOT NULL,
    "Disposal" character varying(20),
    "DisposedOn" date,
    "DisposalDocument" character varying(200),
    CONSTRAINT "PK_CaseSeizures" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseSeizures_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseEvidence" (
    "Id" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Title" character varying(200) NOT NULL,
    "StoredFileId" uuid,
    "FileName" character varying(200),
    "ContentType" character varying(100),
    "Sha256" character varying(64),
    "CollectedBy" character varying(100) NOT NULL,
    "CollectedUtc" timestamp with time zone NOT NULL,
    "Place" character varying(200) NOT NULL,
    "Holder" character varying(100) NOT NULL,
    "NamedPersons" character varying(1000),
    "AddedUtc" timestamp with time zone NOT NULL,
    "WithdrawnUtc" timestamp with time zone,
    "WithdrawReason" character varying(1000),
    CONSTRAINT "PK_CaseEvidence" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseEvidence_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CaseEvidence_StoredFiles_StoredFileId" FOREIGN KEY ("StoredFileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseCustody" (
    "Id" uuid NOT NULL,
    "EvidenceId" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "FromHolder" character varying(100) NOT NULL,
    "ToHolder" character varying(100) NOT NULL,
    "Note" character varying(1000),
    "AtUtc" timestamp with time zone NOT NULL,
    "ByUserId" uuid,
    CONSTRAINT "PK_CaseCustody" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CaseCustody_CaseEvidence_EvidenceId" FOREIGN KEY ("EvidenceId") REFERENCES "CaseEvidence" ("Id") ON DELETE RESTRICT
);

ALTER TABLE "Clues" ADD "CaseId" uuid;

ALTER TABLE "Clues" ADD "NamedPersons" character varying(1000);

CREATE INDEX "IX_CaseCustody_EvidenceId_AtUtc" ON "CaseCustody" ("EvidenceId", "AtUtc");

CREATE INDEX "IX_CaseDismissals_CaseId" ON "CaseDismissals" ("CaseId");

CREATE INDEX "IX_CaseEntries_CaseId_AtUtc" ON "CaseEntries" ("CaseId", "AtUtc");

CREATE INDEX "IX_CaseEvidence_CaseId" ON "CaseEvidence" ("CaseId");

CREATE INDEX "IX_CaseEvidence_StoredFileId" ON "CaseEvidence" ("StoredFileId");

CREATE UNIQUE INDEX "IX_CaseLinks_CaseId_Kind_TargetId" ON "CaseLinks" ("CaseId", "Kind", "TargetId");

CREATE INDEX "IX_CaseLinks_Kind_TargetId" ON "CaseLinks" ("Kind", "TargetId");

CREATE UNIQUE INDEX "IX_CaseOfficers_CaseId_UserId" ON "CaseOfficers" ("CaseId", "UserId");

CREATE INDEX "IX_CaseOfficers_UserId" ON "CaseOfficers" ("UserId");

CREATE INDEX "IX_CaseParties_CaseId" ON "CaseParties" ("CaseId");

CREATE INDEX "IX_CaseParties_IdNumberHash" ON "CaseParties" ("IdNumberHash");

CREATE INDEX "IX_CaseParties_Name" ON "CaseParties" ("Name");

CREATE UNIQUE INDEX "IX_Cases_ClientId" ON "Cases" ("ClientId");

CREATE UNIQUE INDEX "IX_Cases_CountyCode_Year_Seq" ON "Cases" ("CountyCode", "Year", "Seq");

CREATE INDEX "IX_Cases_DivisionCode_Stage_FiledUtc" ON "Cases" ("DivisionCode", "Stage", "FiledUtc");

CREATE UNIQUE INDEX "IX_Cases_Number" ON "Cases" ("Number");

CREATE INDEX "IX_CaseSeizures_CaseId" ON "CaseSeizures" ("CaseId");

CREATE INDEX "IX_CaseSeizures_Plate" ON "CaseSeizures" ("Plate");

CREATE INDEX "IX_Clues_CaseId" ON "Clues" ("CaseId");

