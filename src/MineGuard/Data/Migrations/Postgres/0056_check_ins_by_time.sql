-- 0056 (issue 18): a period's check-ins over a whole province or city (the supervision dashboard's patrol section,
-- compliance, the check-in list's counts) were a sequential scan of every check-in, twice per dashboard. Check-ins
-- arrive nearly in time order (offline sync is late by hours, not months), so a BRIN range index on the time reads the
-- period's pages only, at a few kilobytes of index.
CREATE INDEX "IX_CheckIns_AtUtc" ON "CheckIns" USING brin ("AtUtc");
