using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Audit;

namespace MineGuard.Data;

/// <summary>
/// Every save writes its audit records in the same transaction as the change, so there is no change without its record
/// and no record of a change that did not happen.
/// </summary>
public sealed partial class AppDbContext
{
    private readonly List<AuditEntry> pendingReads = [];
    private AuditBatch? auditBatch;

    /// <summary>Records a read of sensitive data (key persons, tipster identity); written with the next save.</summary>
    public void AuditRead(string entityType, string entityId, string divisionCode, string? detail = null) =>
        pendingReads.Add(Entry("read", entityType, entityId, divisionCode, detail));

    /// <summary>Records something that is not an entity change (log-in, export…); written with the next save.</summary>
    public void AuditEvent(string action, string entityType, string entityId, string? detail = null, string? divisionCode = null) =>
        pendingReads.Add(Entry(action, entityType, entityId, divisionCode ?? AuditCollector.ActorDivision(CurrentUser), detail));

    /// <summary>
    /// Drops the unit of work: the tracked changes and the audit records queued for the next save. For a save lost to a
    /// race (another request stored the same record meanwhile), which the caller stages again or answers as a duplicate:
    /// what the lost save meant to audit must not be written by a later one.
    /// </summary>
    public void DiscardUnitOfWork()
    {
        ChangeTracker.Clear();
        pendingReads.Clear();
    }

    private AuditEntry Entry(string action, string entityType, string entityId, string divisionCode, string? detail) =>
        new(CurrentUser.Id, CurrentUser.Name, action, entityType, entityId, divisionCode, detail, CurrentUser.Address);

    /// <summary>
    /// Audits a bulk change (a ledger import of 100,000 adits) as ONE event instead of a record per row. Inside the
    /// scope, saves write no per-entity records; <see cref="AuditBatch.Complete"/> queues the batch's event, which the
    /// next save writes. Rows and event commit together, so the scope needs the caller's transaction; and if changes
    /// were saved under the scope but its event was not written when the scope ends, the scope rolls that transaction
    /// back: unaudited rows are never committed.
    /// </summary>
    public AuditBatch AuditAsBatch(string action, string entityType, string entityId, string divisionCode)
    {
        if (Database.CurrentTransaction is null) throw new InvalidOperationException("AuditAsBatch needs a transaction around the batch.");
        if (auditBatch is not null) throw new InvalidOperationException("An audit batch is already open on this context.");
        return auditBatch = new AuditBatch(this, action, entityType, entityId, divisionCode);
    }

    public sealed class AuditBatch : IDisposable
    {
        private readonly AppDbContext db;
        private readonly (string Action, string EntityType, string EntityId, string DivisionCode) what;

        internal AuditBatch(AppDbContext db, string action, string entityType, string entityId, string divisionCode)
        {
            this.db = db;
            what = (action, entityType, entityId, divisionCode);
        }

        internal AuditEntry? Event { get; private set; }
        internal bool Saved { get; set; }
        internal bool Written { get; set; }

        /// <summary>Queues the batch's one audit event (what was done, in numbers); the next save writes it.</summary>
        public void Complete(string detail)
        {
            if (Event is not null) throw new InvalidOperationException("The audit batch is already complete.");
            Event = db.Entry(what.Action, what.EntityType, what.EntityId, what.DivisionCode, detail);
            db.pendingReads.Add(Event);
        }

        public void Dispose()
        {
            if (db.auditBatch != this) return;
            db.auditBatch = null;
            if (Saved && !Written) db.Database.CurrentTransaction?.Rollback();
        }
    }

