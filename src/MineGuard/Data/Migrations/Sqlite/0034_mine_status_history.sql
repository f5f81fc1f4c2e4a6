-- 0034 (issue 16): a mine's 生产状态 history, so that the electricity detector judges each day by the status in force that
-- day. Every mine already registered gets one entry (the mine's own id): its present status, held since ever (SinceOn
-- NULL), recorded when the mine was.

CREATE TABLE "MineStatusChanges" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MineStatusChanges" PRIMARY KEY,
    "MineId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "SinceOn" TEXT NULL,
    "RecordedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_MineStatusChanges_LicensedMines_MineId" FOREIGN KEY ("MineId") REFERENCES "LicensedMines" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_MineStatusChanges_DivisionCode" ON "MineStatusChanges" ("DivisionCode");

CREATE INDEX "IX_MineStatusChanges_MineId_SinceOn" ON "MineStatusChanges" ("MineId", "SinceOn");

INSERT INTO "MineStatusChanges" ("Id", "MineId", "DivisionCode", "Status", "SinceOn", "RecordedUtc")
SELECT "Id", "Id", "DivisionCode", "Status", NULL, "CreatedUtc" FROM "LicensedMines";
