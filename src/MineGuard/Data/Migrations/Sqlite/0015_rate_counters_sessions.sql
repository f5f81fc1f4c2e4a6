-- 0015: rate-limit counters shared by every node (log-in, tip submission, receipt-code guessing) and revoked log-in
-- sessions (a log-out refuses every copy of the cookie at once).

CREATE TABLE "RateCounters" (
    "Bucket" TEXT NOT NULL,
    "Slot" INTEGER NOT NULL,
    "Hits" INTEGER NOT NULL,
    "LastMs" INTEGER NOT NULL,
    CONSTRAINT "PK_RateCounters" PRIMARY KEY ("Bucket", "Slot")
);

CREATE TABLE "RevokedSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_RevokedSessions" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "RevokedUtc" TEXT NOT NULL
);

CREATE INDEX "IX_RateCounters_Slot" ON "RateCounters" ("Slot");

CREATE INDEX "IX_RevokedSessions_RevokedUtc" ON "RevokedSessions" ("RevokedUtc");
