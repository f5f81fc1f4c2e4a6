-- 0028 (issue 16): a county's risk-score weights (风险评分权重) set by its office: one weight per signal and the radius of
-- "near". A county without a row uses the defaults (Features/Analysis/Risk/RiskModel.cs).

CREATE TABLE "RiskWeights" (
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Seal" double precision NOT NULL,
    "Method" double precision NOT NULL,
    "Repeat" double precision NOT NULL,
    "Recent" double precision NOT NULL,
    "Neglect" double precision NOT NULL,
    "Alerts" double precision NOT NULL,
    "Clues" double precision NOT NULL,
    "KeyPersons" double precision NOT NULL,
    "Tips" double precision NOT NULL,
    "Meters" double precision NOT NULL,
    "Vehicles" double precision NOT NULL,
    "NearMetres" integer NOT NULL,
    "UpdatedById" uuid,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_RiskWeights" PRIMARY KEY ("DivisionCode")
);

ALTER TABLE "RiskWeights" ADD CONSTRAINT "FK_RiskWeights_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT;
