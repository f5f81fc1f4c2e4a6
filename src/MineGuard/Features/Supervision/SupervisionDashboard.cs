using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision;

/// <summary>One figure for one division: its value and the list behind it (the same filter on the list page).</summary>
public sealed record FigureView(string Code, int Value, string Link);

/// <summary>A measure: its total for the division asked and each child's figure, children ranked by value.</summary>
public sealed record MeasureView(string Key, string Name, string Hint, bool HigherIsWorse, FigureView Total, List<FigureView> Children, string? Unit = null);

public sealed record SectionView(string Key, string Name, List<MeasureView> Measures);

public sealed record DashboardView(
    DivisionView Division, DateOnly From, DateOnly To, List<DivisionView> Children, List<SectionView> Sections);

/// <summary>
/// The supervision dashboard (督导看板, issue 18): for a division in the user's scope and a period, each measure for the
/// division and for each of its children side by side, every figure with the link to the list it counts. Read through
/// the scoped sets only (the jurisdiction filter, and each set's department filter), so a department's officer sees
/// the figures of the share they may open, and a figure never counts a row its link would not list.
/// </summary>
public sealed partial class SupervisionDashboard(AppDbContext db, CurrentUser me, AssignmentDesk assignments, CaseViews cases,
    Accountability.ReferralDesk referrals, Monitoring.AlertCommands alerts, Microsoft.Extensions.Options.IOptions<Monitoring.MonitoringOptions> monitoring,
    Patrols.PatrolCompliance compliance, Patrols.PatrolQueries patrolQueries)
{
    /// <summary>Milliseconds each section took in this scope's last read (the province benchmark prints them).</summary>
    public Dictionary<string, double> SectionTimes { get; } = [];

    /// <summary>The dashboard, or the named field errors (an unknown or foreign division is "not found").</summary>
    public Task<(DashboardView? View, FieldErrors Errors)> ReadAsync(string? division, string? from, string? to, CancellationToken ct) =>
        ReadAsync(division, from, to, null, ct);

    /// <summary>The dashboard with every section, or only the section named <paramref name="only"/> (a trend reads one).</summary>
    private async Task<(DashboardView? View, FieldErrors Errors)> ReadAsync(string? division, string? from, string? to, string? only, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        var period = ReportPeriod.Read(from, to, today, errors.Add);
        var code = string.IsNullOrWhiteSpace(division) ? me.Scope.Code : division.Trim();
        var node = me.Scope.Contains(code) ? await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct) : null;
        if (node is null) errors.Add(nameof(division), $"区划不存在或不在您的管辖范围内：{code}");
        if (!errors.Ok) return (null, errors);

        var children = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == node!.Code)
            .OrderBy(d => d.Code).ToListAsync(ct);
        var readers = new (string Key, Func<Task<SectionView?>> Read)[]
        {
            ("ledger", async () => await LedgerAsync(node!, children, period, ct)),
            ("clues", async () => await CluesAsync(node!, children, period, ct)),
            ("clue-sources", async () => await ClueSourcesAsync(node!, children, period, ct)),
            ("rectification", async () => await RectificationAsync(node!, children, period, ct)),
            ("tips", async () => await TipsAsync(node!, children, period, ct)),
            ("cases", async () => await CasesAsync(node!, children, period, ct)),
            ("signals", async () => await SignalsAsync(node!, children, period, ct)),
            ("patrols", async () => await PatrolsAsync(node!, children, period, ct)),
            ("referrals", () => ReferralsAsync(node!, children, period, ct)),
        };
        var sections = new List<SectionView>();
        SectionTimes.Clear();
        foreach (var (key, read) in readers)
        {
            if (only is not null && key != only) continue;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            if (await read() is { } section) sections.Add(section);
            SectionTimes[key] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (new DashboardView(DivisionView.Of(node!), period.From, period.To, children.Select(DivisionView.Of).ToList(), sections), errors);
    }

    /// <summary>台账: adits known, by seal state, repeat breaches, weak seals and adits registered in the period.</summary>
    private async Task<SectionView> LedgerAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var length = children.Count == 0 ? node.Code.Length : children.Min(c => c.Code.Length);
        var (fromUtc, toUtc) = (period.FromUtc, period.ToUtcExclusive);
        var rows = await db.Adits().AsNoTracking().Within(JurisdictionScope.Of(node.Code), a => a.DivisionCode)
            .GroupBy(a => a.DivisionCode.Substring(0, length))
            .Select(g => new LedgerRow(
                g.Key,
                g.Count(),
                g.Count(a => a.State == SealState.Unsealed),
                g.Count(a => a.State == SealState.Sealed),
                g.Count(a => a.State == SealState.Accepted),
                g.Count(a => a.State == SealState.Breached),
                g.Count(a => a.BreachCount >= 2),
                g.Count(a => (a.State == SealState.Sealed || a.State == SealState.Accepted) && a.CurrentSealMethod == SealMethod.LooseRocks),
                g.Count(a => a.CreatedUtc >= fromUtc && a.CreatedUtc < toUtc)))
            .ToListAsync(ct);
        var days = $"from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}";
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<LedgerRow, int> Value, string Filter)[]
        {
            ("known", "已登记矿硐", "台账中的全部矿硐", false, r => r.Known, ""),
            ("unsealed", "未封堵", "尚未封堵的矿硐", true, r => r.Unsealed, "state=unsealed"),
            ("sealed", "已封堵待验收", "已封堵、尚未验收", true, r => r.Sealed, "state=sealed"),
            ("accepted", "已验收", "封堵已验收", false, r => r.Accepted, "state=accepted"),
            ("breached", "发现破坏", "封堵被破坏、尚未重新封堵", true, r => r.Breached, "state=breached"),
            ("repeat", "反复破坏", "被破坏两次及以上（反复盗采）", true, r => r.Repeat, "flag=repeat"),
            ("weak", "封堵薄弱", "石块堆砌封堵", true, r => r.Weak, "state=weak"),
            ("new", "本期新登记", "期间内登记入台账", false, r => r.New, days),
        };
        return new SectionView("ledger", "矿硐台账", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children,
            code => rows.Where(r => r.Code.StartsWith(code, StringComparison.Ordinal)).Sum(m.Value),
            code => "/adits?division=" + Uri.EscapeDataString(code) + (m.Filter.Length == 0 ? "" : "&" + m.Filter))).ToList());
    }

    /// <summary>
    /// 线索: received in the period, of those the ones found true and the ones that became cases; open and overdue now.
    /// The clue set's department filter applies: a department's officer counts the clues shared with it.
    /// </summary>
    private async Task<SectionView> CluesAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var length = children.Count == 0 ? node.Code.Length : children.Min(c => c.Code.Length);
        var (fromUtc, toUtc, now) = (period.FromUtc, period.ToUtcExclusive, db.Clock.GetUtcNow().UtcDateTime);
        var open = new[] { ClueState.Received, ClueState.Verifying, ClueState.Verified };
        var rows = await db.Set<Clue>().AsNoTracking().Within(JurisdictionScope.Of(node.Code), c => c.DivisionCode)
            .GroupBy(c => c.DivisionCode.Substring(0, length))
            .Select(g => new ClueRow(
                g.Key,
                g.Count(c => c.ReceivedUtc >= fromUtc && c.ReceivedUtc < toUtc),
                g.Count(c => c.ReceivedUtc >= fromUtc && c.ReceivedUtc < toUtc && (c.Finding == ClueFinding.True || c.Finding == ClueFinding.PartlyTrue)),
                g.Count(c => c.ReceivedUtc >= fromUtc && c.ReceivedUtc < toUtc && c.Outcome == ClueOutcome.Case),
                g.Count(c => open.Contains(c.State)),
                g.Count(c => c.State == ClueState.Verifying && c.VerifyDueUtc < now)))
            .ToListAsync(ct);
        var days = $"&from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}";
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<ClueRow, int> Value, string Filter)[]
        {
            ("received", "本期收到线索", "期间内收到的线索（各来源）", false, r => r.Received, "state=all" + days),
            ("true", "其中核查属实", "期间内收到、核查属实或部分属实", false, r => r.True, "state=true" + days),
            ("case", "其中已立案", "期间内收到、已立案查处", false, r => r.Case, "state=case" + days),
            ("open", "未办结", "目前尚未办结的线索", false, r => r.Open, "state=open"),
            ("overdue", "逾期未核查", "核查期限已过仍未核查", true, r => r.Overdue, "state=overdue"),
        };
        return new SectionView("clues", "线索核查", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children,
            code => rows.Where(r => r.Code.StartsWith(code, StringComparison.Ordinal)).Sum(m.Value),
            code => "/clues?division=" + Uri.EscapeDataString(code) + "&" + m.Filter)).ToList());
    }

    /// <summary>
    /// 整改: rectification items given in the period, and now open, overdue, waiting for 销号 and closed, and items
    /// reopened after 销号 (repeats). Read through <see cref="AssignmentDesk.Visible"/>, so a spot check's tasks, hidden
    /// from the county, are neither counted nor listed for it.
    /// </summary>
    private async Task<SectionView> RectificationAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var length = children.Count == 0 ? node.Code.Length : children.Min(c => c.Code.Length);
        var (fromUtc, toUtc, today) = (period.FromUtc, period.ToUtcExclusive, assignments.Today);
        var rows = await assignments.Visible.AsNoTracking().Within(JurisdictionScope.Of(node.Code), a => a.DivisionCode)
            .Where(a => a.Kind == AssignmentKinds.Rectification)
            .GroupBy(a => a.DivisionCode.Substring(0, length))
            .Select(g => new RectificationRow(
                g.Key,
                g.Count(a => a.CreatedUtc >= fromUtc && a.CreatedUtc < toUtc),
                g.Count(a => a.Status == AssignmentStatus.Open),
                g.Count(a => a.Status == AssignmentStatus.Open && a.DueOn < today),
                g.Count(a => a.Status == AssignmentStatus.Completed),
                g.Count(a => a.Status == AssignmentStatus.Closed)))
            .ToListAsync(ct);
        var kind = "kind=" + AssignmentKinds.Rectification;
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<RectificationRow, int> Value, string Filter)[]
        {
            ("new", "本期交办整改", "期间内交办的整改事项", false, r => r.New, $"status=all&{kind}&from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}"),
            ("open", "整改中", "尚未报告完成的整改事项", false, r => r.Open, kind),
            ("overdue", "逾期未整改", "已过整改时限仍未完成", true, r => r.Overdue, kind + "&overdue=true"),
            ("completed", "待验收销号", "已报告完成、等待第二人验收销号", false, r => r.Completed, "status=completed&" + kind),
            ("closed", "已销号", "已验收销号的整改事项", false, r => r.Closed, "status=closed&" + kind),
        };
        return new SectionView("rectification", "整改销号", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children,
            code => rows.Where(r => r.Code.StartsWith(code, StringComparison.Ordinal)).Sum(m.Value),
            code => "/assignments?division=" + Uri.EscapeDataString(code) + "&" + m.Filter)).ToList());
    }

    private sealed record RectificationRow(string Code, int New, int Open, int Overdue, int Completed, int Closed);

    private sealed record ClueRow(string Code, int Received, int True, int Case, int Open, int Overdue);

    /// <summary>A measure's total and its children's figures, ranked (largest first, then by code).</summary>
    private static MeasureView Measure(string key, string name, string hint, bool worse, Division node, List<Division> children,
        Func<string, int> value, Func<string, string> link, string? unit = null) =>
        new(key, name, hint, worse, new FigureView(node.Code, value(node.Code), link(node.Code)),
            children.Select(c => new FigureView(c.Code, value(c.Code), link(c.Code)))
                .OrderByDescending(f => f.Value).ThenBy(f => f.Code, StringComparer.Ordinal).ToList(), unit);

    private sealed record LedgerRow(string Code, int Known, int Unsealed, int Sealed, int Accepted, int Breached, int Repeat, int Weak, int New);
}
