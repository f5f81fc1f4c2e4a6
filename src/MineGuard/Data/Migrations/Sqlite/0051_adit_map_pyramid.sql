-- 0051 (issue 21): the map's cluster pyramid. For every second tile zoom from 3 to 17 (AditMapCell.Levels), each tile
-- and division code holds the count of active adits (Status 1) in it, the sums of their zoom-20 tile positions and the
-- count per map state (State 1 未封堵, 2 已封堵, 3 已验收, 4 发现破坏; sealed or accepted with method 6, loose rocks, is
-- weak). Triggers keep it in the transaction of every write to "Adits", whatever wrote it, so a cluster view reads
-- the tiles it shows instead of every adit under them.

CREATE TABLE "AditMapCells" (
    "Level" INTEGER NOT NULL,
    "X" INTEGER NOT NULL,
    "Y" INTEGER NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Count" INTEGER NOT NULL,
    "SumX" INTEGER NOT NULL,
    "SumY" INTEGER NOT NULL,
    "Unsealed" INTEGER NOT NULL,
    "Sealed" INTEGER NOT NULL,
    "Accepted" INTEGER NOT NULL,
    "Breached" INTEGER NOT NULL,
    "Weak" INTEGER NOT NULL,
    CONSTRAINT "PK_AditMapCells" PRIMARY KEY ("Level", "X", "Y", "DivisionCode")
) WITHOUT ROWID; -- the rows are stored in key order: a view reads one contiguous range, no lookup per row

-- The adits already there.
INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
SELECT l."Level", a."MapX" >> (20 - l."Level"), a."MapY" >> (20 - l."Level"), a."DivisionCode",
       count(*), sum(a."MapX"), sum(a."MapY"),
       sum(a."State" = 1), sum(a."State" = 2 AND coalesce(a."CurrentSealMethod", 0) <> 6),
       sum(a."State" = 3 AND coalesce(a."CurrentSealMethod", 0) <> 6), sum(a."State" = 4),
       sum(a."State" IN (2, 3) AND coalesce(a."CurrentSealMethod", 0) = 6)
FROM "Adits" AS a CROSS JOIN (SELECT 3 AS "Level" UNION ALL SELECT 5 AS "Level" UNION ALL SELECT 7 AS "Level" UNION ALL SELECT 9 AS "Level" UNION ALL SELECT 11 AS "Level" UNION ALL SELECT 13 AS "Level" UNION ALL SELECT 15 AS "Level" UNION ALL SELECT 17 AS "Level") AS l
WHERE a."Status" = 1
GROUP BY 1, 2, 3, 4;

-- SQLite triggers are per row: eight upserts per written adit (no CTEs in trigger bodies, hence the inline levels).
CREATE TRIGGER "AditMapCells_Insert" AFTER INSERT ON "Adits" WHEN NEW."Status" = 1
BEGIN
    INSERT INTO "AditMapCells" ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l."Level", NEW."MapX" >> (20 - l."Level"), NEW."MapY" >> (20 - l."Level"), NEW."DivisionCode",
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
    SELECT l."Level", OLD."MapX" >> (20 - l."Level"), OLD."MapY" >> (20 - l."Level"), OLD."DivisionCode",
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
    SELECT l."Level", NEW."MapX" >> (20 - l."Level"), NEW."MapY" >> (20 - l."Level"), NEW."DivisionCode",
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
    SELECT l."Level", OLD."MapX" >> (20 - l."Level"), OLD."MapY" >> (20 - l."Level"), OLD."DivisionCode",
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
