using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Clues;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Supervision;

/// <summary>
/// The dashboard's clues by source and outcome (线索来源与处理): the clues received in the period, one measure per source
/// type present (a merged clue with sources of two types counts under each) and one per outcome (未办结 for none yet).
/// Counted through the clue list's own filter (<see cref="CluesApi.Filter"/>), so each figure is what its link lists:
/// <c>/clues?division=…&amp;from=…&amp;to=…&amp;state=all&amp;source=…</c> or <c>…&amp;outcome=…</c>.
/// </summary>
public sealed partial class SupervisionDashboard
{
    private async Task<SectionView> ClueSourcesAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var (from, to) = (period.From.ToString("yyyy-MM-dd"), period.To.ToString("yyyy-MM-dd"));
        var (clues, _) = CluesApi.Filter(db, new ClueFilter("all", null, node.Code, from, to));
        var ids = clues!.Select(c => c.Id);
        var rows = await clues!.Select(c => new { c.Id, c.DivisionCode, c.Outcome }).ToListAsync(ct);
        var sources = await db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(s => ids.Contains(s.ClueId))
            .Select(s => new { s.ClueId, s.Type }).Distinct().ToListAsync(ct);
        var codes = rows.ToDictionary(r => r.Id, r => r.DivisionCode);
        var typed = sources.Where(s => codes.ContainsKey(s.ClueId)).Select(s => (Code: codes[s.ClueId], s.Type)).ToList();
        var days = $"{Days(period)}&state=all";
        var measures = new List<(string Key, string Name, string Hint, bool Worse, Func<string, int> Value, string Filter)>
        {
            ("received", "本期收到线索", "期间内收到的线索（各来源）", false, c => rows.Count(r => r.DivisionCode.StartsWith(c, StringComparison.Ordinal)), ""),
        };
        foreach (var type in ClueSourceTypes.Names.Keys.Where(t => typed.Any(x => x.Type == t)))
            measures.Add(("source:" + type, "来源：" + ClueSourceTypes.Names[type], "期间内收到、有此来源的线索（合并的线索按各来源分别计）", false,
                c => typed.Count(x => x.Type == type && x.Code.StartsWith(c, StringComparison.Ordinal)), "&source=" + type));
        measures.Add(("outcome:none", "处理：未办结", "期间内收到、尚未办结的线索", false,
            c => rows.Count(r => r.Outcome == null && r.DivisionCode.StartsWith(c, StringComparison.Ordinal)), "&outcome=none"));
        foreach (var outcome in Enum.GetValues<ClueOutcome>())
            measures.Add(("outcome:" + ClueDesk.OutcomeCode(outcome), "处理：" + ClueDesk.OutcomeName(outcome), "期间内收到、以此方式办结的线索", false,
                c => rows.Count(r => r.Outcome == outcome && r.DivisionCode.StartsWith(c, StringComparison.Ordinal)), "&outcome=" + ClueDesk.OutcomeCode(outcome)));
        return new SectionView("clue-sources", "线索来源与处理", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children, m.Value,
            code => $"/clues?division={Uri.EscapeDataString(code)}&{days}{m.Filter}")).ToList());
    }
}