    /// <summary>
    /// A save of many changes in the caller's transaction (the clock's batch of escalations): new rows of types that are
    /// their own record (notifications, the SMS outbox: <see cref="OwnRecordAttribute"/>, never audited row by row) go in
    /// one bulk insert and leave the change tracker; everything else is saved and audited as usual.
    /// </summary>
    public async Task<int> SaveManyAsync(CancellationToken ct)
    {
        var own = ChangeTracker.Entries().Where(e => e.State == EntityState.Added && AuditCollector.IsOwnRecord(e.Metadata.ClrType)).ToList();
        if (own.Count > 0)
        {
            await this.InsertAsync(own.Select(e => e.Entity).ToList(), ct);
            foreach (var entry in own) entry.State = EntityState.Detached;
        }
        return own.Count + await SaveChangesAsync(ct);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var batch = auditBatch;
        List<AuditCollector.Pending> changes = [];
        if (batch is null) changes = AuditCollector.Collect(ChangeTracker, CurrentUser);
        else if (ChangeTracker.HasChanges()) batch.Saved = true;
        var deadlines = DeadlinesToLock();
        if (changes.Count == 0 && pendingReads.Count == 0 && deadlines.Length == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        // The chain's lock BEFORE the rows (PostgreSQL; held to commit either way). Taken after them, a save that had
        // just written shared rows (an adit's map cells: every adit of a county updates the same coarse cells) waited for
        // the lock while another transaction, holding it from an earlier save, waited for those rows: a deadlock (seen in
        // CI: registering an adit against a breach recorded on another adit of the county).
        // And the clock's rows before the chain's lock: the deadline job claims its deadlines first (their rows), then
        // takes the chain's lock and writes the subjects (an assignment's level). A request that closes or moves a
        // deadline while it changes that subject (a case's notice closes the stage's assignment and its deadline) took
        // the chain's lock and the subject first and the deadline last: a deadlock with the job (seen in CI on
        // PostgreSQL). Locked first here, in id order, the request waits for the job or the job skips the row.
        // (An unaudited save that changes deadlines locks them too: its other rows would otherwise come first.)
        await LockDeadlinesAsync(deadlines, cancellationToken);
        if (changes.Count > 0) await this.LockAsync(LockKey.AuditChain, cancellationToken);
        var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var entries = changes.Select(c => c.Complete()).Concat(pendingReads).ToList();
        pendingReads.Clear();
        if (entries.Count > 0) await AppendToChainAsync(entries, cancellationToken);
        if (batch?.Event is { } e && entries.Contains(e)) batch.Written = true;
        if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>PostgreSQL: the deadlines this save changes, in id order (SQLite has one writer: nothing to order).</summary>
    private Guid[] DeadlinesToLock() => !IsPostgres ? [] : ChangeTracker.Entries<Platform.Deadlines.Deadline>()
        .Where(e => e.State is EntityState.Modified or EntityState.Deleted).Select(e => e.Entity.Id).Order().ToArray();

    private async Task LockDeadlinesAsync(Guid[] ids, CancellationToken ct)
    {
        if (ids.Length == 0) return;
        await Database.ExecuteSqlRawAsync("""SELECT 1 FROM "Deadlines" WHERE "Id" = ANY({0}) ORDER BY "Id" FOR UPDATE""", [ids], ct);
    }

    private async Task AppendToChainAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        // One writer at a time extends the chain. On SQLite the transaction already holds the write lock
        // (BEGIN IMMEDIATE); on PostgreSQL several nodes may write, so they queue on an advisory lock.
        await this.LockAsync(LockKey.AuditChain, ct);

        // A second save in the same transaction (a field request stores its record, then its judgement) extends the head
        // the first one wrote: the lock is still held, so nobody else can have moved it.
        long sequence;
        string previous;
        if (chainHead.Get(this) is { } head)
            (sequence, previous) = (head.Sequence, head.Hash);
        else
        {
            var last = await AuditRecords.Beyond(ScopeExit.NoScopeYet).AsNoTracking()
                .OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
            (sequence, previous) = (last?.Sequence ?? 0, last?.Hash ?? AuditRecord.GenesisHash);
        }

        var now = Clock.GetUtcNow().UtcDateTime;
        var records = new List<AuditRecord>(entries.Count);
        foreach (var entry in entries)
        {
            var record = AuditRecord.Chain(entry, ++sequence, previous, now);
            previous = record.Hash;
            records.Add(record);
        }
        // The records go in through BulkInsert (COPY / one prepared statement), never tracked: they are append-only and
        // never read back through this context. A second SaveChanges for one or two records (the common save) detected
        // changes over every tracked entity twice more (its own pass and StoredValueLimits'), about a fifth of a field
        // request's time in the patrol benchmark.
        await this.InsertAsync(records, ct);
        chainHead.Set(this, new ChainHead(sequence, previous));
    }

    /// <summary>
    /// The chain's head as this context's last append left it, in the transaction it was written in: good only while
    /// that transaction lasts (a rollback ends it, and the next transaction is another object). Nothing rolls back part
    /// of a transaction past an append (EF's savepoints cover only its own statements, which come before it), and no other
    /// context shares a transaction (nothing calls UseTransaction).
    /// </summary>
    private readonly TransactionScoped<ChainHead> chainHead = new();

    private sealed record ChainHead(long Sequence, string Hash);
}
