using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.KeyPersons;

/// <summary>管控等级.</summary>
public enum ControlLevel
{
    General = 1, Key, Strict,
}

/// <summary>
/// 重点人员: a person with mining history or suspected of theft. Sensitive: the ID number is stored encrypted, with
/// only its last four digits in clear for lists; the full record is shown to the office and police only, and every
/// unmasked view is written to the audit trail.
/// </summary>
public sealed class KeyPerson : IInJurisdiction
{
    private KeyPerson() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>The ID number, encrypted with the application's data-protection key ring.</summary>
    [AuditHidden]
    public string IdNumberProtected { get; private set; } = "";

    /// <summary>Keyed hash of the ID number: finds the same person twice without decrypting anything.</summary>
    [AuditHidden]
    public string IdNumberHash { get; private set; } = "";

    public string IdNumberLast4 { get; private set; } = "";
    public string? Phone { get; private set; }

    /// <summary>Home village (or township) division code: what scoping filters on.</summary>
    public string DivisionCode { get; private set; } = "";

    public string? Address { get; private set; }

    /// <summary>从业经历: mining experience.</summary>
    public string? History { get; private set; }

    /// <summary>前科: prior cases.</summary>
    public string? PriorCases { get; private set; }

    public ControlLevel ControlLevel { get; private set; }

    /// <summary>Vehicles the person uses (normalised plates, "，" between): the vehicle analysis links them to checkpoint passages.</summary>
    public string? Plates { get; private set; }
    public Guid? ImportBatchId { get; private set; }
    public bool IsDemo { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public string MaskedIdNumber => "**************" + IdNumberLast4;

    public sealed record Profile(string Name, string? Phone, string DivisionCode, string? Address, string? History, string? PriorCases, ControlLevel ControlLevel,
        string? Plates = null);

    public static KeyPerson Register(Profile profile, string idProtected, string idHash, string idLast4, DateTime nowUtc,
        Guid? importBatchId = null, bool isDemo = false)
    {
        var person = new KeyPerson
        {
            Id = Guid.CreateVersion7(), IdNumberProtected = idProtected, IdNumberHash = idHash, IdNumberLast4 = idLast4,
            CreatedUtc = nowUtc, ImportBatchId = importBatchId, IsDemo = isDemo,
        };
        person.Update(profile, nowUtc);
        return person;
    }

    public void Update(Profile p, DateTime nowUtc)
    {
        (Name, Phone, DivisionCode, Address, History, PriorCases, ControlLevel, Plates) =
            (p.Name, p.Phone, p.DivisionCode, p.Address, p.History, p.PriorCases, p.ControlLevel, p.Plates);
        UpdatedUtc = nowUtc;
    }

    /// <summary>Corrects a mistyped ID number: its encrypted form, hash and last four digits change together.</summary>
    public void CorrectIdNumber(string idProtected, string idHash, string idLast4, DateTime nowUtc)
    {
        (IdNumberProtected, IdNumberHash, IdNumberLast4) = (idProtected, idHash, idLast4);
        UpdatedUtc = nowUtc;
    }
}

/// <summary>上门宣传诫训: a home visit to a key person.</summary>
public sealed class HomeVisit : IInJurisdiction
{
    private HomeVisit() { }

    public Guid Id { get; private set; }
    public Guid KeyPersonId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public DateOnly VisitedOn { get; private set; }

    /// <summary>Who went (names as written in the visit record).</summary>
    public string VisitedBy { get; private set; } = "";

    public string Outcome { get; private set; } = "";
    public Guid? RecordedById { get; private set; }
    public DateTime RecordedUtc { get; private set; }

    public static HomeVisit Create(KeyPerson person, DateOnly on, string visitedBy, string outcome, Guid? recordedBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), KeyPersonId = person.Id, DivisionCode = person.DivisionCode, VisitedOn = on,
        VisitedBy = visitedBy, Outcome = outcome, RecordedById = recordedBy, RecordedUtc = nowUtc,
    };
}

/// <summary>A key person linked to an adit (lives nearby, was caught there, worked it).</summary>
public sealed class KeyPersonAdit
{
    private KeyPersonAdit() { }

    public Guid KeyPersonId { get; private set; }
    public Guid AditId { get; private set; }
    public string? Relation { get; private set; }

    public static KeyPersonAdit Link(Guid keyPersonId, Guid aditId, string? relation) =>
        new() { KeyPersonId = keyPersonId, AditId = aditId, Relation = relation };
}

public static class KeyPersonNames
{
    public static readonly IReadOnlyDictionary<ControlLevel, string> Levels = new Dictionary<ControlLevel, string>
    {
        [ControlLevel.General] = "一般", [ControlLevel.Key] = "重点", [ControlLevel.Strict] = "严管",
    };
}
