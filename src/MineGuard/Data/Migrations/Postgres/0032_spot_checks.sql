-- 0032 (issue 17): spot checks (抽查) anyone can re-draw: a draw by a city or province over what its counties reported
-- closed (seed, algorithm sha256-v1, the frozen list, share or count, strata, who/when; a second draw on the same list is
-- a new row), its sampled items (signer, check task, result) and the drawing division's default share; a tip's
-- verification overturned by a spot check.

CREATE TABLE "SpotCheckDraws" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Counties" character varying(2000) NOT NULL,
    "Kinds" character varying(100) NOT NULL,
    "FromOn" date NOT NULL,
    "ToOn" date NOT NULL,
    "SharePercent" numeric(5,2),
    "Count" integer,
    "ByTownship" boolean NOT NULL,
    "ByKind" boolean NOT NULL,
    "Seed" character varying(64) NOT NULL,
    "SeedGiven" boolean NOT NULL,
    "Algorithm" character varying(20) NOT NULL,
    "ListText" text NOT NULL,
    "ListHash" character varying(64) NOT NULL,
    "ListCount" integer NOT NULL,
    "SampleCount" integer NOT NULL,
    "Round" integer NOT NULL,
    "DueOn" date NOT NULL,
    "DrawnById" uuid,
    "DrawnByName" character varying(100) NOT NULL,
    "DrawnUtc" timestamp with time zone NOT NULL,
    "ClientId" uuid,
    CONSTRAINT "PK_SpotCheckDraws" PRIMARY KEY ("Id")
);

CREATE TABLE "SpotCheckItems" (
    "Id" uuid NOT NULL,
    "DrawId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "ItemKind" character varying(20) NOT NULL,
    "ItemId" uuid NOT NULL,
    "ItemDivisionCode" character varying(24) NOT NULL,
    "Stratum" character varying(60) NOT NULL,
    "Key" character varying(64) NOT NULL,
    "Rank" integer NOT NULL,
    "Label" character varying(200) NOT NULL,
    "SignerUserId" uuid,
    "SignerName" character varying(100),
    "AssignmentId" uuid,
    "Result" integer,
    "Note" character varying(2000),
    "CheckedById" uuid,
    "CheckerName" character varying(100),
    "CheckedUtc" timestamp with time zone,
    "FollowUpAssignmentId" uuid,
    CONSTRAINT "PK_SpotCheckItems" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SpotCheckItems_SpotCheckDraws_DrawId" FOREIGN KEY ("DrawId") REFERENCES "SpotCheckDraws" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SpotCheckSettings" (
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "DefaultSharePercent" numeric(5,2) NOT NULL,
    "UpdatedById" uuid,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_SpotCheckSettings" PRIMARY KEY ("DivisionCode"),
    CONSTRAINT "FK_SpotCheckSettings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE INDEX "IX_SpotCheckDraws_DivisionCode_DrawnUtc" ON "SpotCheckDraws" ("DivisionCode", "DrawnUtc");

CREATE UNIQUE INDEX "IX_SpotCheckDraws_ListHash_Seed" ON "SpotCheckDraws" ("ListHash", "Seed");

CREATE UNIQUE INDEX "IX_SpotCheckDraws_ClientId" ON "SpotCheckDraws" ("ClientId");

CREATE INDEX "IX_SpotCheckItems_DrawId_Rank" ON "SpotCheckItems" ("DrawId", "Rank");

CREATE INDEX "IX_SpotCheckItems_ItemKind_ItemId" ON "SpotCheckItems" ("ItemKind", "ItemId");

CREATE INDEX "IX_SpotCheckItems_SignerUserId" ON "SpotCheckItems" ("SignerUserId");

ALTER TABLE "Tips" ADD COLUMN "OverturnedUtc" timestamp with time zone;
ALTER TABLE "Tips" ADD COLUMN "OverturnedById" uuid;
ALTER TABLE "Tips" ADD COLUMN "OverturnNote" character varying(2000);
