-- 0063 (issue 21): patrols marked for judgement by the field requests of a burst, judged once the burst is over
-- (PatrolJudgeJob): a day's sync judged once instead of after each of its ~80 requests.
CREATE TABLE "PatrolJudgements" (
    "PatrolId" TEXT NOT NULL CONSTRAINT "PK_PatrolJudgements" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "MarkedUtc" TEXT NOT NULL,
    "DueUtc" TEXT NOT NULL,
    "LatestUtc" TEXT NOT NULL
);

CREATE INDEX "IX_PatrolJudgements_DueUtc" ON "PatrolJudgements" ("DueUtc");
