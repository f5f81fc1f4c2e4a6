-- 0057: deadlocks between adit writes. Every adit of a county updates the same coarse map cells (0055), and every
-- audited save takes the audit chain's advisory lock (LockKey.AuditChain = 7301) and holds it to commit. A transaction
-- that had written an adit (so held the county's cell rows) and then waited for the chain's lock, while another held
-- that lock and wrote an adit of the same county, deadlocked (seen in CI: a registration against a breach, an import's
-- undo against a sealing). A statement on "Adits" now takes the chain's lock BEFORE it writes any row (neither the
-- adit's row nor its cells are held while it waits): one order for everyone. Audited writes already serialised on that
-- lock at commit.
CREATE FUNCTION adits_audit_chain_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7301);
    RETURN NULL;
END $$;

CREATE TRIGGER "Adits_AuditChainLock" BEFORE INSERT OR UPDATE OR DELETE ON "Adits"
    FOR EACH STATEMENT EXECUTE FUNCTION adits_audit_chain_lock();
