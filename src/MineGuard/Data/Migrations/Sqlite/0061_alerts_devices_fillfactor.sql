-- 0061 (issue 21): PostgreSQL leaves room in the alerts' and devices' pages for in-place updates; SQLite has no such setting.
SELECT 1;
