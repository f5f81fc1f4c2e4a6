-- 0043 (issue 20): satellite patch findings recorded offline in the field app, under the phone's id (stored once, a
-- different record under the same id refused), with the checker's position and whether it proves presence on site; the
-- patch keeps the latest finding's distance and proof.

CREATE TABLE "PatchFieldFindings" (
    "Id" uuid NOT NULL,
    "PatchId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Finding" integer NOT NULL,
    "Note" character varying(2000) NOT NULL,
    "Lon" double precision NOT NULL,
    "Lat" double precision NOT NULL,
    "Accuracy" double precision,
    "AtUtc" timestamp with time zone NOT NULL,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "ClockSkewSeconds" double precision,
    "UserId" uuid,
    "Metres" double precision NOT NULL,
    "Proven" boolean NOT NULL,
    "ProofReasons" character varying(1000),
    "PayloadHash" character varying(64) NOT NULL,
    CONSTRAINT "PK_PatchFieldFindings" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_PatchFieldFindings_DivisionCode" ON "PatchFieldFindings" ("DivisionCode");

CREATE INDEX "IX_PatchFieldFindings_PatchId" ON "PatchFieldFindings" ("PatchId");

ALTER TABLE "SatellitePatches" ADD "FindingMetres" double precision;

ALTER TABLE "SatellitePatches" ADD "FindingProven" boolean;

ALTER TABLE "SatellitePatches" ADD "FindingProof" character varying(1000);
