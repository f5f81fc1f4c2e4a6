using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.KeyPersons;

/// <summary>The ledger as <see cref="IKeyPersonLedger"/>: a key person in scope by id; ID-number hashes on the ledger anywhere; a case's party enrolled.</summary>
public sealed class KeyPersonLedgerLookup(AppDbContext db, KeyPersonCommands commands) : IKeyPersonLedger
{
    public Task<KeyPersonRecord?> FindAsync(Guid id, CancellationToken ct) =>
        db.Set<KeyPerson>().Where(p => p.Id == id)
            .Select(p => new KeyPersonRecord(p.Id, p.Name, p.IdNumberProtected, p.IdNumberHash, p.IdNumberLast4)).FirstOrDefaultAsync(ct);

    public async Task<HashSet<string>> OnLedgerAsync(IReadOnlyCollection<string> idNumberHashes, CancellationToken ct)
    {
        if (idNumberHashes.Count == 0) return [];
        var list = idNumberHashes.ToList();
        return (await db.Set<KeyPerson>().Beyond(ScopeExit.Uniqueness).Where(p => list.Contains(p.IdNumberHash)).Select(p => p.IdNumberHash).ToListAsync(ct))
            .ToHashSet();
    }

    public Task<(Guid? Id, bool Registered, Platform.Web.FieldErrors Errors)> EnrolAsync(KeyPersonEnrolment person, CancellationToken ct) =>
        commands.EnrolAsync(person, ct);
}
