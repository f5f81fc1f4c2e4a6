using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Supervision;

/// <summary>
/// The dashboard's patrol section (巡查): compliance per team (what the rules ask of each team in the period against what
/// it did, and the teams short of a rule), verified coverage (active adits with a counting check-in in the period of the
/// adits due: every active adit, 每月每个矿硐核验到位), blind spots (due and not verified) and the share of check-ins the
/// rules flagged. Team and coverage figures are <see cref="PatrolCompliance"/>'s for the period (the page
/// <c>/patrols/compliance?division=…&amp;from=…&amp;to=…</c> they link to); check-ins are counted through the review
/// list's own filter (<c>/patrols/check-ins?division=…&amp;from=…&amp;to=…&amp;state=all|flagged</c>).
/// </summary>
public sealed partial class SupervisionDashboard
{
    private async Task<SectionView> PatrolsAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var length = ChildLength(node, children);
        var report = await compliance.ComputeAsync(period.From, period.To, node.Code, 0, ct, members: false);
        var checkIns = await patrolQueries.Flagged(null, new CheckInFilter(node.Code, period.FromUtc, period.ToUtcExclusive, "all"))
            .GroupBy(c => c.DivisionCode.Substring(0, length))
            .Select(g => new CheckInRow(g.Key, g.Count(), g.Count(c => c.Flags != null)))
            .ToListAsync(ct);
        // Summed per division code first (a province: some 2,500 townships against 100,000 adits and 2,000 teams), so a
        // child's figure is a sum over those codes, not a pass over every adit and team for each measure.
        var teams = report.Teams.GroupBy(t => t.DivisionCode)
            .Select(g => new TeamSum(g.Key, g.Count(), g.Count(t => !t.Ok), g.Sum(t => t.Planned), g.Sum(t => t.Done))).ToList();
        var due = report.Coverage;
        Func<string, int> Teams(Func<TeamSum, int> value) => SumOf(teams, r => r.Code, value);
        Func<string, int> Due(Func<AditCoverage, int> value) => SumOf(due, r => r.DivisionCode, value);
        Func<string, int> Checks(Func<CheckInRow, int> value) => SumOf(checkIns, r => r.Code, value);
        var days = Days(period);
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<string, int> Value, string Path, string? Unit)[]
        {
            ("teams", "巡查队", "本区划（含下级）的巡查队", false, Teams(r => r.Teams), "/patrols/compliance", null),
            ("teams-short", "未达标巡查队", "按截至期末（或今日）的数字未达到巡查规则的巡查队（含认定伪造签到的）", true, Teams(r => r.Short), "/patrols/compliance", null),
            ("planned", "应巡查", "各巡查队按规则应巡查的次数：每周次数 × 期间内已结束的整周；市联合巡查队为应巡查天数（按月折算）", false,
                Teams(r => r.Planned), "/patrols/compliance", "次"),
            ("done", "有效巡查", "各巡查队期间内有效巡查的次数（有核验到位签到的巡查）；市联合巡查队为巡查天数", false,
                Teams(r => r.Done), "/patrols/compliance", "次"),
            ("due", "应核验矿硐", "台账中在用的矿硐（每个矿硐每期须核验到位）", false, Due(r => r.Due), "/patrols/compliance", null),
            ("covered", "已核验到位", "期间内有核验到位、无疑点（或已核查）签到的矿硐", false, Due(r => r.Covered), "/patrols/compliance", null),
            ("coverage", "核验覆盖率", "已核验到位的矿硐占应核验矿硐的比例", false, c => Share(Due(r => r.Covered)(c), Due(r => r.Due)(c)), "/patrols/compliance", "%"),
            ("blind", "巡查盲区", "应核验、期间内没有核验到位签到的矿硐", true, Due(r => r.Due - r.Covered), "/patrols/compliance", null),
            ("check-ins", "本期签到", "期间内的全部签到", false, Checks(r => r.Total), "/patrols/check-ins", null),
            ("flagged", "其中有疑点", "期间内被规则标记疑点的签到（含已核查的）", true, Checks(r => r.Flagged), "/patrols/check-ins", null),
            ("flagged-share", "疑点签到占比", "有疑点的签到占全部签到的比例", true,
                c => Share(Checks(r => r.Flagged)(c), Checks(r => r.Total)(c)), "/patrols/check-ins", "%"),
        };
        string Filter(string key) => key switch
        {
            "check-ins" => "&state=all",
            "flagged" or "flagged-share" => "&state=flagged",
            "blind" => "#blind",
            _ => "",
        };
        return new SectionView("patrols", "巡查考核", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children, m.Value,
            code => Link(m.Path, code, days, Filter(m.Key)), m.Unit)).ToList());
    }

    private static string Link(string path, string code, string days, string filter) => $"{path}?division={Uri.EscapeDataString(code)}&{days}{filter}";

    /// <summary>A share in whole percent, rounded half up; 0 of nothing is 0.</summary>
    private static int Share(int part, int whole) => whole == 0 ? 0 : (int)Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero);

    private sealed record CheckInRow(string Code, int Total, int Flagged);

    private sealed record TeamSum(string Code, int Teams, int Short, int Planned, int Done);
}
