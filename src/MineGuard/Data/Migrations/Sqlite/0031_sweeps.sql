-- 0031 (issue 17): sweeps (排查行动) with their areas and checklist templates (the eight checks are built in, not
-- stored), inspections (检查记录, the client's id, answers as JSON, payload hash for the sync guarantee) and the problem
-- ledger (问题台账: a problem's clue, or its rectification item, an assignment of kind rectification; repeats counted).

CREATE TABLE "ChecklistTemplates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ChecklistTemplates" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Questions" TEXT NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE TABLE "Sweeps" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Sweeps" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "EarlierSweepId" TEXT NULL,
    "FromDate" TEXT NOT NULL,
    "ToDate" TEXT NOT NULL,
    "TemplateId" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "CreatedById" TEXT NULL,
    CONSTRAINT "FK_Sweeps_ChecklistTemplates_TemplateId" FOREIGN KEY ("TemplateId") REFERENCES "ChecklistTemplates" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Sweeps_Sweeps_EarlierSweepId" FOREIGN KEY ("EarlierSweepId") REFERENCES "Sweeps" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SweepAreas" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SweepAreas" PRIMARY KEY,
    "SweepId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Assignees" TEXT NULL,
    CONSTRAINT "FK_SweepAreas_Sweeps_SweepId" FOREIGN KEY ("SweepId") REFERENCES "Sweeps" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Inspections" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Inspections" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "SweepId" TEXT NULL,
    "PlaceKind" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "MineId" TEXT NULL,
    "PlaceName" TEXT NOT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    "TemplateId" TEXT NULL,
    "Answers" TEXT NOT NULL,
    "Note" TEXT NULL,
    "InspectorId" TEXT NULL,
    "InspectorName" TEXT NOT NULL,
    "SignerName" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "PayloadHash" TEXT NOT NULL,
    CONSTRAINT "FK_Inspections_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Inspections_Sweeps_SweepId" FOREIGN KEY ("SweepId") REFERENCES "Sweeps" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Problems" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Problems" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "InspectionId" TEXT NOT NULL,
    "SweepId" TEXT NULL,
    "Seq" INTEGER NOT NULL,
    "Classification" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Place" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "MineId" TEXT NULL,
    "ClueId" TEXT NULL,
    "CaseId" TEXT NULL,
    "IsLead" INTEGER NOT NULL,
    "FoundUtc" TEXT NOT NULL,
    "FoundById" TEXT NULL,
    "FoundByName" TEXT NOT NULL,
    "SignerName" TEXT NOT NULL,
    "AssignmentId" TEXT NULL,
    "Requirement" TEXT NULL,
    "Measures" TEXT NULL,
    "Repeats" INTEGER NOT NULL,
    CONSTRAINT "FK_Problems_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Problems_Assignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "Assignments" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Problems_Inspections_InspectionId" FOREIGN KEY ("InspectionId") REFERENCES "Inspections" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_ChecklistTemplates_DivisionCode" ON "ChecklistTemplates" ("DivisionCode");

CREATE INDEX "IX_Inspections_AditId" ON "Inspections" ("AditId");

CREATE INDEX "IX_Inspections_DivisionCode_AtUtc" ON "Inspections" ("DivisionCode", "AtUtc");

CREATE INDEX "IX_Inspections_SweepId_DivisionCode" ON "Inspections" ("SweepId", "DivisionCode");

CREATE INDEX "IX_Problems_AditId" ON "Problems" ("AditId");

CREATE INDEX "IX_Problems_AssignmentId" ON "Problems" ("AssignmentId");

CREATE INDEX "IX_Problems_DivisionCode_FoundUtc" ON "Problems" ("DivisionCode", "FoundUtc");

CREATE UNIQUE INDEX "IX_Problems_InspectionId_Seq" ON "Problems" ("InspectionId", "Seq");

CREATE UNIQUE INDEX "IX_SweepAreas_SweepId_DivisionCode" ON "SweepAreas" ("SweepId", "DivisionCode");

CREATE INDEX "IX_Sweeps_DivisionCode_FromDate" ON "Sweeps" ("DivisionCode", "FromDate");

CREATE INDEX "IX_Sweeps_EarlierSweepId" ON "Sweeps" ("EarlierSweepId");

CREATE INDEX "IX_Sweeps_TemplateId" ON "Sweeps" ("TemplateId");
