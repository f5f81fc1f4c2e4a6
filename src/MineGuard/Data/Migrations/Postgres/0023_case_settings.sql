-- 0023 (issue 14): a county's own case settings set by its office: the case-number pattern and the letterhead of the
-- printed case documents.

CREATE TABLE "CaseCountySettings" (
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "NumberPattern" character varying(60),
    "Letterhead" character varying(50),
    "UpdatedById" uuid,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_CaseCountySettings" PRIMARY KEY ("DivisionCode")
);

ALTER TABLE "CaseCountySettings" ADD CONSTRAINT "FK_CaseCountySettings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT;
