using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Clues;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Explosives;

public sealed record GapView(Guid Id, Guid HolderId, string HolderName, string DivisionCode, string Kind, string KindName, string? Material, double? Expected,
    double? Actual, List<string> Records, string Detail, DateTime FoundUtc, Guid? ClueId);

public sealed record GapCheckView(int Found, int Raised, List<GapView> Gaps);

/// <summary>
/// Stores what <see cref="GapCheck"/> finds, once per (holder, kind, key), and routes each new gap the way every finding
/// is routed: a clue at the holder's township given to the police (<see cref="FindingClues"/>: the township's people and the
/// county's police officers told). A re-run finds the stored gaps and raises nothing.
/// </summary>
public sealed class GapDesk(AppDbContext db, Responsibility responsibility)
{
    public const string ClueSource = "explosives";

    public async Task<GapCheckView> CheckAsync(CancellationToken ct)
    {
        var findings = await GapCheck.FindAsync(db, ct);
        var holderIds = findings.Select(f => f.HolderId).Distinct().ToList();
        var known = (await db.Set<ExplosiveGap>().Beyond(ScopeExit.SystemJudgement).Where(g => holderIds.Contains(g.HolderId))
            .Select(g => new { g.HolderId, g.Kind, g.Key }).ToListAsync(ct)).Select(g => (g.HolderId, g.Kind, g.Key)).ToHashSet();
        var holders = await db.Set<ExplosiveHolder>().AsNoTracking().Where(h => holderIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var raised = new List<ExplosiveGap>();
        foreach (var f in findings.DistinctBy(f => (f.HolderId, f.Kind, f.Key)))
        {
            if (known.Contains((f.HolderId, f.Kind, f.Key)) || !holders.TryGetValue(f.HolderId, out var holder)) continue;
            var gap = ExplosiveGap.Found(holder, f, now);
            db.Add(gap);
            var township = holder.DivisionCode.Length >= 9 ? holder.DivisionCode[..9] : holder.DivisionCode;
            var summary = $"【{GapKinds.Names[f.Kind]}】{holder.Name}：{f.Detail}";
            var clue = await FindingClues.OpenAsync(db, responsibility, new ClueLead(ClueSource, gap.Id, summary, township, null, Department.PublicSecurity),
                new Place(township, MineId: holder.MineId), "民爆物品/氰化钠闭环缺口", ct);
            gap.Routed(clue?.Id);
            raised.Add(gap);
        }
        if (raised.Count > 0) await db.SaveChangesAsync(ct);
        var names = holders.ToDictionary(h => h.Key, h => h.Value.Name);
        return new GapCheckView(findings.Count, raised.Count, raised.Select(g => View(g, names.GetValueOrDefault(g.HolderId, ""))).ToList());
    }

    public async Task<List<GapView>> ListAsync(Guid? holderId, CancellationToken ct)
    {
        var query = from g in db.Set<ExplosiveGap>().AsNoTracking()
            join h in db.Set<ExplosiveHolder>().AsNoTracking() on g.HolderId equals h.Id
            select new { g, h.Name };
        if (holderId is { } id) query = query.Where(x => x.g.HolderId == id);
        var rows = await query.OrderByDescending(x => x.g.FoundUtc).ThenBy(x => x.g.Id).Take(1000).ToListAsync(ct);
        return rows.ConvertAll(x => View(x.g, x.Name));
    }

    private static GapView View(ExplosiveGap g, string holderName) =>
        new(g.Id, g.HolderId, holderName, g.DivisionCode, g.Kind, GapKinds.Names.GetValueOrDefault(g.Kind, g.Kind), g.Material, g.Expected, g.Actual,
            [.. g.Records.Split(',', StringSplitOptions.RemoveEmptyEntries)], g.Detail, DateTime.SpecifyKind(g.FoundUtc, DateTimeKind.Utc), g.ClueId);
}
