-- 0037 (issue 19, campaigns): 专项行动 — the national plan and the province, city and county campaigns adopting it (level,
-- plan document, parent), their phases (dates, report day, the report's assignment), tasks per phase (each an assignment)
-- and the phase reports (file and figures).

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
