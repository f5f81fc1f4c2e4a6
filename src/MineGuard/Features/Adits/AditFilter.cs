using MineGuard.Features.Admin;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Adits;

/// <summary>
/// The adit list's filters, as query-string values, shared by the list page, the API, the map and the Excel export so
/// that an export holds exactly what the list shows: township code, mineral, origin, state (未封堵/已封堵/已验收/发现破坏,
/// or weak: sealed with loose rocks only), responsible user id, q (number or name contains), and a warning flag
/// (weak, unaccepted, repeat), a division (any code: the county, township, village or grid and what lies below) and the
/// days registered (from, to: China dates, both included), which is how a dashboard's figure links to the adits it counts.
/// Values may be the enum names (gold, theftpoint) or the Chinese names (金, 盗采点).
/// </summary>
public sealed record AditFilter(
    string? Township = null, string? Mineral = null, string? Origin = null, string? State = null,
    Guid? Responsible = null, string? Q = null, string? Flag = null, string? Division = null, string? From = null, string? To = null)
{
    public const string Weak = "weak";

    public static readonly AditFilter None = new();

    /// <summary>Unknown values are named, so that a typo does not silently list or export the whole registry.</summary>
    public FieldErrors Check()
    {
        var errors = new FieldErrors();
        if (Has(Mineral) && !AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral _)) errors.Add(nameof(Mineral), $"未知的矿种：{Mineral}");
        if (Has(Origin) && !AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin _)) errors.Add(nameof(Origin), $"未知的来源：{Origin}");
        if (Has(State) && !IsWeak && !AditNames.TryParse(AditNames.States, State, out SealState _)) errors.Add(nameof(State), $"未知的封堵状态：{State}");
        if (Flag is not (null or "" or "weak" or "unaccepted" or "repeat"))
            errors.Add(nameof(Flag), "标记只能是 weak（石块堆砌）、unaccepted（未验收）或 repeat（反复破坏）");
        ReportPeriod.ListBounds(From, To, "登记", errors.Add);
        return errors;
    }

    /// <summary>Narrows a (scoped) query; call <see cref="Check"/> first (unparsable values are ignored here).</summary>
    public IQueryable<Adit> Apply(IQueryable<Adit> query)
    {
        if (Has(Township))
        {
            var township = Township!.Trim();
            query = query.Where(a => a.TownshipCode == township);
        }
        if (Has(Division)) query = query.Within(JurisdictionScope.Of(Division!.Trim()), a => a.DivisionCode);
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(From, To, "登记");
        if (fromUtc is { } start) query = query.Where(a => a.CreatedUtc >= start);
        if (toUtc is { } end) query = query.Where(a => a.CreatedUtc < end);
        if (AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral mineral)) query = query.Where(a => a.Mineral == mineral);
        if (AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin origin)) query = query.Where(a => a.Origin == origin);
        if (IsWeak || Flag == "weak") query = WeakSeals(query);
        else if (AditNames.TryParse(AditNames.States, State, out SealState state)) query = query.Where(a => a.State == state);
        if (Responsible is { } person) query = query.Where(a => a.ResponsibleUserId == person);
        if (Flag == "unaccepted") query = query.Where(a => a.State == SealState.Sealed);
        if (Flag == "repeat") query = query.Where(a => a.BreachCount >= 2);
        if (Has(Q))
        {
            var q = Q!.Trim();
            query = query.Where(a => a.Number.Contains(q) || (a.Name != null && a.Name.Contains(q)));
        }
        return query;
    }

    /// <summary>Sealed (or accepted) with loose rocks only.</summary>
    public static IQueryable<Adit> WeakSeals(IQueryable<Adit> query) =>
        query.Where(a => (a.State == SealState.Sealed || a.State == SealState.Accepted) && a.CurrentSealMethod == SealMethod.LooseRocks);

    /// <summary>The filters in words, for the audit trail and the export's file name.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Has(Township)) parts.Add($"乡镇 {Township!.Trim()}");
        if (Has(Division)) parts.Add($"区划 {Division!.Trim()}");
        if (Has(From) || Has(To)) parts.Add($"登记于 {From?.Trim() ?? "…"} 至 {To?.Trim() ?? "…"}");
        if (AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral m)) parts.Add($"矿种 {AditNames.Minerals[m]}");
        if (AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin o)) parts.Add($"来源 {AditNames.Origins[o]}");
        if (IsWeak) parts.Add("封堵薄弱（石块堆砌）");
        else if (AditNames.TryParse(AditNames.States, State, out SealState s)) parts.Add($"状态 {AditNames.States[s]}");
        if (Responsible is { } r) parts.Add($"包保责任人 {r}");
        if (Has(Q)) parts.Add($"含“{Q!.Trim()}”");
        if (Flag is "unaccepted") parts.Add("封堵未验收");
        if (Flag is "repeat") parts.Add("反复破坏");
        return parts.Count == 0 ? "全部" : string.Join("，", parts);
    }

    private bool IsWeak => State?.Trim() is Weak or "薄弱" or "封堵薄弱";

    private static bool Has(string? value) => !string.IsNullOrWhiteSpace(value);
}
