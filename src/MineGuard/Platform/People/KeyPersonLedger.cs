using MineGuard.Platform.Web;

namespace MineGuard.Platform.People;

/// <summary>A key person as another feature may use one: the name and the protected ID number (never in clear).</summary>
public sealed record KeyPersonRecord(Guid Id, string Name, string IdNumberProtected, string IdNumberHash, string IdNumberLast4);

/// <summary>
/// A case's party proposed for the ledger (案不漏人), with the party's ID number as protected by the case (the same
/// <see cref="IdNumberProtection"/> purpose), the township the ledger records it under and why it is there.
/// </summary>
public sealed record KeyPersonEnrolment(string Name, string IdNumberProtected, string IdNumberHash, string IdNumberLast4, string DivisionCode,
    string History, string PriorCases, string ControlLevel);

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

    /// <summary>
    /// Puts a case's party on the ledger, added to the context for the caller's save: the entry with the same ID number
    /// in the caller's scope when there is one (<c>Registered</c> false), else a new entry. Field errors (named after
    /// <see cref="KeyPersonEnrolment"/>'s members) in Chinese when refused.
    /// </summary>
    Task<(Guid? Id, bool Registered, FieldErrors Errors)> EnrolAsync(KeyPersonEnrolment person, CancellationToken ct);
}
