-- 0041 (issue 18): stage reports upward (阶段报告): a division's report for a period, generated from the data and kept as
-- generated (JSON and its hash), signed off by its leader, sent to the level above, received or returned with comments;
-- a report the level above requests carries its deadline (an assignment on the one clock).

CREATE TABLE "StageReports" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_StageReports" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "FromOn" TEXT NOT NULL,
    "ToOn" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Narrative" TEXT NOT NULL,
    "State" INTEGER NOT NULL,
    "ContentJson" TEXT NOT NULL,
    "ContentHash" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "GeneratedUtc" TEXT NULL,
    "RequestedByDivision" TEXT NULL,
    "DueOn" TEXT NULL,
    "AssignmentId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedByName" TEXT NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "GeneratedById" TEXT NULL,
    "SignedById" TEXT NULL,
    "SignedByName" TEXT NULL,
    "SignedUtc" TEXT NULL,
    "SentByName" TEXT NULL,
    "SentUtc" TEXT NULL,
    "ReceivedByName" TEXT NULL,
    "ReceivedUtc" TEXT NULL,
    "ReturnComment" TEXT NULL,
    "ReturnedByName" TEXT NULL,
    "ReturnedUtc" TEXT NULL,
    "ClientId" TEXT NULL
);

CREATE INDEX "IX_StageReports_DivisionCode_ToOn" ON "StageReports" ("DivisionCode", "ToOn");

CREATE UNIQUE INDEX "IX_StageReports_ClientId" ON "StageReports" ("ClientId");
