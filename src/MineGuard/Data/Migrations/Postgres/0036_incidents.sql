-- 0036 (issue 19): incidents (事件/事故) at an adit, after the Songxian "9·26" report: the timeline (who reported to whom,
-- when), the people affected (blind rescuers apart), the losses, the causes, measures and lessons, the accountability of
-- each unit and official, the linked cases; safety notices (安全警示) and their recipients, each with the SMS that carries
-- it; the risk score's incident weight (existing counties' rows get the default, 15).

CREATE TABLE "Incidents" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "CountyCode" character varying(24) NOT NULL,
    "AditId" uuid NOT NULL,
    "OccurredUtc" timestamp with time zone NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Summary" character varying(4000) NOT NULL,
    "Involved" integer NOT NULL,
    "Dead" integer NOT NULL,
    "Injured" integer NOT NULL,
    "Unharmed" integer NOT NULL,
    "Rescued" integer NOT NULL,
    "BlindRescuers" integer NOT NULL,
    "BlindRescuerDead" integer NOT NULL,
    "BlindRescuerInjured" integer NOT NULL,
    "OreKg" double precision,
    "OreValue" numeric(14,2),
    "DirectLoss" numeric(14,2),
    "FirstReportDueUtc" timestamp with time zone NOT NULL,
    "FirstReportedUtc" timestamp with time zone,
    "ReportAssignmentId" uuid,
    "ResealAssignmentId" uuid,
    "NoticeAssignmentId" uuid,
    "ClientId" uuid,
    "IsDemo" boolean NOT NULL,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Incidents" PRIMARY KEY ("Id")
);

CREATE TABLE "SafetyNotices" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Title" character varying(100) NOT NULL,
    "Text" character varying(1000) NOT NULL,
    "Villages" character varying(4000) NOT NULL,
    "IncidentId" uuid,
    "IssuedById" uuid,
    "IssuedByName" character varying(100) NOT NULL,
    "IssuedUtc" timestamp with time zone NOT NULL,
    "ClientId" uuid,
    "IsDemo" boolean NOT NULL,
    CONSTRAINT "PK_SafetyNotices" PRIMARY KEY ("Id")
);

CREATE TABLE "IncidentAccountabilities" (
    "Id" uuid NOT NULL,
    "IncidentId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Seq" integer NOT NULL,
    "Unit" character varying(100) NOT NULL,
    "Official" character varying(50),
    "Post" character varying(100),
    "What" character varying(2000) NOT NULL,
    "Referred" boolean NOT NULL,
    CONSTRAINT "PK_IncidentAccountabilities" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_IncidentAccountabilities_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "IncidentCases" (
    "IncidentId" uuid NOT NULL,
    "CaseId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    CONSTRAINT "PK_IncidentCases" PRIMARY KEY ("IncidentId", "CaseId"),
    CONSTRAINT "FK_IncidentCases_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "IncidentEntries" (
    "Id" uuid NOT NULL,
    "IncidentId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Seq" integer NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "What" character varying(2000) NOT NULL,
    "ReportedBy" character varying(100),
    "ReportedTo" character varying(100),
    CONSTRAINT "PK_IncidentEntries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_IncidentEntries_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "IncidentFindings" (
    "Id" uuid NOT NULL,
    "IncidentId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Seq" integer NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Unit" character varying(100),
    "Text" character varying(2000) NOT NULL,
    CONSTRAINT "PK_IncidentFindings" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_IncidentFindings_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SafetyNoticeRecipients" (
    "Id" uuid NOT NULL,
    "NoticeId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "PersonId" uuid,
    "Name" character varying(100) NOT NULL,
    "Phone" character varying(20) NOT NULL,
    "SmsId" uuid NOT NULL,
    CONSTRAINT "PK_SafetyNoticeRecipients" PRIMARY KEY ("Id"),
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

ALTER TABLE "RiskWeights" ADD COLUMN "Incidents" double precision NOT NULL DEFAULT 15;
