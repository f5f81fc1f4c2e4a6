-- 0057: deadlocks between adit writes. Every adit of a county updates the same coarse map cells (0055), and every
-- audited save takes the audit chain's advisory lock (LockKey.AuditChain = 7301) and holds it to commit. A transaction
-- that had written an adit (so held the county's cell rows) and then waited for the chain's lock, while another held
-- that lock and wrote an adit of the same county, deadlocked (seen in CI: a registration against a breach, an import's
-- undo against a sealing). The cell triggers now take the chain's lock before they touch a cell, so whoever holds a cell
-- row holds the chain's lock: one order for everyone. Audited writes already serialised on that lock at commit.
CREATE OR REPLACE FUNCTION adit_map_cells_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The audit chain's lock (LockKey.AuditChain) before the shared cells: see the header.
    PERFORM pg_advisory_xact_lock(7301);
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

CREATE OR REPLACE FUNCTION adit_map_cells_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The audit chain's lock (LockKey.AuditChain) before the shared cells: see the header.
    PERFORM pg_advisory_xact_lock(7301);
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

CREATE OR REPLACE FUNCTION adit_map_cells_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The audit chain's lock (LockKey.AuditChain) before the shared cells: see the header.
    PERFORM pg_advisory_xact_lock(7301);
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
