-- 0029 (issue 16): stored findings of the electricity detector (电表异常): one row per meter, kind and window start, with
-- its score, Chinese explanation, status (open / routed / explained), the clue it became and the declared explanation
-- (note, extra kW or any, window, who/when) that the detector takes back into the meter's expectation.

CREATE TABLE "MeterFindings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MeterFindings" PRIMARY KEY,
    "DeviceId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "MineId" TEXT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    "Kind" TEXT NOT NULL,
    "StartUtc" TEXT NOT NULL,
    "EndUtc" TEXT NOT NULL,
    "Score" REAL NOT NULL,
    "Explanation" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "ClueId" TEXT NULL,
    "ExplanationNote" TEXT NULL,
    "ExplainedKw" REAL NULL,
    "ExplainedFromUtc" TEXT NULL,
    "ExplainedToUtc" TEXT NULL,
    "ExplainedById" TEXT NULL,
    "ExplainedByName" TEXT NULL,
    "ExplainedUtc" TEXT NULL,
    "FoundUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_MeterFindings_Devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "Devices" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_MeterFindings_DeviceId_Kind_StartUtc" ON "MeterFindings" ("DeviceId", "Kind", "StartUtc");

CREATE INDEX "IX_MeterFindings_DivisionCode_StartUtc" ON "MeterFindings" ("DivisionCode", "StartUtc");
