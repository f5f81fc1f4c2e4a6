-- 0048 (issue 16): vehicle findings that became clues (卡口车辆研判): one row per plate, township and cause, with its
-- score, Chinese explanation, the clue it became and, once someone explained it (已说明), the note and who/when: an
-- explained plate and cause is not raised again by the daily scan.

CREATE TABLE "VehicleFindings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_VehicleFindings" PRIMARY KEY,
    "Plate" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Cause" TEXT NOT NULL,
    "CheckpointId" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "Score" REAL NOT NULL,
    "Explanation" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "ClueId" TEXT NULL,
    "FoundUtc" TEXT NOT NULL,
    "LastFoundUtc" TEXT NOT NULL,
    "ExplanationNote" TEXT NULL,
    "ExplainedById" TEXT NULL,
    "ExplainedByName" TEXT NULL,
    "ExplainedUtc" TEXT NULL
);

CREATE UNIQUE INDEX "IX_VehicleFindings_Plate_DivisionCode_Cause" ON "VehicleFindings" ("Plate", "DivisionCode", "Cause");

CREATE INDEX "IX_VehicleFindings_DivisionCode" ON "VehicleFindings" ("DivisionCode");
