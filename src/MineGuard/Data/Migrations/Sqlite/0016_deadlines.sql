-- The one clock (issue 12): every deadline someone must meet, escalated by one job.
CREATE TABLE "Deadlines" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Deadlines" PRIMARY KEY,
    "SubjectType" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "DepartmentCode" TEXT NULL,
    "DueUtc" TEXT NOT NULL,
    "EscalateAtUtc" TEXT NULL,
    "Level" INTEGER NOT NULL,
    "Escalations" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "ClosedUtc" TEXT NULL
);

CREATE INDEX "IX_Deadlines_ClosedUtc_EscalateAtUtc" ON "Deadlines" ("ClosedUtc", "EscalateAtUtc");

CREATE INDEX "IX_Deadlines_DivisionCode_DueUtc" ON "Deadlines" ("DivisionCode", "DueUtc");

CREATE INDEX "IX_Deadlines_SubjectType_SubjectId" ON "Deadlines" ("SubjectType", "SubjectId");

-- Days that differ from the usual Monday-to-Friday week (法定节假日, 调休上班), kept by an administrator.
CREATE TABLE "Holidays" (
    "Date" TEXT NOT NULL CONSTRAINT "PK_Holidays" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "IsWorkday" INTEGER NOT NULL,
    "UpdatedUtc" TEXT NOT NULL
);

-- Work already waiting goes on the clock, each deadline keyed by its subject's own id (new ones get fresh ids).
-- Open alerts: due to be acknowledged while open, to be verified after; at the city level nobody above is left.
INSERT INTO "Deadlines" ("Id", "SubjectType", "SubjectId", "DivisionCode", "DepartmentCode", "DueUtc", "EscalateAtUtc", "Level", "Escalations", "CreatedUtc", "ClosedUtc")
SELECT "Id", 'alert', "Id", "DivisionCode", NULL,
       CASE WHEN "Status" = 0 THEN MIN("AckDueUtc", "VerifyDueUtc") ELSE "VerifyDueUtc" END,
       CASE WHEN "Level" >= 2 THEN NULL WHEN "Status" = 0 THEN MIN("AckDueUtc", "VerifyDueUtc") ELSE "VerifyDueUtc" END,
       CASE "Level" WHEN 0 THEN 0 WHEN 1 THEN 4 ELSE 5 END, "Level", "OpenedUtc", NULL
FROM "Alerts" WHERE "Status" <> 2;

-- Petitions awaiting a reply: due when their reply day has passed in China (UTC 16:00 that day); escalated once at most.
INSERT INTO "Deadlines" ("Id", "SubjectType", "SubjectId", "DivisionCode", "DepartmentCode", "DueUtc", "EscalateAtUtc", "Level", "Escalations", "CreatedUtc", "ClosedUtc")
SELECT "Id", 'petition', "Id", "DivisionCode", "DepartmentCode", "DueOn" || ' 16:00:00',
       CASE WHEN "EscalatedUtc" IS NULL THEN "DueOn" || ' 16:00:00' ELSE NULL END,
       4, CASE WHEN "EscalatedUtc" IS NULL THEN 0 ELSE 1 END, "CreatedUtc", NULL
FROM "Petitions" WHERE "Status" = 0;

-- Rewards proposed or approved and not yet paid: due when the promised pay-by day has passed in China.
INSERT INTO "Deadlines" ("Id", "SubjectType", "SubjectId", "DivisionCode", "DepartmentCode", "DueUtc", "EscalateAtUtc", "Level", "Escalations", "CreatedUtc", "ClosedUtc")
SELECT "Id", 'reward-payout', "Id", "DivisionCode", NULL, "PayBy" || ' 16:00:00', "PayBy" || ' 16:00:00', 4, 0, "ProposedUtc", NULL
FROM "Rewards" WHERE "Status" IN (0, 1);
