-- 0035 (issue 17): a sweep's coverage counts its problems by area; without this index it scanned every problem.
CREATE INDEX "IX_Problems_SweepId_DivisionCode" ON "Problems" ("SweepId", "DivisionCode");
