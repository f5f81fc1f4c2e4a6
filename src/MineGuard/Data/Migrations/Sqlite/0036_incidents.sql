-- 0036 (issue 19): incidents (事件/事故) at an adit, after the Songxian "9·26" report: the timeline (who reported to whom,
-- when), the people affected (blind rescuers apart), the losses, the causes, measures and lessons, the accountability of
-- each unit and official, the linked cases; safety notices (安全警示) and their recipients, each with the SMS that carries
-- it; the risk score's incident weight (existing counties' rows get the default, 15).

CREATE TABLE "Incidents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Incidents" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "AditId" TEXT NOT NULL,
    "OccurredUtc" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "Involved" INTEGER NOT NULL,
    "Dead" INTEGER NOT NULL,
    "Injured" INTEGER NOT NULL,
    "Unharmed" INTEGER NOT NULL,
    "Rescued" INTEGER NOT NULL,
    "BlindRescuers" INTEGER NOT NULL,
    "BlindRescuerDead" INTEGER NOT NULL,
    "BlindRescuerInjured" INTEGER NOT NULL,
    "OreKg" REAL NULL,
    "OreValue" TEXT NULL,
    "DirectLoss" TEXT NULL,
    "FirstReportDueUtc" TEXT NOT NULL,
    "FirstReportedUtc" TEXT NULL,
    "ReportAssignmentId" TEXT NULL,
    "ResealAssignmentId" TEXT NULL,
    "NoticeAssignmentId" TEXT NULL,
    "ClientId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL
);

CREATE TABLE "SafetyNotices" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SafetyNotices" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Villages" TEXT NOT NULL,
    "IncidentId" TEXT NULL,
    "IssuedById" TEXT NULL,
    "IssuedByName" TEXT NOT NULL,
    "IssuedUtc" TEXT NOT NULL,
    "ClientId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL
);

CREATE TABLE "IncidentAccountabilities" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_IncidentAccountabilities" PRIMARY KEY,
    "IncidentId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Seq" INTEGER NOT NULL,
    "Unit" TEXT NOT NULL,
    "Official" TEXT NULL,
    "Post" TEXT NULL,
    "What" TEXT NOT NULL,
    "Referred" INTEGER NOT NULL,
    CONSTRAINT "FK_IncidentAccountabilities_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "IncidentCases" (
    "IncidentId" TEXT NOT NULL,
    "CaseId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    CONSTRAINT "PK_IncidentCases" PRIMARY KEY ("IncidentId", "CaseId"),
    CONSTRAINT "FK_IncidentCases_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "IncidentEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_IncidentEntries" PRIMARY KEY,
    "IncidentId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Seq" INTEGER NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "What" TEXT NOT NULL,
    "ReportedBy" TEXT NULL,
    "ReportedTo" TEXT NULL,
    CONSTRAINT "FK_IncidentEntries_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "IncidentFindings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_IncidentFindings" PRIMARY KEY,
    "IncidentId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Seq" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Unit" TEXT NULL,
    "Text" TEXT NOT NULL,
    CONSTRAINT "FK_IncidentFindings_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SafetyNoticeRecipients" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SafetyNoticeRecipients" PRIMARY KEY,
    "NoticeId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "Name" TEXT NOT NULL,
    "Phone" TEXT NOT NULL,
    "SmsId" TEXT NOT NULL,
    CONSTRAINT "FK_SafetyNoticeRecipients_SafetyNotices_NoticeId" FOREIGN KEY ("NoticeId") REFERENCES "SafetyNotices" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_IncidentAccountabilities_IncidentId_Seq" ON "IncidentAccountabilities" ("IncidentId", "Seq");

CREATE INDEX "IX_IncidentCases_CaseId" ON "IncidentCases" ("CaseId");

CREATE INDEX "IX_IncidentEntries_IncidentId_Seq" ON "IncidentEntries" ("IncidentId", "Seq");

CREATE INDEX "IX_IncidentFindings_IncidentId_Seq" ON "IncidentFindings" ("IncidentId", "Seq");

CREATE INDEX "IX_Incidents_AditId" ON "Incidents" ("AditId");

CREATE UNIQUE INDEX "IX_Incidents_ClientId" ON "Incidents" ("ClientId");

CREATE INDEX "IX_Incidents_DivisionCode_OccurredUtc" ON "Incidents" ("DivisionCode", "OccurredUtc");

CREATE INDEX "IX_SafetyNoticeRecipients_NoticeId" ON "SafetyNoticeRecipients" ("NoticeId");

CREATE UNIQUE INDEX "IX_SafetyNotices_ClientId" ON "SafetyNotices" ("ClientId");

CREATE INDEX "IX_SafetyNotices_DivisionCode_IssuedUtc" ON "SafetyNotices" ("DivisionCode", "IssuedUtc");

CREATE INDEX "IX_SafetyNotices_IncidentId" ON "SafetyNotices" ("IncidentId");

ALTER TABLE "RiskWeights" ADD COLUMN "Incidents" REAL NOT NULL DEFAULT 15;
