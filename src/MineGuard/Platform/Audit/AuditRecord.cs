using System.Security.Cryptography;
using System.Text;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Audit;

/// <summary>
/// 审计记录: one append-only entry of the audit trail. Each record's hash covers its content and the previous record's
/// hash, so changing or deleting a record breaks the chain at that point (<see cref="AuditChain.VerifyAsync"/>).
/// </summary>
public sealed class AuditRecord : IInJurisdiction
{
    private AuditRecord() { }

    /// <summary>Position in the chain: 1, 2, 3… with no gaps.</summary>
    public long Sequence { get; private set; }

    public DateTime AtUtc { get; private set; }
    public Guid? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";

    /// <summary>The actor name's and entity id's columns.</summary>
    public const int ActorNameMax = 100, EntityIdMax = 200;

    /// <summary>create, update, delete, read, login, login-failed…</summary>
    public string Action { get; private set; } = "";

    public string EntityType { get; private set; } = "";
    public string EntityId { get; private set; } = "";

    /// <summary>The division the record belongs to: the entity's, else the actor's scope ("" for the system).</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>What changed, as JSON (property → value for a create, → [old, new] for an update).</summary>
    public string? Changes { get; private set; }

    public string Address { get; private set; } = "";
    public string PreviousHash { get; private set; } = "";
    public string Hash { get; private set; } = "";

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    internal static AuditRecord Chain(AuditEntry entry, long sequence, string previousHash, DateTime nowUtc)
    {
        var record = new AuditRecord
        {
            Sequence = sequence,
            // PostgreSQL keeps microseconds: hash what the database will give back.
            AtUtc = new DateTime(nowUtc.Ticks - nowUtc.Ticks % 10, DateTimeKind.Utc),
            // An API key's name (up to 100) after "apikey:", a user name typed at a failed log-in: cut to the columns.
            ActorId = entry.ActorId, ActorName = Web.StoredValueLimits.Cut(entry.ActorName, ActorNameMax), Action = entry.Action,
            EntityType = entry.EntityType, EntityId = Web.StoredValueLimits.Cut(entry.EntityId, EntityIdMax), DivisionCode = entry.DivisionCode,
            Changes = entry.Changes, Address = entry.Address, PreviousHash = previousHash,
        };
        record.Hash = record.ComputeHash();
        return record;
    }

    public string ComputeHash()
    {
        var text = string.Join('\u001f',
            Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
            ActorId?.ToString() ?? "", ActorName, Action, EntityType, EntityId, DivisionCode, Changes ?? "", Address,
            PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>An audit record before it takes its place in the chain.</summary>
public sealed record AuditEntry(
    Guid? ActorId, string ActorName, string Action, string EntityType, string EntityId, string DivisionCode,
    string? Changes, string Address);
