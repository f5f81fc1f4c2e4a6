using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Mines.Pages;

/// <summary>The new and edit forms' fields, bound as Input.&lt;Field&gt;: the same text the API and the import take.</summary>
public sealed class MineFormInput
{
    public string? Name { get; set; }
    public string? RightsHolder { get; set; }
    public string? LicenceNumber { get; set; }
    public string? Mineral { get; set; }
    public string? County { get; set; }
    public string? Township { get; set; }
    public string? ValidFrom { get; set; }
    public string? ValidTo { get; set; }
    public string? Status { get; set; }
    public string? BoundaryCrs { get; set; }
    [System.ComponentModel.DataAnnotations.MaxLength(Platform.Web.InputLimits.GeometryMaxLength)]
    public string? Boundary { get; set; }
    public string? Responsible { get; set; }

    /// <summary>The day a changed status took effect (e.g. the date of a 停产 order); blank is today.</summary>
    public string? StatusSince { get; set; }

    public MineInput ToInput() =>
        new(Name, RightsHolder, LicenceNumber, Mineral, Township, Boundary, ValidFrom, ValidTo, Status, County, BoundaryCrs, Responsible, StatusSince);

    /// <summary>The stored mine as the form shows it; the boundary as its WGS84 GeoJSON.</summary>
    public static MineFormInput From(LicensedMine m) => new()
    {
        Name = m.Name, RightsHolder = m.RightsHolder, LicenceNumber = m.LicenceNumber, Mineral = AditNames.Minerals[m.Mineral],
        County = m.CountyCode, Township = m.DivisionCode == m.CountyCode ? "" : m.DivisionCode,
        ValidFrom = Date(m.ValidFrom), ValidTo = Date(m.ValidTo), Status = MineNames.Statuses[m.Status], BoundaryCrs = "WGS84",
        Boundary = m.BoundaryGeoJson, Responsible = m.ResponsiblePersonId?.ToString(),
    };

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>What the shared fields show: values, the townships the user may choose, and errors beside each field.</summary>
public sealed record MineFormView(
    MineFormInput Input, IReadOnlyList<Division> Townships, bool NeedsCounty, ModelStateDictionary State, IReadOnlyList<(string Label, string Post)> People)
{
    public string? Error(string field) =>
        State.TryGetValue("Input." + field, out var entry) && entry.Errors.Count > 0
            ? string.Join("；", entry.Errors.Select(e => e.ErrorMessage))
            : null;

    /// <summary>Users above county level (a city office) name the county; others work in their own.</summary>
    public static bool CountyNeeded(JurisdictionScope scope) => scope.IsAll || scope.Code.Length < 6;
}
