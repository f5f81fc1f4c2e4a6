-- 0055 (issue 21): the map pyramid's coarse levels (tile zooms 3 to 13, the views of a county and wider) are kept per
-- county (the first six digits of the adit's division code) instead of per adit division. A city view at zoom 9 read a
-- row for every township or village in every tile of its level; it now reads one per county. The fine levels (15, 17)
-- keep the adit's own division, so a township user's views stay within its scope; the app reads the coarse levels only
-- for callers whose scope is a county or wider (AditMapCell.CountyLevels).

DROP TRIGGER "AditMapCells_Insert" ON "Adits";
DROP TRIGGER "AditMapCells_Update" ON "Adits";
DROP TRIGGER "AditMapCells_Delete" ON "Adits";
DROP FUNCTION adit_map_cells_insert();
DROP FUNCTION adit_map_cells_update();
DROP FUNCTION adit_map_cells_delete();
DELETE FROM "AditMapCells" WHERE "Level" <= 13;

-- The adits already there, at the coarse levels.
INSERT INTO "AditMapCells" AS m ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), CASE WHEN l <= 13 THEN left(c."DivisionCode", 6) ELSE c."DivisionCode" END,
           sum(c.s), sum(c.s * c."MapX"), sum(c.s * c."MapY"),
           sum(c.s * (c."State" = 1)::int), sum(c.s * (c."State" = 2 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int),
           sum(c.s * (c."State" = 3 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int), sum(c.s * (c."State" = 4)::int),
           sum(c.s * (c."State" IN (2, 3) AND coalesce(c."CurrentSealMethod", 0) = 6)::int)
    FROM (SELECT 1::bigint AS s, "Adits"."MapX", "Adits"."MapY", "Adits"."DivisionCode", "Adits"."State", "Adits"."CurrentSealMethod" FROM "Adits" WHERE "Adits"."Status" = 1) AS c CROSS JOIN unnest(ARRAY[3, 5, 7, 9, 11, 13]) AS l
    GROUP BY 1, 2, 3, 4
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = m."Count" + excluded."Count", "SumX" = m."SumX" + excluded."SumX", "SumY" = m."SumY" + excluded."SumY",
        "Unsealed" = m."Unsealed" + excluded."Unsealed", "Sealed" = m."Sealed" + excluded."Sealed",
        "Accepted" = m."Accepted" + excluded."Accepted", "Breached" = m."Breached" + excluded."Breached", "Weak" = m."Weak" + excluded."Weak";

-- Statement-level triggers over the transition tables: one set-based upsert per statement (a COPY of 100,000 adits
-- is one upsert, not 800,000). An update only counts the rows whose place, division, status or seal changed.
CREATE FUNCTION adit_map_cells_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AditMapCells" AS m ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), CASE WHEN l <= 13 THEN left(c."DivisionCode", 6) ELSE c."DivisionCode" END,
           sum(c.s), sum(c.s * c."MapX"), sum(c.s * c."MapY"),
           sum(c.s * (c."State" = 1)::int), sum(c.s * (c."State" = 2 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int),
           sum(c.s * (c."State" = 3 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int), sum(c.s * (c."State" = 4)::int),
           sum(c.s * (c."State" IN (2, 3) AND coalesce(c."CurrentSealMethod", 0) = 6)::int)
    FROM (SELECT 1::bigint AS s, new_rows."MapX", new_rows."MapY", new_rows."DivisionCode", new_rows."State", new_rows."CurrentSealMethod" FROM new_rows WHERE new_rows."Status" = 1) AS c CROSS JOIN unnest(ARRAY[3, 5, 7, 9, 11, 13, 15, 17]) AS l
    GROUP BY 1, 2, 3, 4
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = m."Count" + excluded."Count", "SumX" = m."SumX" + excluded."SumX", "SumY" = m."SumY" + excluded."SumY",
        "Unsealed" = m."Unsealed" + excluded."Unsealed", "Sealed" = m."Sealed" + excluded."Sealed",
        "Accepted" = m."Accepted" + excluded."Accepted", "Breached" = m."Breached" + excluded."Breached", "Weak" = m."Weak" + excluded."Weak";
    RETURN NULL;
END $$;

CREATE FUNCTION adit_map_cells_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AditMapCells" AS m ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), CASE WHEN l <= 13 THEN left(c."DivisionCode", 6) ELSE c."DivisionCode" END,
           sum(c.s), sum(c.s * c."MapX"), sum(c.s * c."MapY"),
           sum(c.s * (c."State" = 1)::int), sum(c.s * (c."State" = 2 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int),
           sum(c.s * (c."State" = 3 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int), sum(c.s * (c."State" = 4)::int),
           sum(c.s * (c."State" IN (2, 3) AND coalesce(c."CurrentSealMethod", 0) = 6)::int)
    FROM (SELECT -1::bigint AS s, old_rows."MapX", old_rows."MapY", old_rows."DivisionCode", old_rows."State", old_rows."CurrentSealMethod" FROM old_rows WHERE old_rows."Status" = 1) AS c CROSS JOIN unnest(ARRAY[3, 5, 7, 9, 11, 13, 15, 17]) AS l
    GROUP BY 1, 2, 3, 4
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = m."Count" + excluded."Count", "SumX" = m."SumX" + excluded."SumX", "SumY" = m."SumY" + excluded."SumY",
        "Unsealed" = m."Unsealed" + excluded."Unsealed", "Sealed" = m."Sealed" + excluded."Sealed",
        "Accepted" = m."Accepted" + excluded."Accepted", "Breached" = m."Breached" + excluded."Breached", "Weak" = m."Weak" + excluded."Weak";
    RETURN NULL;
END $$;

CREATE FUNCTION adit_map_cells_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AditMapCells" AS m ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), CASE WHEN l <= 13 THEN left(c."DivisionCode", 6) ELSE c."DivisionCode" END,
           sum(c.s), sum(c.s * c."MapX"), sum(c.s * c."MapY"),
           sum(c.s * (c."State" = 1)::int), sum(c.s * (c."State" = 2 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int),
           sum(c.s * (c."State" = 3 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int), sum(c.s * (c."State" = 4)::int),
           sum(c.s * (c."State" IN (2, 3) AND coalesce(c."CurrentSealMethod", 0) = 6)::int)
    FROM (SELECT -1::bigint AS s, o."MapX", o."MapY", o."DivisionCode", o."State", o."CurrentSealMethod"
          FROM old_rows o JOIN new_rows n ON n."Id" = o."Id" WHERE o."Status" = 1 AND (o."MapX" <> n."MapX" OR o."MapY" <> n."MapY" OR o."DivisionCode" <> n."DivisionCode" OR o."Status" <> n."Status" OR o."State" <> n."State" OR o."CurrentSealMethod" IS DISTINCT FROM n."CurrentSealMethod")
          UNION ALL
          SELECT 1, n."MapX", n."MapY", n."DivisionCode", n."State", n."CurrentSealMethod"
          FROM old_rows o JOIN new_rows n ON n."Id" = o."Id" WHERE n."Status" = 1 AND (o."MapX" <> n."MapX" OR o."MapY" <> n."MapY" OR o."DivisionCode" <> n."DivisionCode" OR o."Status" <> n."Status" OR o."State" <> n."State" OR o."CurrentSealMethod" IS DISTINCT FROM n."CurrentSealMethod")) AS c CROSS JOIN unnest(ARRAY[3, 5, 7, 9, 11, 13, 15, 17]) AS l
    GROUP BY 1, 2, 3, 4
    ON CONFLICT ("Level", "X", "Y", "DivisionCode") DO UPDATE SET
        "Count" = m."Count" + excluded."Count", "SumX" = m."SumX" + excluded."SumX", "SumY" = m."SumY" + excluded."SumY",
        "Unsealed" = m."Unsealed" + excluded."Unsealed", "Sealed" = m."Sealed" + excluded."Sealed",
        "Accepted" = m."Accepted" + excluded."Accepted", "Breached" = m."Breached" + excluded."Breached", "Weak" = m."Weak" + excluded."Weak";
    RETURN NULL;
END $$;

CREATE TRIGGER "AditMapCells_Insert" AFTER INSERT ON "Adits" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION adit_map_cells_insert();
CREATE TRIGGER "AditMapCells_Delete" AFTER DELETE ON "Adits" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION adit_map_cells_delete();
CREATE TRIGGER "AditMapCells_Update" AFTER UPDATE ON "Adits" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION adit_map_cells_update();
