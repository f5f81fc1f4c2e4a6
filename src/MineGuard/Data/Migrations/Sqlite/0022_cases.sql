-- 0022 (issue 14): cases (案件). A case filed from verified clues or directly, numbered per county and year, handled by a
-- department with its officers; what it involves (adits, mines, clues), parties, dismissals (人不漏案), evidence with its
-- custody log, seized property, and its history. A clue filed as a case links it; a clue names its persons.

CREATE TABLE "Cases" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Cases" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "Year" INTEGER NOT NULL,
    "Seq" INTEGER NOT NULL,
    "Number" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Facts" TEXT NULL,
    "DepartmentCode" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "SourceNote" TEXT NULL,
    "ClientId" TEXT NULL,
    "Stage" INTEGER NOT NULL,
    "FiledOn" TEXT NOT NULL,
    "FiledUtc" TEXT NOT NULL,
    "FiledById" TEXT NULL,
    "StageAssignmentId" TEXT NULL,
    "DecisionDueOn" TEXT NOT NULL,
    "ExtendedTo" TEXT NULL,
    "ExtensionReason" TEXT NULL,
    "ExtensionApprovedBy" TEXT NULL,
    "NoticeOn" TEXT NULL,
    "DefenceDueOn" TEXT NULL,
    "NoticeText" TEXT NULL,
    "DecisionOn" TEXT NULL,
    "DecisionText" TEXT NULL,
    "FineYuan" REAL NULL,
    "ExecutedOn" TEXT NULL,
    "ExecutionNote" TEXT NULL,
    "ClosedUtc" TEXT NULL,
    "TransferReportedUtc" TEXT NULL,
    "TransferDecidedUtc" TEXT NULL,
    "TransferDecidedBy" TEXT NULL,
    "TransferRefusedReason" TEXT NULL,
    "HandedOverUtc" TEXT NULL,
    "TransferMaterials" TEXT NULL,
    "PoliceUnit" TEXT NULL,
    "PoliceReceivedUtc" TEXT NULL,
    "ReceiptNumber" TEXT NULL,
    "PoliceCaseNumber" TEXT NULL,
    "PoliceDecision" TEXT NULL,
    "PoliceDecidedUtc" TEXT NULL,
    "AppealedUtc" TEXT NULL,
    "AppealResult" TEXT NULL,
    "ReferredUtc" TEXT NULL,
    "ReferralReason" TEXT NULL
);

CREATE TABLE "CaseDismissals" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseDismissals" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "PartyId" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "ByUserId" TEXT NULL,
    CONSTRAINT "FK_CaseDismissals_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseEntries" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "ByUserId" TEXT NULL,
    CONSTRAINT "FK_CaseEntries_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseLinks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseLinks" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    CONSTRAINT "FK_CaseLinks_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseOfficers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseOfficers" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "FK_CaseOfficers_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseParties" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseParties" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "KeyPersonId" TEXT NULL,
    "IdNumberProtected" TEXT NULL,
    "IdNumberHash" TEXT NULL,
    "IdNumberLast4" TEXT NULL,
    "CreditCode" TEXT NULL,
    "Role" TEXT NULL,
    "AddedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_CaseParties_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseSeizures" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseSeizures" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "WeightKg" REAL NULL,
    "ValueYuan" REAL NULL,
    "ValuedBy" TEXT NULL,
    "Plate" TEXT NULL,
    "Quantity" INTEGER NULL,
    "StoragePlace" TEXT NOT NULL,
    "Keeper" TEXT NOT NULL,
    "NamedPersons" TEXT NULL,
    "SeizedUtc" TEXT NOT NULL,
    "Disposal" TEXT NULL,
    "DisposedOn" TEXT NULL,
    "DisposalDocument" TEXT NULL,
    CONSTRAINT "FK_CaseSeizures_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseEvidence" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseEvidence" PRIMARY KEY,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "StoredFileId" TEXT NULL,
    "FileName" TEXT NULL,
    "ContentType" TEXT NULL,
    "Sha256" TEXT NULL,
    "CollectedBy" TEXT NOT NULL,
    "CollectedUtc" TEXT NOT NULL,
    "Place" TEXT NOT NULL,
    "Holder" TEXT NOT NULL,
    "NamedPersons" TEXT NULL,
    "AddedUtc" TEXT NOT NULL,
    "WithdrawnUtc" TEXT NULL,
    "WithdrawReason" TEXT NULL,
    CONSTRAINT "FK_CaseEvidence_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CaseEvidence_StoredFiles_StoredFileId" FOREIGN KEY ("StoredFileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CaseCustody" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseCustody" PRIMARY KEY,
    "EvidenceId" TEXT NOT NULL,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "FromHolder" TEXT NOT NULL,
    "ToHolder" TEXT NOT NULL,
    "Note" TEXT NULL,
    "AtUtc" TEXT NOT NULL,
    "ByUserId" TEXT NULL,
    CONSTRAINT "FK_CaseCustody_CaseEvidence_EvidenceId" FOREIGN KEY ("EvidenceId") REFERENCES "CaseEvidence" ("Id") ON DELETE RESTRICT
);

ALTER TABLE "Clues" ADD "CaseId" TEXT NULL;

ALTER TABLE "Clues" ADD "NamedPersons" TEXT NULL;

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

