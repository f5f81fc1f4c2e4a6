-- 0058: a tip sent twice is stored once (the submission's id, unique).
ALTER TABLE "Tips" ADD "ClientId" TEXT NULL;
CREATE UNIQUE INDEX "IX_Tips_ClientId" ON "Tips" ("ClientId");
