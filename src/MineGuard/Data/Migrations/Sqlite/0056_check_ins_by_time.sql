-- 0056 (issue 18): a period's check-ins over a whole province or city, by time (PostgreSQL: BRIN; here a B-tree).
CREATE INDEX "IX_CheckIns_AtUtc" ON "CheckIns" ("AtUtc");
