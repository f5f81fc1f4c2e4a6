-- 0059 (issue 21): a ledger import commits in chunks; its batch says it is still importing, and when it last committed
-- a chunk (a batch whose node stopped mid-import is swept by its stale heartbeat). Batches written before were done.
ALTER TABLE "ImportBatches" ADD COLUMN "Status" character varying(12) NOT NULL DEFAULT 'done';
ALTER TABLE "ImportBatches" ADD COLUMN "StartedUtc" timestamp with time zone;
ALTER TABLE "ImportBatches" ADD COLUMN "HeartbeatUtc" timestamp with time zone;
UPDATE "ImportBatches" SET "StartedUtc" = "CreatedUtc";
ALTER TABLE "ImportBatches" ALTER COLUMN "StartedUtc" SET NOT NULL;
