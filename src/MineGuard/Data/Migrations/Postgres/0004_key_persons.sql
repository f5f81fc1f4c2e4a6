-- 0004: key persons' secrets (the HMAC secret for ID-number duplicate detection, stored encrypted with the
-- data-protection key ring). Generated with 'mineguard schema script --new'.

CREATE TABLE "ProtectedSecrets" (
    "Name" character varying(100) NOT NULL,
    "ProtectedValue" character varying(2000) NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ProtectedSecrets" PRIMARY KEY ("Name")
);
