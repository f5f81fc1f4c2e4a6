-- 0061 (issue 21): an alert's row is rewritten on every signal that joins it (SignalCount, LastSignalUtc, Severity:
-- none indexed). With full pages each rewrite went to another page and added an entry to every one of the table's six
-- indexes; a fifth of each page left free lets PostgreSQL rewrite the row in place (a HOT update, indexes untouched).
ALTER TABLE "Alerts" SET (fillfactor = 80);
-- A device's row is rewritten when a batch hears from it (LastSeenUtc, not indexed): the same.
ALTER TABLE "Devices" SET (fillfactor = 80);
