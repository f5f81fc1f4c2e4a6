-- 0028 (issue 16): a county's risk-score weights (风险评分权重) set by its office: one weight per signal and the radius of
-- "near". A county without a row uses the defaults (Features/Analysis/Risk/RiskModel.cs).

CREATE TABLE "RiskWeights" (
    "DivisionCode" TEXT NOT NULL CONSTRAINT "PK_RiskWeights" PRIMARY KEY,
    "Seal" REAL NOT NULL,
    "Method" REAL NOT NULL,
    "Repeat" REAL NOT NULL,
    "Recent" REAL NOT NULL,
    "Neglect" REAL NOT NULL,
    "Alerts" REAL NOT NULL,
    "Clues" REAL NOT NULL,
    "KeyPersons" REAL NOT NULL,
    "Tips" REAL NOT NULL,
    "Meters" REAL NOT NULL,
    "Vehicles" REAL NOT NULL,
    "NearMetres" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_RiskWeights_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);
