-- 0009: patrol teams, plans, patrols with tracks, check-ins with photos, patrol rules.

CREATE TABLE "PatrolRuleSets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatrolRuleSets" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "PatrolsPerWeek" INTEGER NOT NULL,
    "ChecksPerAditPerMonth" INTEGER NOT NULL,
    "CrossPatrolsPerMonth" INTEGER NOT NULL,
    "CityTeamPatrolDaysPerMonth" INTEGER NOT NULL,
    "MaxDistanceMetres" REAL NOT NULL,
    "MaxAccuracyMetres" REAL NOT NULL,
    "MaxSpeedKmh" REAL NOT NULL,
    "MaxTrackGapMinutes" INTEGER NOT NULL,
    "ClockToleranceMinutes" INTEGER NOT NULL,
    "PhotoToleranceMinutes" INTEGER NOT NULL,
    "PhotoMaxDistanceMetres" REAL NOT NULL,
    "RequirePhoto" INTEGER NOT NULL,
    "CheckInHopKmh" REAL NOT NULL,
    "NightStartHour" INTEGER NOT NULL,
    "NightEndHour" INTEGER NOT NULL,
    "HomeRadiusMetres" REAL NOT NULL
);

CREATE TABLE "TrackChunks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TrackChunks" PRIMARY KEY,
    "PatrolId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Seq" INTEGER NOT NULL,
    "Count" INTEGER NOT NULL,
    "FirstUtc" TEXT NOT NULL,
    "LastUtc" TEXT NOT NULL,
    "Points" BLOB NOT NULL,
    "PayloadHash" TEXT NOT NULL,
    "ReceivedUtc" TEXT NOT NULL
);

