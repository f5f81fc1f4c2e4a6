-- 0046 (issue 17): a problem imported from a ledger in the upward layout remembers its import batch, so the import can
-- be reviewed and undone like the other ledgers' batches.

ALTER TABLE "Problems" ADD "ImportBatchId" uuid;

CREATE INDEX "IX_Problems_ImportBatchId" ON "Problems" ("ImportBatchId");

ALTER TABLE "Problems" ADD CONSTRAINT "FK_Problems_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT;
