-- 0032 (issue 17): spot checks (抽查) anyone can re-draw: a draw by a city or province over what its counties reported
-- closed (seed, algorithm sha256-v1, the frozen list, share or count, strata, who/when; a second draw on the same list is
-- a new row), its sampled items (signer, check task, result) and the drawing division's default share; a tip's
-- verification overturned by a spot check.

CREATE TABLE "SpotCheckDraws" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SpotCheckDraws" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Counties" TEXT NOT NULL,
    "Kinds" TEXT NOT NULL,
    "FromOn" TEXT NOT NULL,
    "ToOn" TEXT NOT NULL,
    "SharePercent" TEXT NULL,
    "Count" INTEGER NULL,
    "ByTownship" INTEGER NOT NULL,
    "ByKind" INTEGER NOT NULL,
    "Seed" TEXT NOT NULL,
    "SeedGiven" INTEGER NOT NULL,
    "Algorithm" TEXT NOT NULL,
    "ListText" TEXT NOT NULL,
    "ListHash" TEXT NOT NULL,
    "ListCount" INTEGER NOT NULL,
    "SampleCount" INTEGER NOT NULL,
    "Round" INTEGER NOT NULL,
    "DueOn" TEXT NOT NULL,
    "DrawnById" TEXT NULL,
    "DrawnByName" TEXT NOT NULL,
    "DrawnUtc" TEXT NOT NULL,
    "ClientId" TEXT NULL
);

CREATE TABLE "SpotCheckItems" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SpotCheckItems" PRIMARY KEY,
    "DrawId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "ItemKind" TEXT NOT NULL,
    "ItemId" TEXT NOT NULL,
    "ItemDivisionCode" TEXT NOT NULL,
    "Stratum" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "Rank" INTEGER NOT NULL,
    "Label" TEXT NOT NULL,
    "SignerUserId" TEXT NULL,
    "SignerName" TEXT NULL,
    "AssignmentId" TEXT NULL,
    "Result" INTEGER NULL,
    "Note" TEXT NULL,
    "CheckedById" TEXT NULL,
    "CheckerName" TEXT NULL,
    "CheckedUtc" TEXT NULL,
    "FollowUpAssignmentId" TEXT NULL,
    CONSTRAINT "FK_SpotCheckItems_SpotCheckDraws_DrawId" FOREIGN KEY ("DrawId") REFERENCES "SpotCheckDraws" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SpotCheckSettings" (
    "DivisionCode" TEXT NOT NULL CONSTRAINT "PK_SpotCheckSettings" PRIMARY KEY,
    "DefaultSharePercent" TEXT NOT NULL,
    "UpdatedById" TEXT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_SpotCheckSettings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE INDEX "IX_SpotCheckDraws_DivisionCode_DrawnUtc" ON "SpotCheckDraws" ("DivisionCode", "DrawnUtc");

CREATE UNIQUE INDEX "IX_SpotCheckDraws_ListHash_Seed" ON "SpotCheckDraws" ("ListHash", "Seed");

CREATE UNIQUE INDEX "IX_SpotCheckDraws_ClientId" ON "SpotCheckDraws" ("ClientId");

CREATE INDEX "IX_SpotCheckItems_DrawId_Rank" ON "SpotCheckItems" ("DrawId", "Rank");

CREATE INDEX "IX_SpotCheckItems_ItemKind_ItemId" ON "SpotCheckItems" ("ItemKind", "ItemId");

CREATE INDEX "IX_SpotCheckItems_SignerUserId" ON "SpotCheckItems" ("SignerUserId");

ALTER TABLE "Tips" ADD COLUMN "OverturnedUtc" TEXT NULL;
ALTER TABLE "Tips" ADD COLUMN "OverturnedById" TEXT NULL;
ALTER TABLE "Tips" ADD COLUMN "OverturnNote" TEXT NULL;
