-- 0062: a safety notice may go to 500 villages (twelve-digit codes, comma-separated: 6,500 characters), but the column
-- held 4,000, so a notice to more than ~300 villages was refused on saving. Room for 615.
ALTER TABLE "SafetyNotices" ALTER COLUMN "Villages" TYPE character varying(8000);
