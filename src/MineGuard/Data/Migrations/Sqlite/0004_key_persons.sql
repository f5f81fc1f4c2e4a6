-- 0004: key persons' secrets (the HMAC secret for ID-number duplicate detection, stored encrypted with the
-- data-protection key ring). Generated with 'mineguard schema script --new'.

CREATE TABLE "ProtectedSecrets" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_ProtectedSecrets" PRIMARY KEY,
    "ProtectedValue" TEXT NOT NULL,
    "CreatedUtc" TEXT NOT NULL
);
