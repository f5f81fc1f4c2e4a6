-- 0046 (issue 17): a problem imported from a ledger in the upward layout remembers its import batch, so the import can
-- be reviewed and undone like the other ledgers' batches.

ALTER TABLE "Problems" ADD "ImportBatchId" TEXT NULL CONSTRAINT "FK_Problems_ImportBatches_ImportBatchId" REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT;

CREATE INDEX "IX_Problems_ImportBatchId" ON "Problems" ("ImportBatchId");
