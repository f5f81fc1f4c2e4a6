-- 0009: patrol teams, plans, patrols with tracks, check-ins with photos, patrol rules.

CREATE TABLE "PatrolRuleSets" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "PatrolsPerWeek" integer NOT NULL,
    "ChecksPerAditPerMonth" integer NOT NULL,
    "CrossPatrolsPerMonth" integer NOT NULL,
    "CityTeamPatrolDaysPerMonth" integer NOT NULL,
    "MaxDistanceMetres" double precision NOT NULL,
    "MaxAccuracyMetres" double precision NOT NULL,
    "MaxSpeedKmh" double precision NOT NULL,
    "MaxTrackGapMinutes" integer NOT NULL,
    "ClockToleranceMinutes" integer NOT NULL,
    "PhotoToleranceMinutes" integer NOT NULL,
    "PhotoMaxDistanceMetres" double precision NOT NULL,
    "RequirePhoto" boolean NOT NULL,
    "CheckInHopKmh" double precision NOT NULL,
    "NightStartHour" integer NOT NULL,
    "NightEndHour" integer NOT NULL,
    "HomeRadiusMetres" double precision NOT NULL,
    CONSTRAINT "PK_PatrolRuleSets" PRIMARY KEY ("Id")
);

CREATE TABLE "TrackChunks" (
    "Id" uuid NOT NULL,
    "PatrolId" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Seq" integer NOT NULL,
    "Count" integer NOT NULL,
    "FirstUtc" timestamp with time zone NOT NULL,
    "LastUtc" timestamp with time zone NOT NULL,
    "Points" bytea NOT NULL,
    "PayloadHash" character varying(64) NOT NULL,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_TrackChunks" PRIMARY KEY ("Id")
);

CREATE TABLE "PatrolTeams" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Kind" integer NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_PatrolTeams" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PatrolTeams_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE TABLE "CheckInPhotos" (
    "Id" uuid NOT NULL,
    "CheckInId" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "FileId" uuid NOT NULL,
    "Sha256" character varying(64) NOT NULL,
    "TakenUtc" timestamp with time zone NOT NULL,
    "ExifTakenUtc" timestamp with time zone,
    "ExifLat" double precision,
    "ExifLon" double precision,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_CheckInPhotos" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CheckInPhotos_StoredFiles_FileId" FOREIGN KEY ("FileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PatrolPlans" (
    "Id" uuid NOT NULL,
    "TeamId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "PeriodStart" date NOT NULL,
    "PeriodEnd" date NOT NULL,
    "IsCross" boolean NOT NULL,
    "Note" character varying(500),
    "CreatedUtc" timestamp with time zone NOT NULL,
    "CreatedById" uuid,
    CONSTRAINT "PK_PatrolPlans" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PatrolPlans_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Patrols" (
    "Id" uuid NOT NULL,
    "TeamId" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "PlanId" uuid,
    "IsCross" boolean NOT NULL,
    "Source" integer NOT NULL,
    "StartedUtc" timestamp with time zone NOT NULL,
    "EndedUtc" timestamp with time zone,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "ClockSkewSeconds" double precision NOT NULL,
    "PayloadHash" character varying(64) NOT NULL,
    CONSTRAINT "PK_Patrols" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Patrols_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Patrols_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PatrolTeamAreas" (
    "Id" uuid NOT NULL,
    "TeamId" uuid NOT NULL,
    "AreaCode" character varying(24) NOT NULL,
    CONSTRAINT "PK_PatrolTeamAreas" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PatrolTeamAreas_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PatrolTeamMembers" (
    "Id" uuid NOT NULL,
    "TeamId" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "HomeLat" double precision,
    "HomeLon" double precision,
    CONSTRAINT "PK_PatrolTeamMembers" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PatrolTeamMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_PatrolTeamMembers_PatrolTeams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "PatrolTeams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CheckIns" (
    "Id" uuid NOT NULL,
    "PatrolId" uuid NOT NULL,
    "AditId" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "Lat" double precision NOT NULL,
    "Lon" double precision NOT NULL,
    "Accuracy" double precision NOT NULL,
    "SealIntact" boolean,
    "FreshDigging" boolean,
    "Spoil" boolean,
    "Tools" boolean,
    "Power" boolean,
    "VehicleTracks" boolean,
    "People" boolean,
    "Smoke" boolean,
    "ReportsFinding" boolean NOT NULL,
    "Note" character varying(1000),
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "ClockSkewSeconds" double precision NOT NULL,
    "PayloadHash" character varying(64) NOT NULL,
    "Verified" boolean NOT NULL,
    "DistanceMetres" double precision NOT NULL,
    "Reasons" character varying(4000),
    "Flags" character varying(4000),
    "FlagsClearedUtc" timestamp with time zone,
    "FlagsClearedById" uuid,
    "FlagsClearedNote" character varying(500),
    "EvaluatedUtc" timestamp with time zone,
    "FollowUpId" uuid,
    "BreachRecorded" boolean NOT NULL,
    CONSTRAINT "PK_CheckIns" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CheckIns_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CheckIns_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PatrolPlanItems" (
    "Id" uuid NOT NULL,
    "PlanId" uuid NOT NULL,
    "AditId" uuid NOT NULL,
    "Rank" integer NOT NULL,
    "Reason" character varying(100) NOT NULL,
    CONSTRAINT "PK_PatrolPlanItems" PRIMARY KEY ("Id"),
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
