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

    /// <summary>Records a read of sensitive data (key persons, tipster identity); written with the next save.</summary>
    public void AuditRead(string entityType, string entityId, string divisionCode, string? detail = null) =>
        pendingReads.Add(Entry("read", entityType, entityId, divisionCode, detail));

    /// <summary>Records something that is not an entity change (log-in, export…); written with the next save.</summary>
    public void AuditEvent(string action, string entityType, string entityId, string? detail = null, string? divisionCode = null) =>
        pendingReads.Add(Entry(action, entityType, entityId, divisionCode ?? AuditCollector.ActorDivision(CurrentUser), detail));

    private AuditEntry Entry(string action, string entityType, string entityId, string divisionCode, string? detail) =>
        new(CurrentUser.Id, CurrentUser.Name, action, entityType, entityId, divisionCode, detail, CurrentUser.Address);

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changes = AuditCollector.Collect(ChangeTracker, CurrentUser);
        if (changes.Count == 0 && pendingReads.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var entries = changes.Select(c => c.Complete()).Concat(pendingReads).ToList();
        pendingReads.Clear();
        await AppendToChainAsync(entries, cancellationToken);
        if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
        return count;
    }

    private async Task AppendToChainAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        // One writer at a time extends the chain. On SQLite the transaction already holds the write lock
        // (BEGIN IMMEDIATE); on PostgreSQL several nodes may write, so they queue on an advisory lock.
        if (IsPostgres) await Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7301)", ct);

        var last = await AuditRecords.IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? AuditRecord.GenesisHash;
        var now = Clock.GetUtcNow().UtcDateTime;
        foreach (var entry in entries)
        {
            var record = AuditRecord.Chain(entry, ++sequence, previous, now);
            previous = record.Hash;
            AuditRecords.Add(record);
        }
        await base.SaveChangesAsync(true, ct);
    }
}
