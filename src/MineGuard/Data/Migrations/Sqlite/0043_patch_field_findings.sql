-- 0043 (issue 20): satellite patch findings recorded offline in the field app, under the phone's id (stored once, a
-- different record under the same id refused), with the checker's position and whether it proves presence on site; the
-- patch keeps the latest finding's distance and proof.

CREATE TABLE "PatchFieldFindings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PatchFieldFindings" PRIMARY KEY,
    "PatchId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Finding" INTEGER NOT NULL,
    "Note" TEXT NOT NULL,
    "Lon" REAL NOT NULL,
    "Lat" REAL NOT NULL,
    "Accuracy" REAL NULL,
    "AtUtc" TEXT NOT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "ClockSkewSeconds" REAL NULL,
    "UserId" TEXT NULL,
    "Metres" REAL NOT NULL,
    "Proven" INTEGER NOT NULL,
    "ProofReasons" TEXT NULL,
    "PayloadHash" TEXT NOT NULL
);

CREATE INDEX "IX_PatchFieldFindings_DivisionCode" ON "PatchFieldFindings" ("DivisionCode");

CREATE INDEX "IX_PatchFieldFindings_PatchId" ON "PatchFieldFindings" ("PatchId");

ALTER TABLE "SatellitePatches" ADD "FindingMetres" REAL NULL;

ALTER TABLE "SatellitePatches" ADD "FindingProven" INTEGER NULL;

ALTER TABLE "SatellitePatches" ADD "FindingProof" TEXT NULL;
