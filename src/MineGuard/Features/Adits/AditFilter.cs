using MineGuard.Features.Admin;

namespace MineGuard.Features.Adits;

/// <summary>
/// The adit list's filters, as query-string values, shared by the list page, the map and the Excel export so that an
/// export holds exactly what the list shows: township code, mineral, origin, state (未封堵/已封堵/已验收/发现破坏, or
/// weak: sealed with loose rocks only), responsible user id, and q (number or name contains). Values may be the
/// enum names (gold, theftpoint, breached) or the Chinese names (金, 盗采点, 发现破坏).
/// </summary>
public sealed record AditFilter(string? Township, string? Mineral, string? Origin, string? State, string? Responsible, string? Q)
{
    public const string Weak = "weak";

    public static readonly AditFilter None = new(null, null, null, null, null, null);

    /// <summary>Unknown values are named, so that a typo does not silently export the whole registry.</summary>
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (Has(Mineral) && !AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral _)) errors.Add(nameof(Mineral), $"未知的矿种：{Mineral}");
        if (Has(Origin) && !AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin _)) errors.Add(nameof(Origin), $"未知的来源：{Origin}");
        if (Has(State) && !IsWeak && !AditNames.TryParse(AditNames.States, State, out SealState _)) errors.Add(nameof(State), $"未知的封堵状态：{State}");
        if (Has(Responsible) && !Guid.TryParse(Responsible, out _)) errors.Add(nameof(Responsible), "包保责任人应为用户编号");
        return errors;
    }

    /// <summary>Narrows a (scoped) query; call <see cref="Validate"/> first.</summary>
    public IQueryable<Adit> Apply(IQueryable<Adit> adits)
    {
        if (Has(Township))
        {
            var township = Township!.Trim();
            adits = adits.Where(a => a.TownshipCode == township);
        }
        if (AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral mineral)) adits = adits.Where(a => a.Mineral == mineral);
        if (AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin origin)) adits = adits.Where(a => a.Origin == origin);
        if (IsWeak)
            adits = adits.Where(a => (a.State == SealState.Sealed || a.State == SealState.Accepted) && a.CurrentSealMethod == SealMethod.LooseRocks);
        else if (AditNames.TryParse(AditNames.States, State, out SealState state)) adits = adits.Where(a => a.State == state);
        if (Guid.TryParse(Responsible, out var responsible)) adits = adits.Where(a => a.ResponsibleUserId == responsible);
        if (Has(Q))
        {
            var q = Q!.Trim();
            adits = adits.Where(a => a.Number.Contains(q) || (a.Name != null && a.Name.Contains(q)));
        }
        return adits;
    }

    /// <summary>The filters in words, for the audit trail and the export's file name.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Has(Township)) parts.Add($"乡镇 {Township!.Trim()}");
        if (AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral m)) parts.Add($"矿种 {AditNames.Minerals[m]}");
        if (AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin o)) parts.Add($"来源 {AditNames.Origins[o]}");
        if (IsWeak) parts.Add("封堵薄弱（石块堆砌）");
        else if (AditNames.TryParse(AditNames.States, State, out SealState s)) parts.Add($"状态 {AditNames.States[s]}");
        if (Has(Responsible)) parts.Add($"包保责任人 {Responsible!.Trim()}");
        if (Has(Q)) parts.Add($"含“{Q!.Trim()}”");
        return parts.Count == 0 ? "全部" : string.Join("，", parts);
    }

    private bool IsWeak => State?.Trim() is Weak or "薄弱" or "封堵薄弱";

    private static bool Has(string? value) => !string.IsNullOrWhiteSpace(value);
}
