using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Adits;

/// <summary>
/// What validating an adit needs to know about one county, loaded once: its outline, its townships, villages and
/// grids (by code and by the names offices write), and the people who can be responsible. Used for one adit from the
/// form and for a hundred thousand rows of an imported ledger alike.
/// </summary>
public sealed class AditPlaces
{
    private readonly Dictionary<string, Division> byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Division>> byName = new(StringComparer.Ordinal);

    private AditPlaces(Division county, IPreparedGeometry? outline)
    {
        County = county;
        Outline = outline;
    }

    public Division County { get; }

    /// <summary>The county's 责任人 records and users, who may answer for an adit.</summary>
    public CountyPeople People { get; private set; } = null!;

    /// <summary>The county outline (WGS84), or null where the product has none (the check is then skipped).</summary>
    public IPreparedGeometry? Outline { get; }

    public static async Task<AditPlaces> LoadAsync(AppDbContext db, Division county, CancellationToken ct)
    {
        var outline = county.BoundaryGeoJson is { } json ? PreparedGeometryFactory.Prepare(GeoJson.ReadFirstGeometry(json)) : null;
        var places = new AditPlaces(county, outline);
        var below = await db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(county.Code))
            .Where(d => d.Level > DivisionLevel.County).ToListAsync(ct);
        foreach (var d in below)
        {
            places.byCode[d.Code] = d;
            foreach (var name in NameForms(d.Name))
            {
                if (!places.byName.TryGetValue(name, out var list)) places.byName[name] = list = [];
                list.Add(d);
            }
        }
        places.People = await CountyPeople.LoadAsync(db, county.Code, ct);
        return places;
    }

    /// <summary>The responsible person named by the form (<see cref="CountyPeople.Responsible"/>).</summary>
    public (Guid? PersonId, Guid? UserId)? Responsible(string text) => People.Responsible(text);

    public bool Contains(double lon, double lat) =>
        Outline is null || Outline.Covers(GeoJson.Factory.CreatePoint(new Coordinate(lon, lat)));

    public Division? Find(string codeOrName, DivisionLevel level, string? parentCode)
    {
        var text = codeOrName.Trim();
        var code = Division.NormalizeCode(text);
        if (byCode.TryGetValue(code, out var byItsCode) && byItsCode.Level == level) return byItsCode;
        if (!byName.TryGetValue(text, out var named)) return null;
        var matches = named.Where(d => d.Level == level && (parentCode is null || d.ParentCode == parentCode || d.Code.StartsWith(parentCode, StringComparison.Ordinal))).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    public Division? Grid(string codeOrName, string parentCode) =>
        Find(codeOrName, DivisionLevel.Grid, parentCode);

    public Guid? User(string nameOrLogin) => People.User(nameOrLogin);

    public string NameOf(string code) => byCode.TryGetValue(code, out var d) ? d.Name : code;

    /// <summary>"陶村林场" is also written "陶村"; "城关镇" also "城关"; ledgers use both.</summary>
    private static IEnumerable<string> NameForms(string name)
    {
        yield return name;
        foreach (var suffix in new[] { "林场", "街道", "镇", "乡", "村委会", "社区", "村" })
        {
            if (name.Length > suffix.Length + 1 && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                yield return name[..^suffix.Length];
                yield break;
            }
        }
    }
}
