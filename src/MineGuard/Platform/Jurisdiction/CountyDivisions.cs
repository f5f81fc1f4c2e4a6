using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>
/// A county's townships, villages and grids, loaded once (the county's shipped villages first, on first need:
/// <see cref="Villages.EnsureCountyAsync"/>), found by code and by the names offices write. The one place where a
/// form or a ledger row's 乡镇 / 村 / 网格 text becomes a division: villages through <see cref="VillageTable"/>.
/// </summary>
public sealed class CountyDivisions
{
    private readonly Dictionary<string, Division> byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Division>> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VillageTable> villages = new(StringComparer.Ordinal);

    private CountyDivisions(Division county) => County = county;

    public Division County { get; }

    public static async Task<CountyDivisions> LoadAsync(AppDbContext db, Division county, CancellationToken ct)
    {
        var below = await Below(db, county).ToListAsync(ct);
        if (await Villages.EnsureCountyAsync(db, county.Code, below.Select(d => d.Code).ToHashSet(StringComparer.Ordinal), ct) > 0)
            below = await Below(db, county).ToListAsync(ct);
        var places = new CountyDivisions(county);
        foreach (var d in below)
        {
            places.byCode[d.Code] = d;
            foreach (var name in NameForms(d))
            {
                if (!places.byName.TryGetValue(name, out var list)) places.byName[name] = list = [];
                list.Add(d);
            }
        }
        return places;
    }

    private static IQueryable<Division> Below(AppDbContext db, Division county) =>
        db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(county.Code)).Where(d => d.Level > DivisionLevel.County);

    /// <summary>A township or grid (and a village by its code or exact name) by code or name, under <paramref name="parentCode"/>.</summary>
    public Division? Find(string codeOrName, DivisionLevel level, string? parentCode)
    {
        var text = codeOrName.Trim();
        var code = Division.NormalizeCode(text);
        if (byCode.TryGetValue(code, out var byItsCode) && byItsCode.Level == level) return byItsCode;
        if (!byName.TryGetValue(text, out var named)) return null;
        var matches = named.Where(d => d.Level == level && (parentCode is null || d.ParentCode == parentCode || d.Code.StartsWith(parentCode, StringComparison.Ordinal))).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>
    /// A village of the township as a ledger names it (黄庄村 for 黄庄村民委员会). <paramref name="error"/> names the
    /// township's nearest villages when none matches and the candidates when several do; <paramref name="note"/> says
    /// which village was taken when the name was not the village's own.
    /// </summary>
    public Division? Village(string text, Division township, out string? error, out string? note) =>
        Answer(VillagesOf(township), text, township.Name, false, out error, out note);

    /// <summary>
    /// A village named without its township (a register with one 所属区划 column): matched among all the county's
    /// villages as <see cref="Village"/> matches among a township's; a name two townships share is refused with both.
    /// </summary>
    public Division? VillageInCounty(string text, out string? error, out string? note) =>
        Answer(countyVillages ??= new VillageTable(byCode.Values.Where(d => d.Level == DivisionLevel.Village)), text, County.Name, true, out error, out note);

    private VillageTable? countyVillages;

    private Division? Answer(VillageTable table, string text, string placeName, bool acrossTownships, out string? error, out string? note)
    {
        (error, note) = (null, null);
        var name = text.Trim();
        var match = table.Match(name);
        if (match.Village is { } village)
        {
            if (!match.Exact) note = $"村“{name}”对应{NameOf(village.ParentCode ?? "")}的“{village.Name}”（{village.Code}）";
            return village;
        }
        if (match.Several.Count > 0)
            error = $"村“{name}”在{placeName}有多个可能：{string.Join("、", match.Several.Take(5).Select(v => $"{Parent(v)}{v.Name}（{v.Code}）"))}，请写全称或填写村代码";
        else if (table.Count == 0)
            error = $"{placeName}没有已登记的村，村“{name}”无法对应（管理员可在“区划与责任分工”中添加）";
        else
            error = $"村“{name}”不是{placeName}的村；名称最接近的有：{string.Join("、", match.Nearest)}";
        return null;

        // Candidates in one township need no township name; across the county they do.
        string Parent(Division v) => acrossTownships && v.ParentCode is { } parent ? NameOf(parent) : "";
    }

    public string NameOf(string code) => byCode.TryGetValue(code, out var d) ? d.Name : code;

    private VillageTable VillagesOf(Division township)
    {
        if (!villages.TryGetValue(township.Code, out var table))
            villages[township.Code] = table = new VillageTable(byCode.Values.Where(d => d.Level == DivisionLevel.Village && d.ParentCode == township.Code));
        return table;
    }

    /// <summary>"陶村林场" is also written "陶村"; "城关镇" also "城关"; ledgers use both.</summary>
    private static IEnumerable<string> NameForms(Division division)
    {
        var name = division.Name;
        yield return name;
        if (division.Level == DivisionLevel.Village) yield break; // villages match through their township's VillageTable
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
