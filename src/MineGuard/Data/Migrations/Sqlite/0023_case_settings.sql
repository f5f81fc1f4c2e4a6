-- 0023 (issue 14): a county's own case settings set by its office: the case-number pattern and the letterhead of the
-- printed case documents.

CREATE TABLE "CaseCountySettings" (
    "DivisionCode" TEXT NOT NULL CONSTRAINT "PK_CaseCountySettings" PRIMARY KEY,
    "NumberPattern" TEXT NULL,
    "Letterhead" TEXT NULL,
    "UpdatedById" TEXT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_CaseCountySettings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);
