-- 0051 (issue 21): the map's cluster pyramid. For every second tile zoom from 3 to 17 (AditMapCell.Levels), each tile
-- and division code holds the count of active adits (Status 1) in it, the sums of their zoom-20 tile positions and the
-- count per map state (State 1 未封堵, 2 已封堵, 3 已验收, 4 发现破坏; sealed or accepted with method 6, loose rocks, is
-- weak). Triggers keep it in the transaction of every write to "Adits", whatever wrote it, so a cluster view reads
-- the tiles it shows instead of every adit under them.

CREATE TABLE "AditMapCells" (
    "Level" integer NOT NULL,
    "X" integer NOT NULL,
    "Y" integer NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Count" integer NOT NULL,
    "SumX" bigint NOT NULL,
    "SumY" bigint NOT NULL,
    "Unsealed" integer NOT NULL,
    "Sealed" integer NOT NULL,
    "Accepted" integer NOT NULL,
    "Breached" integer NOT NULL,
    "Weak" integer NOT NULL,
    CONSTRAINT "PK_AditMapCells" PRIMARY KEY ("Level", "X", "Y", "DivisionCode")
);

-- The adits already there.
INSERT INTO "AditMapCells" AS m ("Level", "X", "Y", "DivisionCode", "Count", "SumX", "SumY", "Unsealed", "Sealed", "Accepted", "Breached", "Weak")
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), c."DivisionCode",
           sum(c.s), sum(c.s * c."MapX"), sum(c.s * c."MapY"),
           sum(c.s * (c."State" = 1)::int), sum(c.s * (c."State" = 2 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int),
           sum(c.s * (c."State" = 3 AND coalesce(c."CurrentSealMethod", 0) <> 6)::int), sum(c.s * (c."State" = 4)::int),
           sum(c.s * (c."State" IN (2, 3) AND coalesce(c."CurrentSealMethod", 0) = 6)::int)
    FROM (SELECT 1::bigint AS s, "Adits"."MapX", "Adits"."MapY", "Adits"."DivisionCode", "Adits"."State", "Adits"."CurrentSealMethod" FROM "Adits" WHERE "Adits"."Status" = 1) AS c CROSS JOIN unnest(ARRAY[3, 5, 7, 9, 11, 13, 15, 17]) AS l
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
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), c."DivisionCode",
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
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), c."DivisionCode",
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
    SELECT l, c."MapX" >> (20 - l), c."MapY" >> (20 - l), c."DivisionCode",
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
