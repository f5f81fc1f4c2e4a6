-- 0037 (issue 19, campaigns): 专项行动 — the national plan and the province, city and county campaigns adopting it (level,
-- plan document, parent), their phases (dates, report day, the report's assignment), tasks per phase (each an assignment)
-- and the phase reports (file and figures); joint operations and joint meetings.

CREATE TABLE "Campaigns" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Level" character varying(20) NOT NULL,
    "ParentId" uuid,
    "Title" character varying(200) NOT NULL,
    "DocumentNumber" character varying(100),
    "PlanFileId" uuid,
    "PlanFileName" character varying(200),
    "IsDemo" boolean NOT NULL,
    "ClientId" uuid,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Campaigns" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Campaigns_Campaigns_ParentId" FOREIGN KEY ("ParentId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CampaignPhases" (
    "Id" uuid NOT NULL,
    "CampaignId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Ordinal" integer NOT NULL,
    "Name" character varying(100) NOT NULL,
    "StartsOn" date NOT NULL,
    "EndsOn" date NOT NULL,
    "ReportDueOn" date NOT NULL,
    "ReportAssignmentId" uuid,
    CONSTRAINT "PK_CampaignPhases" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CampaignPhases_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CampaignReports" (
    "Id" uuid NOT NULL,
    "CampaignId" uuid NOT NULL,
    "PhaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "FileId" uuid NOT NULL,
    "FileName" character varying(200) NOT NULL,
    "Adits" integer NOT NULL,
    "Problems" integer NOT NULL,
    "Rectified" integer NOT NULL,
    "Cases" integer NOT NULL,
    "Note" character varying(2000),
    "Late" boolean NOT NULL,
    "SubmittedById" uuid,
    "SubmittedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_CampaignReports" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CampaignReports_CampaignPhases_PhaseId" FOREIGN KEY ("PhaseId") REFERENCES "CampaignPhases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CampaignTasks" (
    "Id" uuid NOT NULL,
    "CampaignId" uuid NOT NULL,
    "PhaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "DepartmentCode" character varying(20),
    "Title" character varying(200) NOT NULL,
    "DueOn" date NOT NULL,
    "AssignmentId" uuid NOT NULL,
    "ClientId" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_CampaignTasks" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CampaignTasks_CampaignPhases_PhaseId" FOREIGN KEY ("PhaseId") REFERENCES "CampaignPhases" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CampaignTasks_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_CampaignPhases_CampaignId_Ordinal" ON "CampaignPhases" ("CampaignId", "Ordinal");

CREATE INDEX "IX_CampaignReports_CampaignId" ON "CampaignReports" ("CampaignId");

CREATE UNIQUE INDEX "IX_CampaignReports_PhaseId" ON "CampaignReports" ("PhaseId");

CREATE UNIQUE INDEX "IX_Campaigns_ClientId" ON "Campaigns" ("ClientId");

CREATE INDEX "IX_Campaigns_DivisionCode" ON "Campaigns" ("DivisionCode");

CREATE UNIQUE INDEX "IX_Campaigns_ParentId_DivisionCode" ON "Campaigns" ("ParentId", "DivisionCode");

CREATE INDEX "IX_CampaignTasks_CampaignId" ON "CampaignTasks" ("CampaignId");

CREATE UNIQUE INDEX "IX_CampaignTasks_ClientId" ON "CampaignTasks" ("ClientId");

CREATE INDEX "IX_CampaignTasks_PhaseId" ON "CampaignTasks" ("PhaseId");

-- Joint operations (联合执法行动) with their seizures, and joint meetings (联席会议; decisions are assignments).

CREATE TABLE "JointOperations" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "OnDate" date NOT NULL,
    "Area" character varying(200) NOT NULL,
    "Departments" character varying(400) NOT NULL,
    "People" character varying(1000),
    "Targets" character varying(2000),
    "Findings" character varying(2000),
    "NextAssignmentId" uuid,
    "ClientId" uuid,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_JointOperations" PRIMARY KEY ("Id")
);

CREATE TABLE "Meetings" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "OnDate" date NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Departments" character varying(400) NOT NULL,
    "Participants" character varying(4000) NOT NULL,
    "ClueIds" character varying(4000),
    "CaseIds" character varying(4000),
    "Minutes" character varying(4000),
    "ClientId" uuid,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Meetings" PRIMARY KEY ("Id")
);

CREATE TABLE "JointOperationSeizures" (
    "Id" uuid NOT NULL,
    "OperationId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Description" character varying(500) NOT NULL,
    "AditId" uuid,
    "CaseId" uuid,
    "ClueId" uuid,
    CONSTRAINT "PK_JointOperationSeizures" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_JointOperationSeizures_JointOperations_OperationId" FOREIGN KEY ("OperationId") REFERENCES "JointOperations" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_JointOperations_ClientId" ON "JointOperations" ("ClientId");

CREATE INDEX "IX_JointOperations_DivisionCode_OnDate" ON "JointOperations" ("DivisionCode", "OnDate");

CREATE INDEX "IX_JointOperationSeizures_OperationId" ON "JointOperationSeizures" ("OperationId");

CREATE UNIQUE INDEX "IX_Meetings_ClientId" ON "Meetings" ("ClientId");

CREATE INDEX "IX_Meetings_DivisionCode_OnDate" ON "Meetings" ("DivisionCode", "OnDate");
