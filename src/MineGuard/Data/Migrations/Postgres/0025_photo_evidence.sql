-- 0025 (issue 15): photo evidence. A check-in photo's perceptual hash (dHash, 64 bits; null when it does not decode or
-- is flat), the field app's capture signature as sent and whether it checked out; the patrol's capture key (the app's
-- random per-patrol key; null for patrols of apps before it). Photos stored before keep a null hash and count as not
-- signed, but their patrols have no key, so nothing changes for them.

ALTER TABLE "CheckInPhotos" ADD COLUMN "PerceptualHash" bigint;
ALTER TABLE "CheckInPhotos" ADD COLUMN "CaptureSignature" character varying(64);
ALTER TABLE "CheckInPhotos" ADD COLUMN "AppCaptured" boolean NOT NULL DEFAULT FALSE;
ALTER TABLE "Patrols" ADD COLUMN "CaptureKey" character varying(64);
