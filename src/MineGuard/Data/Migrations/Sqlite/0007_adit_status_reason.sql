-- 0007: why an adit was written off the ledger (销号).

ALTER TABLE "Adits" ADD "StatusReason" TEXT NULL;
