-- 0042 (issue 20, second slice): a gap in the explosives loop raises an alert (the one alert path, copied to the police)
-- instead of opening a clue, and is closed with a reason by a writer (a closed gap stays, so its key is not raised again).

ALTER TABLE "ExplosiveGaps" ADD COLUMN "AlertId" TEXT NULL;
ALTER TABLE "ExplosiveGaps" ADD COLUMN "ClosedUtc" TEXT NULL;
ALTER TABLE "ExplosiveGaps" ADD COLUMN "ClosedById" TEXT NULL;
ALTER TABLE "ExplosiveGaps" ADD COLUMN "CloseReason" TEXT NULL;
