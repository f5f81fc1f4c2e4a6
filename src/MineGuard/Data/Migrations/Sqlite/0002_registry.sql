-- 0002: the registry (adits and their sealing events and photos, stored files, licensed mines, key persons,
-- home visits, import batches). Generated with 'mineguard schema script', new statements only.

CREATE TABLE "StoredFiles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_StoredFiles" PRIMARY KEY,
    "Sha256" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "Length" INTEGER NOT NULL,
    "Content" BLOB NOT NULL,
    "CreatedUtc" TEXT NOT NULL
);

CREATE TABLE "ImportBatches" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ImportBatches" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "RowsRead" INTEGER NOT NULL,
    "RowsImported" INTEGER NOT NULL,
    "RowsRejected" INTEGER NOT NULL,
    "ReportJson" TEXT NOT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UndoneUtc" TEXT NULL,
    "UndoneById" TEXT NULL,
    CONSTRAINT "FK_ImportBatches_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE TABLE "Adits" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Adits" PRIMARY KEY,
    "Number" TEXT NOT NULL,
    "Name" TEXT NULL,
    "CountyCode" TEXT NOT NULL,
    "TownshipCode" TEXT NOT NULL,
    "VillageCode" TEXT NULL,
    "GridCode" TEXT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Lon" REAL NOT NULL,
    "Lat" REAL NOT NULL,
    "MapX" INTEGER NOT NULL,
    "MapY" INTEGER NOT NULL,
    "Elevation" REAL NULL,
    "Mineral" INTEGER NOT NULL,
    "Origin" INTEGER NOT NULL,
    "RightsHolder" TEXT NULL,
    "ClosureParty" TEXT NULL,
    "SealingPartyOverride" TEXT NULL,
    "SealingPartyOverrideReason" TEXT NULL,
    "ResponsibleUserId" TEXT NULL,
    "Description" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "State" INTEGER NOT NULL,
    "CurrentSealMethod" INTEGER NULL,
    "LastSealedOn" TEXT NULL,
    "LastSealedByUserId" TEXT NULL,
    "LastBreachedOn" TEXT NULL,
    "BreachCount" INTEGER NOT NULL,
    "SealCount" INTEGER NOT NULL,
    "ImportBatchId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Adits_AspNetUsers_ResponsibleUserId" FOREIGN KEY ("ResponsibleUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Adits_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_Adits_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "KeyPersons" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_KeyPersons" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "IdNumberProtected" TEXT NOT NULL,
    "IdNumberHash" TEXT NOT NULL,
    "IdNumberLast4" TEXT NOT NULL,
    "Phone" TEXT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Address" TEXT NULL,
    "History" TEXT NULL,
    "PriorCases" TEXT NULL,
    "ControlLevel" INTEGER NOT NULL,
    "ImportBatchId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_KeyPersons_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_KeyPersons_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "LicensedMines" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_LicensedMines" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "RightsHolder" TEXT NOT NULL,
    "LicenceNumber" TEXT NOT NULL,
    "Mineral" INTEGER NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "BoundaryGeoJson" TEXT NOT NULL,
    "MinLon" REAL NOT NULL,
    "MinLat" REAL NOT NULL,
    "MaxLon" REAL NOT NULL,
    "MaxLat" REAL NOT NULL,
    "ValidFrom" TEXT NULL,
    "ValidTo" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "ImportBatchId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_LicensedMines_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_LicensedMines_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SealingEvents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SealingEvents" PRIMARY KEY,
    "AditId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "OccurredOn" TEXT NOT NULL,
    "Method" INTEGER NULL,
    "Standard" TEXT NULL,
    "PerformedBy" TEXT NULL,
    "PerformedByUserId" TEXT NULL,
    "HowFound" TEXT NULL,
    "Note" TEXT NULL,
    "RecordedById" TEXT NULL,
    "RecordedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_SealingEvents_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE CASCADE
);

CREATE TABLE "HomeVisits" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_HomeVisits" PRIMARY KEY,
    "KeyPersonId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "VisitedOn" TEXT NOT NULL,
    "VisitedBy" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL,
    "RecordedById" TEXT NULL,
    "RecordedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_HomeVisits_KeyPersons_KeyPersonId" FOREIGN KEY ("KeyPersonId") REFERENCES "KeyPersons" ("Id") ON DELETE CASCADE
);

CREATE TABLE "KeyPersonAdits" (
    "KeyPersonId" TEXT NOT NULL,
    "AditId" TEXT NOT NULL,
    "Relation" TEXT NULL,
    CONSTRAINT "PK_KeyPersonAdits" PRIMARY KEY ("KeyPersonId", "AditId"),
    CONSTRAINT "FK_KeyPersonAdits_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_KeyPersonAdits_KeyPersons_KeyPersonId" FOREIGN KEY ("KeyPersonId") REFERENCES "KeyPersons" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AditPhotos" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AditPhotos" PRIMARY KEY,
    "AditId" TEXT NOT NULL,
    "SealingEventId" TEXT NULL,
    "DivisionCode" TEXT NOT NULL,
    "FileId" TEXT NOT NULL,
    "Caption" TEXT NULL,
    "TakenUtc" TEXT NULL,
    "TakenLon" REAL NULL,
    "TakenLat" REAL NULL,
    "UploadedById" TEXT NULL,
    "UploadedUtc" TEXT NOT NULL,
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
