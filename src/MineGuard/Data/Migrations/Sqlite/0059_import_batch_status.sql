-- 0059 (issue 21): a ledger import commits in chunks; its batch says it is still importing, and when it last committed
-- a chunk (a batch whose node stopped mid-import is swept by its stale heartbeat). Batches written before were done.
ALTER TABLE "ImportBatches" ADD COLUMN "Status" TEXT NOT NULL DEFAULT 'done';
ALTER TABLE "ImportBatches" ADD COLUMN "StartedUtc" TEXT NOT NULL DEFAULT '0001-01-01 00:00:00';
ALTER TABLE "ImportBatches" ADD COLUMN "HeartbeatUtc" TEXT NULL;
UPDATE "ImportBatches" SET "StartedUtc" = "CreatedUtc";
