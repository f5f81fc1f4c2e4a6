-- 0057 (PostgreSQL only: the map cells' triggers take the audit chain's advisory lock first). SQLite has one writer.
SELECT 1;
