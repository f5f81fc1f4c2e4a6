-- 0015: rate-limit counters shared by every node (log-in, tip submission, receipt-code guessing) and revoked log-in
-- sessions (a log-out refuses every copy of the cookie at once).

CREATE TABLE "RateCounters" (
    "Bucket" character varying(120) NOT NULL,
    "Slot" bigint NOT NULL,
    "Hits" integer NOT NULL,
    "LastMs" bigint NOT NULL,
    CONSTRAINT "PK_RateCounters" PRIMARY KEY ("Bucket", "Slot")
);

CREATE TABLE "RevokedSessions" (
    "Id" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "RevokedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_RevokedSessions" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_RateCounters_Slot" ON "RateCounters" ("Slot");

CREATE INDEX "IX_RevokedSessions_RevokedUtc" ON "RevokedSessions" ("RevokedUtc");
