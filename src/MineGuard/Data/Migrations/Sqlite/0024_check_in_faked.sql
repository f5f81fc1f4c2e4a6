-- 0024 (issue 15): the office's review can find a check-in faked (认定伪造): who, when and why. A faked check-in never
-- counts and counts against its member and team in compliance.

ALTER TABLE "CheckIns" ADD COLUMN "FakedUtc" TEXT NULL;
ALTER TABLE "CheckIns" ADD COLUMN "FakedById" TEXT NULL;
ALTER TABLE "CheckIns" ADD COLUMN "FakedNote" TEXT NULL;
