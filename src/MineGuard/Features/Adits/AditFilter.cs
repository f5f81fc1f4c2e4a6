using MineGuard.Features.Admin;

namespace MineGuard.Features.Adits;

/// <summary>
/// The filters the adit list, the map and the export share. Values come from query strings; <see cref="Check"/>
/// reports a bad one by name, in Chinese.
/// </summary>
public sealed record AditFilter(
    string? Township = null, string? Mineral = null, string? Origin = null, string? State = null,
    Guid? Responsible = null, string? Q = null, string? Flag = null)
{
    public const string Weak = "weak";

    public FieldErrors Check()
    {
        var errors = new FieldErrors();
        if (!string.IsNullOrEmpty(Mineral) && !AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral _))
            errors.Add(nameof(Mineral), $"未知的矿种：{Mineral}");
        if (!string.IsNullOrEmpty(Origin) && !AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin _))
            errors.Add(nameof(Origin), $"未知的来源：{Origin}");
        if (!string.IsNullOrEmpty(State) && State != Weak && !AditNames.TryParse(AditNames.States, State, out SealState _))
            errors.Add(nameof(State), $"未知的封堵状态：{State}");
        if (Flag is not (null or "" or "weak" or "unaccepted" or "repeat"))
            errors.Add(nameof(Flag), "标记只能是 weak（石块堆砌）、unaccepted（未验收）或 repeat（反复破坏）");
        return errors;
    }

    /// <summary>Applies the filters (call <see cref="Check"/> first; unparsable values are ignored here).</summary>
    public IQueryable<Adit> Apply(IQueryable<Adit> query)
    {
        if (!string.IsNullOrEmpty(Township)) query = query.Where(a => a.TownshipCode == Township);
        if (AditNames.TryParse(AditNames.Minerals, Mineral, out Mineral mineral)) query = query.Where(a => a.Mineral == mineral);
        if (AditNames.TryParse(AditNames.Origins, Origin, out AditOrigin origin)) query = query.Where(a => a.Origin == origin);
        if (State == Weak || Flag == "weak") query = WeakSeals(query);
        else if (AditNames.TryParse(AditNames.States, State, out SealState state)) query = query.Where(a => a.State == state);
        if (Responsible is { } person) query = query.Where(a => a.ResponsibleUserId == person);
        if (Flag == "unaccepted") query = query.Where(a => a.State == SealState.Sealed);
        if (Flag == "repeat") query = query.Where(a => a.BreachCount >= 2);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            query = query.Where(a => a.Number.Contains(q) || (a.Name != null && a.Name.Contains(q)));
        }
        return query;
    }

    /// <summary>Sealed (or accepted) with loose rocks only.</summary>
    public static IQueryable<Adit> WeakSeals(IQueryable<Adit> query) =>
        query.Where(a => (a.State == SealState.Sealed || a.State == SealState.Accepted) && a.CurrentSealMethod == SealMethod.LooseRocks);
}
