using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

/// <summary>
/// 取值对应: a county's own word in a ledger's enumeration column (封堵情况 “砌墙封死”) and the product's value it stands
/// for (已封堵), remembered so that next month's ledger with the same words asks nothing. Filed where the session that
/// made it was filed (the county, or the uploader's node inside it); applied to every import into the county.
/// </summary>
public sealed class ImportValueMapping : IInJurisdiction
{
    private ImportValueMapping() { }

    public Guid Id { get; private set; }

    /// <summary>The ledger kind (<see cref="LedgerKind.Kind"/>).</summary>
    public string Kind { get; private set; } = "";

    public string CountyCode { get; private set; } = "";

    public string DivisionCode { get; private set; } = "";

    /// <summary>The field key of the enumeration column (<see cref="ValueColumn.Field"/>).</summary>
    public string Field { get; private set; } = "";

    /// <summary>The ledger's text, trimmed.</summary>
    public string Value { get; private set; } = "";

    /// <summary>The product's Chinese name of the value it stands for (one of <see cref="ValueColumn.Known"/>).</summary>
    public string Known { get; private set; } = "";

    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static ImportValueMapping Create(string kind, string countyCode, string divisionCode, string field, string value, string known,
        Guid? createdBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Kind = kind, CountyCode = countyCode, DivisionCode = divisionCode, Field = field, Value = value,
        Known = known, CreatedById = createdBy, CreatedUtc = nowUtc, UpdatedUtc = nowUtc,
    };

    public void Change(string known, DateTime nowUtc) => (Known, UpdatedUtc) = (known, nowUtc);
}