CREATE TABLE "PatrolTeams" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatrolTeams" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_PatrolTeams_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE TABLE "CheckInPhotos" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CheckInPhotos" PRIMARY KEY,
    "CheckInId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "FileId" TEXT NOT NULL,
    "Sha256" TEXT NOT NULL,
    "TakenUtc" TEXT NOT NULL,
    "ExifTakenUtc" TEXT NULL,
    "ExifLat" REAL NULL,
    "ExifLon" REAL NULL,
    "ReceivedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_CheckInPhotos_StoredFiles_FileId" FOREIGN KEY ("FileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PatrolPlans" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatrolPlans" PRIMARY KEY,
    "TeamId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "PeriodStart" TEXT NOT NULL,
    "PeriodEnd" TEXT NOT NULL,
    "IsCross" INTEGER NOT NULL,
    "Note" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "CreatedById" TEXT NULL,
    CONSTRAINT "FK_PatrolPlans_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Patrols" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Patrols" PRIMARY KEY,
    "TeamId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "PlanId" TEXT NULL,
    "IsCross" INTEGER NOT NULL,
    "Source" INTEGER NOT NULL,
    "StartedUtc" TEXT NOT NULL,
    "EndedUtc" TEXT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "ClockSkewSeconds" REAL NOT NULL,
    "PayloadHash" TEXT NOT NULL,
    CONSTRAINT "FK_Patrols_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Patrols_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PatrolTeamAreas" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatrolTeamAreas" PRIMARY KEY,
    "TeamId" TEXT NOT NULL,
    "AreaCode" TEXT NOT NULL,
    CONSTRAINT "FK_PatrolTeamAreas_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PatrolTeamMembers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatrolTeamMembers" PRIMARY KEY,
    "TeamId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "HomeLat" REAL NULL,
    "HomeLon" REAL NULL,
    CONSTRAINT "FK_PatrolTeamMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_PatrolTeamMembers_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CheckIns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CheckIns" PRIMARY KEY,
    "PatrolId" TEXT NOT NULL,
    "AditId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "Lat" REAL NOT NULL,
    "Lon" REAL NOT NULL,
    "Accuracy" REAL NOT NULL,
    "SealIntact" INTEGER NULL,
    "FreshDigging" INTEGER NULL,
    "Spoil" INTEGER NULL,
    "Tools" INTEGER NULL,
    "Power" INTEGER NULL,
    "VehicleTracks" INTEGER NULL,
    "People" INTEGER NULL,
    "Smoke" INTEGER NULL,
    "ReportsFinding" INTEGER NOT NULL,
    "Note" TEXT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "ClockSkewSeconds" REAL NOT NULL,
    "PayloadHash" TEXT NOT NULL,
    "Verified" INTEGER NOT NULL,
    "DistanceMetres" REAL NOT NULL,
    "Reasons" TEXT NULL,
    "Flags" TEXT NULL,
    "FlagsClearedUtc" TEXT NULL,
    "FlagsClearedById" TEXT NULL,
    "FlagsClearedNote" TEXT NULL,
    "EvaluatedUtc" TEXT NULL,
    "FollowUpId" TEXT NULL,
    "BreachRecorded" INTEGER NOT NULL,
    CONSTRAINT "FK_CheckIns_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CheckIns_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PatrolPlanItems" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatrolPlanItems" PRIMARY KEY,
    "PlanId" TEXT NOT NULL,
    "AditId" TEXT NOT NULL,
    "Rank" INTEGER NOT NULL,
    "Reason" TEXT NOT NULL,
    CONSTRAINT "FK_PatrolPlanItems_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_PatrolPlanItems_PatrolPlans_PlanId" FOREIGN KEY ("PlanId") REFERENCES "PatrolPlans" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_CheckInPhotos_CheckInId" ON "CheckInPhotos" ("CheckInId");

CREATE INDEX "IX_CheckInPhotos_FileId" ON "CheckInPhotos" ("FileId");

CREATE INDEX "IX_CheckInPhotos_Sha256" ON "CheckInPhotos" ("Sha256");

CREATE INDEX "IX_CheckIns_AditId_AtUtc" ON "CheckIns" ("AditId", "AtUtc");

CREATE INDEX "IX_CheckIns_DivisionCode_AtUtc" ON "CheckIns" ("DivisionCode", "AtUtc");

CREATE INDEX "IX_CheckIns_Lat_Lon" ON "CheckIns" ("Lat", "Lon");

CREATE INDEX "IX_CheckIns_PatrolId" ON "CheckIns" ("PatrolId");

CREATE INDEX "IX_CheckIns_UserId_AtUtc" ON "CheckIns" ("UserId", "AtUtc");

CREATE INDEX "IX_PatrolPlanItems_AditId" ON "PatrolPlanItems" ("AditId");

CREATE UNIQUE INDEX "IX_PatrolPlanItems_PlanId_AditId" ON "PatrolPlanItems" ("PlanId", "AditId");

CREATE INDEX "IX_PatrolPlans_DivisionCode" ON "PatrolPlans" ("DivisionCode");

CREATE INDEX "IX_PatrolPlans_TeamId_PeriodStart" ON "PatrolPlans" ("TeamId", "PeriodStart");

CREATE UNIQUE INDEX "IX_PatrolRuleSets_DivisionCode" ON "PatrolRuleSets" ("DivisionCode");

CREATE INDEX "IX_Patrols_DivisionCode_StartedUtc" ON "Patrols" ("DivisionCode", "StartedUtc");

CREATE INDEX "IX_Patrols_TeamId_StartedUtc" ON "Patrols" ("TeamId", "StartedUtc");

CREATE INDEX "IX_Patrols_UserId_StartedUtc" ON "Patrols" ("UserId", "StartedUtc");

CREATE INDEX "IX_PatrolTeamAreas_AreaCode" ON "PatrolTeamAreas" ("AreaCode");

CREATE UNIQUE INDEX "IX_PatrolTeamAreas_TeamId_AreaCode" ON "PatrolTeamAreas" ("TeamId", "AreaCode");

CREATE UNIQUE INDEX "IX_PatrolTeamMembers_TeamId_UserId" ON "PatrolTeamMembers" ("TeamId", "UserId");

CREATE INDEX "IX_PatrolTeamMembers_UserId" ON "PatrolTeamMembers" ("UserId");

CREATE INDEX "IX_PatrolTeams_DivisionCode" ON "PatrolTeams" ("DivisionCode");

CREATE INDEX "IX_TrackChunks_PatrolId_Seq" ON "TrackChunks" ("PatrolId", "Seq");
