namespace MineGuard.Platform.People;

/// <summary>A key person as another feature may use one: the name and the protected ID number (never in clear).</summary>
public sealed record KeyPersonRecord(Guid Id, string Name, string IdNumberProtected, string IdNumberHash, string IdNumberLast4);

/// <summary>
/// The key-person ledger (重点人员, Features/KeyPersons) as cases need it: link a party to a ledger entry, and ask which
/// ID numbers are on the ledger (人不漏案). Implemented by the key-person feature, so Cases references no feature.
/// </summary>
public interface IKeyPersonLedger
{
    /// <summary>The key person in the caller's scope, or null.</summary>
    Task<KeyPersonRecord?> FindAsync(Guid id, CancellationToken ct);

    /// <summary>Which of these ID-number hashes are on the ledger anywhere (a yes/no, nothing shown).</summary>
    Task<HashSet<string>> OnLedgerAsync(IReadOnlyCollection<string> idNumberHashes, CancellationToken ct);
}
