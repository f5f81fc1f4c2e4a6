-- 0039 (issue 20): satellite change patches (卫片图斑): a batch per province and period, known by the sender's batch id;
-- its patches (WGS84 polygon, bounding box for index-backed matching, what they matched on import), each checked on the
-- ground through a patch-check assignment and reviewed by the province.

CREATE TABLE "SatelliteBatches" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SatelliteBatches" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "BatchKey" TEXT NOT NULL,
    "PeriodFrom" TEXT NOT NULL,
    "PeriodTo" TEXT NOT NULL,
    "Crs" TEXT NOT NULL,
    "DueOn" TEXT NOT NULL,
    "ImportedById" TEXT NULL,
    "ImportedUtc" TEXT NOT NULL
);

CREATE TABLE "SatellitePatches" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SatellitePatches" PRIMARY KEY,
    "BatchId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "PatchKey" TEXT NOT NULL,
    "ChangeType" TEXT NOT NULL,
    "AreaM2" REAL NOT NULL,
    "BeforeImage" TEXT NULL,
    "AfterImage" TEXT NULL,
    "GeometryGeoJson" TEXT NOT NULL,
    "MinLon" REAL NOT NULL,
    "MinLat" REAL NOT NULL,
    "MaxLon" REAL NOT NULL,
    "MaxLat" REAL NOT NULL,
    "Lon" REAL NOT NULL,
    "Lat" REAL NOT NULL,
    "MineRelation" INTEGER NOT NULL,
    "MineIds" TEXT NOT NULL,
    "AditIds" TEXT NOT NULL,
    "NearestAditId" TEXT NULL,
    "NearestAditMetres" REAL NULL,
    "EarlierPatchIds" TEXT NOT NULL,
    "OpenClueIds" TEXT NOT NULL,
    "CaseIds" TEXT NOT NULL,
    "State" INTEGER NOT NULL,
    "AssignmentId" TEXT NULL,
    "Finding" INTEGER NULL,
    "FindingNote" TEXT NULL,
    "FindingLon" REAL NULL,
    "FindingLat" REAL NULL,
    "FoundById" TEXT NULL,
    "FoundUtc" TEXT NULL,
    "ClueId" TEXT NULL,
    "ReviewRequired" INTEGER NOT NULL,
    "ReviewAgreed" INTEGER NULL,
    "ReviewNote" TEXT NULL,
    "ReviewedById" TEXT NULL,
    "ReviewedUtc" TEXT NULL,
    "Returns" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_SatellitePatches_SatelliteBatches_BatchId" FOREIGN KEY ("BatchId") REFERENCES "SatelliteBatches" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_SatelliteBatches_BatchKey" ON "SatelliteBatches" ("BatchKey");

CREATE INDEX "IX_SatelliteBatches_DivisionCode" ON "SatelliteBatches" ("DivisionCode");

CREATE UNIQUE INDEX "IX_SatellitePatches_BatchId_PatchKey" ON "SatellitePatches" ("BatchId", "PatchKey");

CREATE INDEX "IX_SatellitePatches_MinLon_MaxLon_MinLat_MaxLat" ON "SatellitePatches" ("MinLon", "MaxLon", "MinLat", "MaxLat");

CREATE INDEX "IX_SatellitePatches_DivisionCode_State" ON "SatellitePatches" ("DivisionCode", "State");

CREATE INDEX "IX_SatellitePatches_AssignmentId" ON "SatellitePatches" ("AssignmentId");
