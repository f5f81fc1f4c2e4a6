-- 0002: the registry (adits and their sealing events and photos, stored files, licensed mines, key persons,
-- home visits, import batches). Generated with 'mineguard schema script', new statements only.

CREATE TABLE "StoredFiles" (
    "Id" uuid NOT NULL,
    "Sha256" character varying(64) NOT NULL,
    "ContentType" character varying(100) NOT NULL,
    "FileName" character varying(260) NOT NULL,
    "Length" bigint NOT NULL,
    "Content" bytea NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_StoredFiles" PRIMARY KEY ("Id")
);

CREATE TABLE "ImportBatches" (
    "Id" uuid NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "FileName" character varying(260) NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "RowsRead" integer NOT NULL,
    "RowsImported" integer NOT NULL,
    "RowsRejected" integer NOT NULL,
    "ReportJson" text NOT NULL,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UndoneUtc" timestamp with time zone,
    "UndoneById" uuid,
    CONSTRAINT "PK_ImportBatches" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ImportBatches_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE TABLE "Adits" (
    "Id" uuid NOT NULL,
    "Number" character varying(40) NOT NULL,
    "Name" character varying(100),
    "CountyCode" character varying(24) NOT NULL,
    "TownshipCode" character varying(24) NOT NULL,
    "VillageCode" character varying(24),
    "GridCode" character varying(24),
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Lon" double precision NOT NULL,
    "Lat" double precision NOT NULL,
    "MapX" integer NOT NULL,
    "MapY" integer NOT NULL,
    "Elevation" double precision,
    "Mineral" integer NOT NULL,
    "Origin" integer NOT NULL,
    "RightsHolder" character varying(200),
    "ClosureParty" character varying(200),
    "SealingPartyOverride" character varying(200),
    "SealingPartyOverrideReason" character varying(500),
    "ResponsibleUserId" uuid,
    "Description" character varying(2000),
    "Status" integer NOT NULL,
    "State" integer NOT NULL,
    "CurrentSealMethod" integer,
    "LastSealedOn" date,
    "LastSealedByUserId" uuid,
    "LastBreachedOn" date,
    "BreachCount" integer NOT NULL,
    "SealCount" integer NOT NULL,
    "ImportBatchId" uuid,
    "IsDemo" boolean NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Adits" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Adits_AspNetUsers_ResponsibleUserId" FOREIGN KEY ("ResponsibleUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Adits_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_Adits_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "KeyPersons" (
    "Id" uuid NOT NULL,
    "Name" character varying(50) NOT NULL,
    "IdNumberProtected" character varying(1000) NOT NULL,
    "IdNumberHash" character varying(64) NOT NULL,
    "IdNumberLast4" character varying(4) NOT NULL,
    "Phone" character varying(30),
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Address" character varying(200),
    "History" character varying(2000),
    "PriorCases" character varying(2000),
    "ControlLevel" integer NOT NULL,
    "ImportBatchId" uuid,
    "IsDemo" boolean NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_KeyPersons" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_KeyPersons_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_KeyPersons_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "LicensedMines" (
    "Id" uuid NOT NULL,
    "Name" character varying(200) NOT NULL,
    "RightsHolder" character varying(200) NOT NULL,
    "LicenceNumber" character varying(60) NOT NULL,
    "Mineral" integer NOT NULL,
    "CountyCode" character varying(24) NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "BoundaryGeoJson" text NOT NULL,
    "MinLon" double precision NOT NULL,
    "MinLat" double precision NOT NULL,
    "MaxLon" double precision NOT NULL,
    "MaxLat" double precision NOT NULL,
    "ValidFrom" date,
    "ValidTo" date,
    "Status" integer NOT NULL,
    "ImportBatchId" uuid,
    "IsDemo" boolean NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_LicensedMines" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_LicensedMines_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_LicensedMines_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SealingEvents" (
    "Id" uuid NOT NULL,
    "AditId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" integer NOT NULL,
    "OccurredOn" date NOT NULL,
    "Method" integer,
    "Standard" character varying(200),
    "PerformedBy" character varying(200),
    "PerformedByUserId" uuid,
    "HowFound" character varying(200),
    "Note" character varying(2000),
    "RecordedById" uuid,
    "RecordedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_SealingEvents" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SealingEvents_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE CASCADE
);

CREATE TABLE "HomeVisits" (
    "Id" uuid NOT NULL,
    "KeyPersonId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "VisitedOn" date NOT NULL,
    "VisitedBy" character varying(200) NOT NULL,
    "Outcome" character varying(2000) NOT NULL,
    "RecordedById" uuid,
    "RecordedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_HomeVisits" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_HomeVisits_KeyPersons_KeyPersonId" FOREIGN KEY ("KeyPersonId") REFERENCES "KeyPersons" ("Id") ON DELETE CASCADE
);

CREATE TABLE "KeyPersonAdits" (
    "KeyPersonId" uuid NOT NULL,
    "AditId" uuid NOT NULL,
    "Relation" character varying(100),
    CONSTRAINT "PK_KeyPersonAdits" PRIMARY KEY ("KeyPersonId", "AditId"),
    CONSTRAINT "FK_KeyPersonAdits_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_KeyPersonAdits_KeyPersons_KeyPersonId" FOREIGN KEY ("KeyPersonId") REFERENCES "KeyPersons" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AditPhotos" (
    "Id" uuid NOT NULL,
    "AditId" uuid NOT NULL,
    "SealingEventId" uuid,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "FileId" uuid NOT NULL,
    "Caption" character varying(200),
    "TakenUtc" timestamp with time zone,
    "TakenLon" double precision,
    "TakenLat" double precision,
    "UploadedById" uuid,
    "UploadedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_AditPhotos" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_AditPhotos_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AditPhotos_SealingEvents_SealingEventId" FOREIGN KEY ("SealingEventId") REFERENCES "SealingEvents" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_AditPhotos_StoredFiles_FileId" FOREIGN KEY ("FileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_AditPhotos_AditId" ON "AditPhotos" ("AditId");

CREATE INDEX "IX_AditPhotos_FileId" ON "AditPhotos" ("FileId");

CREATE INDEX "IX_AditPhotos_SealingEventId" ON "AditPhotos" ("SealingEventId");

CREATE INDEX "IX_Adits_DivisionCode_State" ON "Adits" ("DivisionCode", "State");

CREATE INDEX "IX_Adits_ImportBatchId" ON "Adits" ("ImportBatchId");

CREATE INDEX "IX_Adits_MapX_MapY_DivisionCode" ON "Adits" ("MapX", "MapY", "DivisionCode");

CREATE UNIQUE INDEX "IX_Adits_Number" ON "Adits" ("Number");

CREATE INDEX "IX_Adits_ResponsibleUserId" ON "Adits" ("ResponsibleUserId");

CREATE INDEX "IX_Adits_TownshipCode" ON "Adits" ("TownshipCode");

CREATE INDEX "IX_HomeVisits_KeyPersonId_VisitedOn" ON "HomeVisits" ("KeyPersonId", "VisitedOn");

CREATE INDEX "IX_ImportBatches_DivisionCode_CreatedUtc" ON "ImportBatches" ("DivisionCode", "CreatedUtc");

CREATE INDEX "IX_KeyPersonAdits_AditId" ON "KeyPersonAdits" ("AditId");

CREATE INDEX "IX_KeyPersons_DivisionCode" ON "KeyPersons" ("DivisionCode");

CREATE UNIQUE INDEX "IX_KeyPersons_IdNumberHash" ON "KeyPersons" ("IdNumberHash");

CREATE INDEX "IX_KeyPersons_ImportBatchId" ON "KeyPersons" ("ImportBatchId");

CREATE INDEX "IX_LicensedMines_DivisionCode" ON "LicensedMines" ("DivisionCode");

CREATE INDEX "IX_LicensedMines_ImportBatchId" ON "LicensedMines" ("ImportBatchId");

CREATE UNIQUE INDEX "IX_LicensedMines_LicenceNumber" ON "LicensedMines" ("LicenceNumber");

CREATE INDEX "IX_LicensedMines_MinLon_MaxLon_MinLat_MaxLat" ON "LicensedMines" ("MinLon", "MaxLon", "MinLat", "MaxLat");

CREATE INDEX "IX_SealingEvents_AditId_OccurredOn" ON "SealingEvents" ("AditId", "OccurredOn");

CREATE INDEX "IX_SealingEvents_DivisionCode" ON "SealingEvents" ("DivisionCode");

CREATE UNIQUE INDEX "IX_StoredFiles_Sha256" ON "StoredFiles" ("Sha256");
