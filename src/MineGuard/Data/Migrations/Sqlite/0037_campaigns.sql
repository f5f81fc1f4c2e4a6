-- 0037 (issue 19, campaigns): 专项行动 — the national plan and the province, city and county campaigns adopting it (level,
-- plan document, parent), their phases (dates, report day, the report's assignment), tasks per phase (each an assignment)
-- and the phase reports (file and figures); joint operations and joint meetings.

CREATE TABLE "Campaigns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Campaigns" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Level" TEXT NOT NULL,
    "ParentId" TEXT NULL,
    "Title" TEXT NOT NULL,
    "DocumentNumber" TEXT NULL,
    "PlanFileId" TEXT NULL,
    "PlanFileName" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "ClientId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Campaigns_Campaigns_ParentId" FOREIGN KEY ("ParentId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CampaignPhases" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CampaignPhases" PRIMARY KEY,
    "CampaignId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Ordinal" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "StartsOn" TEXT NOT NULL,
    "EndsOn" TEXT NOT NULL,
    "ReportDueOn" TEXT NOT NULL,
    "ReportAssignmentId" TEXT NULL,
    CONSTRAINT "FK_CampaignPhases_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CampaignReports" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CampaignReports" PRIMARY KEY,
    "CampaignId" TEXT NOT NULL,
    "PhaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "FileId" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "Adits" INTEGER NOT NULL,
    "Problems" INTEGER NOT NULL,
    "Rectified" INTEGER NOT NULL,
    "Cases" INTEGER NOT NULL,
    "Note" TEXT NULL,
    "Late" INTEGER NOT NULL,
    "SubmittedById" TEXT NULL,
    "SubmittedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_CampaignReports_CampaignPhases_PhaseId" FOREIGN KEY ("PhaseId") REFERENCES "CampaignPhases" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CampaignTasks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CampaignTasks" PRIMARY KEY,
    "CampaignId" TEXT NOT NULL,
    "PhaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "DepartmentCode" TEXT NULL,
    "Title" TEXT NOT NULL,
    "DueOn" TEXT NOT NULL,
    "AssignmentId" TEXT NOT NULL,
    "ClientId" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
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
    "Id" TEXT NOT NULL CONSTRAINT "PK_JointOperations" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "OnDate" TEXT NOT NULL,
    "Area" TEXT NOT NULL,
    "Departments" TEXT NOT NULL,
    "People" TEXT NULL,
    "Targets" TEXT NULL,
    "Findings" TEXT NULL,
    "NextAssignmentId" TEXT NULL,
    "ClientId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL
);

CREATE TABLE "Meetings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Meetings" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "OnDate" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Departments" TEXT NOT NULL,
    "Participants" TEXT NOT NULL,
    "ClueIds" TEXT NULL,
    "CaseIds" TEXT NULL,
    "Minutes" TEXT NULL,
    "ClientId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL
);

CREATE TABLE "JointOperationSeizures" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_JointOperationSeizures" PRIMARY KEY,
    "OperationId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "CaseId" TEXT NULL,
    "ClueId" TEXT NULL,
    CONSTRAINT "FK_JointOperationSeizures_JointOperations_OperationId" FOREIGN KEY ("OperationId") REFERENCES "JointOperations" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_JointOperations_ClientId" ON "JointOperations" ("ClientId");

CREATE INDEX "IX_JointOperations_DivisionCode_OnDate" ON "JointOperations" ("DivisionCode", "OnDate");

CREATE INDEX "IX_JointOperationSeizures_OperationId" ON "JointOperationSeizures" ("OperationId");

CREATE UNIQUE INDEX "IX_Meetings_ClientId" ON "Meetings" ("ClientId");

CREATE INDEX "IX_Meetings_DivisionCode_OnDate" ON "Meetings" ("DivisionCode", "OnDate");
