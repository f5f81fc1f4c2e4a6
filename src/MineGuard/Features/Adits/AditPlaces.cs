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
/// grids (by code and by the names offices write), and the users who can be responsible. Used for one adit from the
/// form and for a hundred thousand rows of an imported ledger alike.
/// </summary>
public sealed class AditPlaces
{
    private readonly Dictionary<string, Division> byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Division>> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Guid PersonId, Guid? UserId)> persons = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Guid> personOfUser = [];

    private AditPlaces(Division county, IPreparedGeometry? outline)
    {
        County = county;
        Outline = outline;
    }

    public Division County { get; }

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
        var people = await db.Users.AsNoTracking().Within(JurisdictionScope.Of(county.Code), u => u.DivisionCode)
            .Where(u => !u.IsDisabled).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        foreach (var p in people)
        {
            places.users[p.UserName!] = p.Id;
            places.users.TryAdd(p.DisplayName, p.Id);
        }
        // Ledgers name the person ("王敏"), display names often carry the post too ("嵩县打非办 王敏"): accept the
        // name alone when exactly one user in the county has it.
        foreach (var group in people.Where(p => !string.IsNullOrWhiteSpace(p.DisplayName)).GroupBy(p => p.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]))
        {
            if (group.Count() == 1) places.users.TryAdd(group.Key, group.First().Id);
        }
        // 责任人 records of the county (with or without accounts): by id, phone, "姓名（手机号）" and a name only one has.
        var records = await db.Beyond<Person>(ScopeExit.LinkedLabel).AsNoTracking().Within(JurisdictionScope.Of(county.Code), p => p.DivisionCode)
            .Where(p => p.MergedIntoId == null).Select(p => new { p.Id, p.Name, p.Phone, p.UserId }).ToListAsync(ct);
        foreach (var p in records)
        {
            places.persons[p.Id.ToString()] = (p.Id, p.UserId);
            if (p.Phone.Length > 0)
            {
                places.persons.TryAdd(p.Phone, (p.Id, p.UserId));
                places.persons.TryAdd($"{p.Name}（{p.Phone}）", (p.Id, p.UserId));
            }
            if (p.UserId is { } u) places.personOfUser.TryAdd(u, p.Id);
        }
        foreach (var group in records.GroupBy(p => p.Name).Where(g => g.Count() == 1)) places.persons.TryAdd(group.Key, (group.First().Id, group.First().UserId));
        return places;
    }

    /// <summary>
    /// The responsible person named by a form or a ledger: a person record (by id, phone, "姓名（手机号）", or a name only
    /// one person of the county has), else a user of the county (by log-in or name) with the person linked to it, if any.
    /// </summary>
    public (Guid? PersonId, Guid? UserId)? Responsible(string text)
    {
        var t = text.Trim();
        if (persons.TryGetValue(t, out var p)) return (p.PersonId, p.UserId);
        if (PhoneNumber.TryNormalize(t, out var phone) && persons.TryGetValue(phone, out p)) return (p.PersonId, p.UserId);
        if (User(t) is { } user) return (personOfUser.TryGetValue(user, out var linked) ? linked : null, user);
        return null;
    }

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

    public Guid? User(string nameOrLogin) => users.TryGetValue(nameOrLogin.Trim(), out var id) ? id : null;

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
