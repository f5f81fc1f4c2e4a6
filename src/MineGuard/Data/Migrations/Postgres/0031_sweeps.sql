-- 0031 (issue 17): sweeps (排查行动) with their areas and checklist templates (the eight checks are built in, not
-- stored), inspections (检查记录, the client's id, answers as JSON, payload hash for the sync guarantee) and the problem
-- ledger (问题台账: a problem's clue, or its rectification item, an assignment of kind rectification; repeats counted).

CREATE TABLE "ChecklistTemplates" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Questions" character varying(4000) NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "CreatedById" uuid,
    CONSTRAINT "PK_ChecklistTemplates" PRIMARY KEY ("Id")
);

CREATE TABLE "Sweeps" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "EarlierSweepId" uuid,
    "FromDate" date NOT NULL,
    "ToDate" date NOT NULL,
    "TemplateId" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "CreatedById" uuid,
    CONSTRAINT "PK_Sweeps" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Sweeps_ChecklistTemplates_TemplateId" FOREIGN KEY ("TemplateId") REFERENCES "ChecklistTemplates" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Sweeps_Sweeps_EarlierSweepId" FOREIGN KEY ("EarlierSweepId") REFERENCES "Sweeps" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SweepAreas" (
    "Id" uuid NOT NULL,
    "SweepId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Assignees" character varying(200),
    CONSTRAINT "PK_SweepAreas" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SweepAreas_Sweeps_SweepId" FOREIGN KEY ("SweepId") REFERENCES "Sweeps" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Inspections" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "SweepId" uuid,
    "PlaceKind" character varying(20) NOT NULL,
    "AditId" uuid,
    "MineId" uuid,
    "PlaceName" character varying(200) NOT NULL,
    "Lon" double precision,
    "Lat" double precision,
    "TemplateId" uuid,
    "Answers" character varying(4000) NOT NULL,
    "Note" character varying(2000),
    "InspectorId" uuid,
    "InspectorName" character varying(100) NOT NULL,
    "SignerName" character varying(100) NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "PayloadHash" character varying(64) NOT NULL,
    CONSTRAINT "PK_Inspections" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Inspections_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Inspections_Sweeps_SweepId" FOREIGN KEY ("SweepId") REFERENCES "Sweeps" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Problems" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "InspectionId" uuid NOT NULL,
    "SweepId" uuid,
    "Seq" integer NOT NULL,
    "Classification" character varying(20) NOT NULL,
    "Description" character varying(1000) NOT NULL,
    "Place" character varying(200) NOT NULL,
    "AditId" uuid,
    "MineId" uuid,
    "ClueId" uuid,
    "CaseId" uuid,
    "IsLead" boolean NOT NULL,
    "FoundUtc" timestamp with time zone NOT NULL,
    "FoundById" uuid,
    "FoundByName" character varying(100) NOT NULL,
    "SignerName" character varying(100) NOT NULL,
    "AssignmentId" uuid,
    "Requirement" character varying(1000),
    "Measures" character varying(1000),
    "Repeats" integer NOT NULL,
    CONSTRAINT "PK_Problems" PRIMARY KEY ("Id"),
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
