-- 0050 (issues 17, 20): the id the field app gives a photo taken offline, unique per subject, so a resend (even two at
-- once) stores the photo once: satellite finding photos and inspection photos.

ALTER TABLE "EvidenceFiles" ADD "ClientId" TEXT NULL;

CREATE UNIQUE INDEX "IX_EvidenceFiles_SubjectType_SubjectId_ClientId" ON "EvidenceFiles" ("SubjectType", "SubjectId", "ClientId");
