-- 0063 (issue 21): patrols marked for judgement by the field requests of a burst, judged once the burst is over
-- (PatrolJudgeJob): a day's sync judged once instead of after each of its ~80 requests.
CREATE TABLE "PatrolJudgements" (
    "PatrolId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "MarkedUtc" timestamp with time zone NOT NULL,
    "DueUtc" timestamp with time zone NOT NULL,
    "LatestUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_PatrolJudgements" PRIMARY KEY ("PatrolId")
);

CREATE INDEX "IX_PatrolJudgements_DueUtc" ON "PatrolJudgements" ("DueUtc");
