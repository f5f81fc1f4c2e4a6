-- 0058: a tip sent twice (a double tap, the back button, a staff client's retry) is stored once. The report form and
-- the staff API carry the submission's id; a resend with it finds the tip stored the first time.
ALTER TABLE "Tips" ADD "ClientId" uuid NULL;
CREATE UNIQUE INDEX "IX_Tips_ClientId" ON "Tips" ("ClientId");
