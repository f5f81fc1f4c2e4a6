-- 0020 (issue 13): a ledger import makes the 包保责任人 it names for the first time into person records (no account);
-- each remembers the batch that created it, so undoing the import removes those nobody else has come to name.

ALTER TABLE "Persons" ADD "ImportBatchId" uuid;

CREATE INDEX "IX_Persons_ImportBatchId" ON "Persons" ("ImportBatchId");

ALTER TABLE "Persons" ADD CONSTRAINT "FK_Persons_ImportBatches_ImportBatchId" FOREIGN KEY ("ImportBatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT;
