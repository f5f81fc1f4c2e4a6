-- 0062: the safety notice's village list may hold 8,000 characters (PostgreSQL widens its column); SQLite keeps text of
-- any length, the model's limit is checked before saving (StoredValueLimits).
SELECT 1;
