-- 0040 (issue 18): accountability rules that refer by themselves (问责线索): a referral per (rule, place, month) with
-- the records it counted and the officials it names, decided by the discipline commission; each jurisdiction's rule
-- settings (rules switched off, the days before a further signal counts, a county's monthly threshold).

CREATE TABLE "Referrals" (
    "Id" uuid NOT NULL,
    "RuleCode" character varying(40) NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Period" character varying(7) NOT NULL,
    "PeriodFrom" date NOT NULL,
    "PeriodTo" date NOT NULL,
    "Summary" character varying(1000) NOT NULL,
    "Facts" text NOT NULL,
    "Officials" text NOT NULL,
    "State" integer NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "Decision" character varying(4000),
    "DecidedById" uuid,
    "DecidedByName" character varying(100),
    "DecidedUtc" timestamp with time zone,
    CONSTRAINT "PK_Referrals" PRIMARY KEY ("Id")
);

CREATE TABLE "AccountabilitySettings" (
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "DisabledRules" character varying(400) NOT NULL,
    "NotStoppedDays" integer NOT NULL,
    "CountyThreshold" integer NOT NULL,
    "UpdatedById" uuid,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_AccountabilitySettings" PRIMARY KEY ("DivisionCode")
);

CREATE INDEX "IX_Referrals_DivisionCode_CreatedUtc" ON "Referrals" ("DivisionCode", "CreatedUtc");

CREATE UNIQUE INDEX "IX_Referrals_RuleCode_DivisionCode_Period" ON "Referrals" ("RuleCode", "DivisionCode", "Period");

ALTER TABLE "AccountabilitySettings" ADD CONSTRAINT "FK_AccountabilitySettings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT;
