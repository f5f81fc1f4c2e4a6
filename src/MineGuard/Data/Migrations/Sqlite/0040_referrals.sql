-- 0040 (issue 18): accountability rules that refer by themselves (问责线索): a referral per (rule, place, month) with
-- the records it counted and the officials it names, decided by the discipline commission; each jurisdiction's rule
-- settings (rules switched off, the days before a further signal counts, a county's monthly threshold).

CREATE TABLE "Referrals" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Referrals" PRIMARY KEY,
    "RuleCode" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Period" TEXT NOT NULL,
    "PeriodFrom" TEXT NOT NULL,
    "PeriodTo" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "Facts" TEXT NOT NULL,
    "Officials" TEXT NOT NULL,
    "State" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "Decision" TEXT NULL,
    "DecidedById" TEXT NULL,
    "DecidedByName" TEXT NULL,
    "DecidedUtc" TEXT NULL
);

CREATE TABLE "AccountabilitySettings" (
    "DivisionCode" TEXT NOT NULL CONSTRAINT "PK_AccountabilitySettings" PRIMARY KEY,
    "DisabledRules" TEXT NOT NULL,
    "NotStoppedDays" INTEGER NOT NULL,
    "CountyThreshold" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_AccountabilitySettings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE INDEX "IX_Referrals_DivisionCode_CreatedUtc" ON "Referrals" ("DivisionCode", "CreatedUtc");

CREATE UNIQUE INDEX "IX_Referrals_RuleCode_DivisionCode_Period" ON "Referrals" ("RuleCode", "DivisionCode", "Period");
