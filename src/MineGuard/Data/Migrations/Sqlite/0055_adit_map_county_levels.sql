-- 0055 (issue 21): the map pyramid's coarse levels (tile zooms 3 to 13, the views of a county and wider) are kept per
-- county (the first six digits of the adit's division code) instead of per adit division. A city view at zoom 9 read a
-- row for every township or village in every tile of its level; it now reads one per county. The fine levels (15, 17)
-- keep the adit's own division, so a township user's views stay within its scope; the app reads the coarse levels only
-- for callers whose scope is a county or wider (AditMapCell.CountyLevels).

DROP TRIGGER "AditMapCells_Insert";
DROP TRIGGER "AditMapCells_Update";
DROP TRIGGER "AditMapCells_Delete";
DELETE FROM "AditMapCells" WHERE "Level" <= 13;

-- The adits already there, at the coarse levels.
INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
SELECT l."Level", a."MapX" >> (20 - l."Level"), a."MapY" >> (20 - l."Level"), CASE WHEN l."Level" <= 13 THEN substr(a."DivisionCode", 1, 6) ELSE a."DivisionCode" END,
       count(*), sum(a."MapX"), sum(a."MapY"),
       sum(a."State" = 1), sum(a."State" = 2 AND coalesce(a."CurrentSealMethod", 0) <> 6),
       sum(a."State" = 3 AND coalesce(a."CurrentSealMethod", 0) <> 6), sum(a."State" = 4),
       sum(a."State" IN (2, 3) AND coalesce(a."CurrentSealMethod", 0) = 6)
FROM "Adits" AS a CROSS JOIN (SELECT 3 AS "Level" UNION ALL SELECT 5 AS "Level" UNION ALL SELECT 7 AS "Level" UNION ALL SELECT 9 AS "Level" UNION ALL SELECT 11 AS "Level" UNION ALL SELECT 13 AS "Level") AS l
WHERE a."Status" = 1
GROUP BY 1, 2, 3, 4;

-- SQLite triggers are per row: eight upserts per written adit, as in 0051 (no CTEs in trigger bodies, hence the inline levels).
CREATE TRIGGER "AditMapCells_Insert" AFTER INSERT ON "Adits" WHEN NEW."Status" = 1
BEGIN
    INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l."Level", NEW."MapX" >> (20 - l."Level"), NEW."MapY" >> (20 - l."Level"), CASE WHEN l."Level" <= 13 THEN substr(NEW."DivisionCode", 1, 6) ELSE NEW."DivisionCode" END,
           1, NEW."MapX", NEW."MapY",
           (NEW."State" = 1), (NEW."State" = 2 AND coalesce(NEW."CurrentSealMethod", 0) <> 6),
           (NEW."State" = 3 AND coalesce(NEW."CurrentSealMethod", 0) <> 6), (NEW."State" = 4),
           (NEW."State" IN (2, 3) AND coalesce(NEW."CurrentSealMethod", 0) = 6)
    FROM (SELECT 3 AS "Level" UNION ALL SELECT 5 AS "Level" UNION ALL SELECT 7 AS "Level" UNION ALL SELECT 9 AS "Level" UNION ALL SELECT 11 AS "Level" UNION ALL SELECT 13 AS "Level" UNION ALL SELECT 15 AS "Level" UNION ALL SELECT 17 AS "Level") AS l
    WHERE true
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = "Count" + excluded."Count", "SumX" = "SumX" + excluded."SumX", "SumY" = "SumY" + excluded."SumY",
        "Unsealed" = "Unsealed" + excluded."Unsealed", "Sealed" = "Sealed" + excluded."Sealed",
        "Accepted" = "Accepted" + excluded."Accepted", "Breached" = "Breached" + excluded."Breached", "Weak" = "Weak" + excluded."Weak";
END;

CREATE TRIGGER "AditMapCells_Update" AFTER UPDATE OF "MapX", "MapY", "DivisionCode", "Status", "State", "CurrentSealMethod" ON "Adits"
BEGIN
    INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l."Level", OLD."MapX" >> (20 - l."Level"), OLD."MapY" >> (20 - l."Level"), CASE WHEN l."Level" <= 13 THEN substr(OLD."DivisionCode", 1, 6) ELSE OLD."DivisionCode" END,
           -1, -OLD."MapX", -OLD."MapY",
           -(OLD."State" = 1), -(OLD."State" = 2 AND coalesce(OLD."CurrentSealMethod", 0) <> 6),
           -(OLD."State" = 3 AND coalesce(OLD."CurrentSealMethod", 0) <> 6), -(OLD."State" = 4),
           -(OLD."State" IN (2, 3) AND coalesce(OLD."CurrentSealMethod", 0) = 6)
    FROM (SELECT 3 AS "Level" UNION ALL SELECT 5 AS "Level" UNION ALL SELECT 7 AS "Level" UNION ALL SELECT 9 AS "Level" UNION ALL SELECT 11 AS "Level" UNION ALL SELECT 13 AS "Level" UNION ALL SELECT 15 AS "Level" UNION ALL SELECT 17 AS "Level") AS l
    WHERE OLD."Status" = 1
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = "Count" + excluded."Count", "SumX" = "SumX" + excluded."SumX", "SumY" = "SumY" + excluded."SumY",
        "Unsealed" = "Unsealed" + excluded."Unsealed", "Sealed" = "Sealed" + excluded."Sealed",
        "Accepted" = "Accepted" + excluded."Accepted", "Breached" = "Breached" + excluded."Breached", "Weak" = "Weak" + excluded."Weak";
    INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l."Level", NEW."MapX" >> (20 - l."Level"), NEW."MapY" >> (20 - l."Level"), CASE WHEN l."Level" <= 13 THEN substr(NEW."DivisionCode", 1, 6) ELSE NEW."DivisionCode" END,
           1, NEW."MapX", NEW."MapY",
           (NEW."State" = 1), (NEW."State" = 2 AND coalesce(NEW."CurrentSealMethod", 0) <> 6),
           (NEW."State" = 3 AND coalesce(NEW."CurrentSealMethod", 0) <> 6), (NEW."State" = 4),
           (NEW."State" IN (2, 3) AND coalesce(NEW."CurrentSealMethod", 0) = 6)
    FROM (SELECT 3 AS "Level" UNION ALL SELECT 5 AS "Level" UNION ALL SELECT 7 AS "Level" UNION ALL SELECT 9 AS "Level" UNION ALL SELECT 11 AS "Level" UNION ALL SELECT 13 AS "Level" UNION ALL SELECT 15 AS "Level" UNION ALL SELECT 17 AS "Level") AS l
    WHERE NEW."Status" = 1
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = "Count" + excluded."Count", "SumX" = "SumX" + excluded."SumX", "SumY" = "SumY" + excluded."SumY",
        "Unsealed" = "Unsealed" + excluded."Unsealed", "Sealed" = "Sealed" + excluded."Sealed",
        "Accepted" = "Accepted" + excluded."Accepted", "Breached" = "Breached" + excluded."Breached", "Weak" = "Weak" + excluded."Weak";
END;

CREATE TRIGGER "AditMapCells_Delete" AFTER DELETE ON "Adits" WHEN OLD."Status" = 1
BEGIN
    INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l."Level", OLD."MapX" >> (20 - l."Level"), OLD."MapY" >> (20 - l."Level"), CASE WHEN l."Level" <= 13 THEN substr(OLD."DivisionCode", 1, 6) ELSE OLD."DivisionCode" END,
           -1, -OLD."MapX", -OLD."MapY",
           -(OLD."State" = 1), -(OLD."State" = 2 AND coalesce(OLD."CurrentSealMethod", 0) <> 6),
           -(OLD."State" = 3 AND coalesce(OLD."CurrentSealMethod", 0) <> 6), -(OLD."State" = 4),
           -(OLD."State" IN (2, 3) AND coalesce(OLD."CurrentSealMethod", 0) = 6)
    FROM (SELECT 3 AS "Level" UNION ALL SELECT 5 AS "Level" UNION ALL SELECT 7 AS "Level" UNION ALL SELECT 9 AS "Level" UNION ALL SELECT 11 AS "Level" UNION ALL SELECT 13 AS "Level" UNION ALL SELECT 15 AS "Level" UNION ALL SELECT 17 AS "Level") AS l
    WHERE true
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = "Count" + excluded."Count", "SumX" = "SumX" + excluded."SumX", "SumY" = "SumY" + excluded."SumY",
        "Unsealed" = "Unsealed" + excluded."Unsealed", "Sealed" = "Sealed" + excluded."Sealed",
        "Accepted" = "Accepted" + excluded."Accepted", "Breached" = "Breached" + excluded."Breached", "Weak" = "Weak" + excluded."Weak";
END;
