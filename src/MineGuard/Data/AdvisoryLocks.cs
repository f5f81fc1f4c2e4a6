using Microsoft.EntityFrameworkCore;

namespace MineGuard.Data;

/// <summary>
/// The PostgreSQL advisory locks the product takes, one number each, so that no two writers share a number by accident.
/// Every lock is transaction-scoped (released at commit or rollback). On SQLite the write transaction is already the
/// lock (one writer at a time), so every call is a no-op there.
/// </summary>
public enum LockKey
{
    /// <summary>Schema migration (taken by <see cref="SchemaMigrator"/> on its own connection).</summary>
    Schema = 7300,
    /// <summary>Extending the audit hash chain.</summary>
    AuditChain = 7301,
    /// <summary>Seeding divisions and villages.</summary>
    Divisions = 7302,
    /// <summary>Adding a child division under a parent (per parent).</summary>
    DivisionChildren = 7303,
    /// <summary>Loading or bringing the demo up to date.</summary>
    Demo = 7304,
    /// <summary>Signing an audit checkpoint.</summary>
    AuditCheckpoint = 7305,
    /// <summary>Numbering adits (per county).</summary>
    AditNumbers = 7310,
    /// <summary>Importing the mine ledger.</summary>
    MineLedger = 7311,
    /// <summary>Importing a problems ledger (per county).</summary>
    ProblemsLedger = 7317,
    /// <summary>Correlating signals into alerts (per correlation key).</summary>
    AlertCorrelation = 7320,
    /// <summary>Writing a meter's readings (per meter).</summary>
    MeterWrites = 7330,
    /// <summary>Creating the reading partitions.</summary>
    MeterPartitions = 7331,
    /// <summary>Meter writers (shared) against a scan that waits for them (exclusive, for one statement).</summary>
    MeterScan = 7332,
    /// <summary>Recording a checkpoint passage (per plate).</summary>
    VehiclePassages = 7340,
    /// <summary>The explosives gap check.</summary>
    ExplosivesGapCheck = 7342,
}

/// <summary>Takes <see cref="LockKey"/> locks in the caller's transaction (PostgreSQL; nothing on SQLite).</summary>
public static class AdvisoryLocks
{
    /// <summary>Waits for the one lock of this kind (at once when this context's transaction holds it already).</summary>
    public static async Task LockAsync(this AppDbContext db, LockKey key, CancellationToken ct)
    {
        if (!db.IsPostgres || db.HoldsLock(key, null)) return;
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock({(long)key})", ct);
        db.LockTaken(key, null);
    }

    /// <summary>Waits for the lock of this kind for one part (a county, a parent code): other parts do not wait.</summary>
    public static async Task LockAsync(this AppDbContext db, LockKey key, string part, CancellationToken ct)
    {
        if (!db.IsPostgres || db.HoldsLock(key, part)) return;
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock({(int)key}, hashtext({part}))", ct);
        db.LockTaken(key, part);
    }

    /// <summary>
    /// Waits for the locks of all these parts in one round trip, taken in hash order: every caller takes them in the same
    /// order, so two writers never deadlock.
    /// </summary>
    public static async Task LockAllAsync(this AppDbContext db, LockKey key, IEnumerable<string> parts, CancellationToken ct)
    {
        if (!db.IsPostgres) return;
        var all = parts.Distinct().ToArray();
        if (all.Length == 0) return;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"SELECT count(pg_advisory_xact_lock({(int)key}, h)) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest({all}::text[]) AS k ORDER BY 1) AS s", ct);
    }

    /// <summary>Takes the one lock of this kind if it is free; true on SQLite.</summary>
    public static async Task<bool> TryLockAsync(this AppDbContext db, LockKey key, CancellationToken ct) =>
        !db.IsPostgres || await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({(long)key}) AS \"Value\"").SingleAsync(ct);
}

public sealed partial class AppDbContext
{
    /// <summary>
    /// The advisory locks this context took in its current transaction (<see cref="AdvisoryLocks.LockAsync(AppDbContext, LockKey, CancellationToken)"/>):
    /// a transaction-scoped lock is held to the commit or rollback, so taking it again is a round trip that changes
    /// nothing (a field request's two saves took the audit chain's lock four times). Good only while that transaction
    /// lasts: the next transaction is another object. Nothing takes a lock inside a savepoint that is later rolled back
    /// (EF's savepoints cover only its own statements, and no lock is taken among them).
    /// </summary>
    private readonly TransactionScoped<HashSet<(LockKey, string?)>> heldLocks = new();

    internal bool HoldsLock(LockKey key, string? part) => heldLocks.Get(this)?.Contains((key, part)) == true;

    /// <summary>Remembers a lock taken in the current transaction (outside one, a lock lasts its own statement).</summary>
    internal void LockTaken(LockKey key, string? part)
    {
        if (Database.CurrentTransaction is null) return;
        var held = heldLocks.Get(this);
        if (held is null) heldLocks.Set(this, held = []);
        held.Add((key, part));
    }
}
