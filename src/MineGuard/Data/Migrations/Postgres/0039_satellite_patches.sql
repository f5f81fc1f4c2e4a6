-- 0039 (issue 20): satellite change patches (卫片图斑): a batch per province and period, known by the sender's batch id;
-- its patches (WGS84 polygon, bounding box for index-backed matching, what they matched on import), each checked on the
-- ground through a patch-check assignment and reviewed by the province.

CREATE TABLE "SatelliteBatches" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "BatchKey" character varying(100) NOT NULL,
    "PeriodFrom" date NOT NULL,
    "PeriodTo" date NOT NULL,
    "Crs" character varying(10) NOT NULL,
    "DueOn" date NOT NULL,
    "ImportedById" uuid,
    "ImportedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_SatelliteBatches" PRIMARY KEY ("Id")
);

CREATE TABLE "SatellitePatches" (
    "Id" uuid NOT NULL,
    "BatchId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "PatchKey" character varying(100) NOT NULL,
    "ChangeType" character varying(40) NOT NULL,
    "AreaM2" double precision NOT NULL,
    "BeforeImage" character varying(500),
    "AfterImage" character varying(500),
    "GeometryGeoJson" text NOT NULL,
    "MinLon" double precision NOT NULL,
    "MinLat" double precision NOT NULL,
    "MaxLon" double precision NOT NULL,
    "MaxLat" double precision NOT NULL,
    "Lon" double precision NOT NULL,
    "Lat" double precision NOT NULL,
    "MineRelation" integer NOT NULL,
    "MineIds" character varying(1500) NOT NULL,
    "AditIds" character varying(1500) NOT NULL,
    "NearestAditId" uuid,
    "NearestAditMetres" double precision,
    "EarlierPatchIds" character varying(1500) NOT NULL,
    "OpenClueIds" character varying(1500) NOT NULL,
    "CaseIds" character varying(1500) NOT NULL,
    "State" integer NOT NULL,
    "AssignmentId" uuid,
    "Finding" integer,
    "FindingNote" character varying(2000),
    "FindingLon" double precision,
    "FindingLat" double precision,
    "FoundById" uuid,
    "FoundUtc" timestamp with time zone,
    "ClueId" uuid,
    "ReviewRequired" boolean NOT NULL,
    "ReviewAgreed" boolean,
    "ReviewNote" character varying(2000),
    "ReviewedById" uuid,
    "ReviewedUtc" timestamp with time zone,
    "Returns" integer NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_SatellitePatches" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SatellitePatches_SatelliteBatches_BatchId" FOREIGN KEY ("BatchId") REFERENCES "SatelliteBatches" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_SatelliteBatches_BatchKey" ON "SatelliteBatches" ("BatchKey");

CREATE INDEX "IX_SatelliteBatches_DivisionCode" ON "SatelliteBatches" ("DivisionCode");

CREATE UNIQUE INDEX "IX_SatellitePatches_BatchId_PatchKey" ON "SatellitePatches" ("BatchId", "PatchKey");

CREATE INDEX "IX_SatellitePatches_MinLon_MaxLon_MinLat_MaxLat" ON "SatellitePatches" ("MinLon", "MaxLon", "MinLat", "MaxLat");

CREATE INDEX "IX_SatellitePatches_DivisionCode_State" ON "SatellitePatches" ("DivisionCode", "State");

CREATE INDEX "IX_SatellitePatches_AssignmentId" ON "SatellitePatches" ("AssignmentId");
