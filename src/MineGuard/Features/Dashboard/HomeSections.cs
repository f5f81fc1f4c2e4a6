using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Patrols;
using MineGuard.Features.Petitions;
using MineGuard.Features.Tips;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Dashboard;

public sealed record HomeAdit(Guid Id, string Number, string? Name, string State, DateOnly? LastSealedOn, DateOnly? LastBreachedOn);

public sealed record HomeItem(string Text, string Href, string? Due, bool Overdue, string? Note = null);

public sealed record ResponsibleHome(int AditCount, IReadOnlyList<HomeAdit> Adits, IReadOnlyList<HomeItem> Assignments);

public sealed record PatrolHome(DateOnly WeekStart, DateOnly WeekEnd, IReadOnlyList<string> Teams, IReadOnlyList<HomeAdit> PlannedAdits,
    int PlannedCount, int PatrolsThisWeek, int CheckInsThisWeek, IReadOnlyList<HomeItem> Assignments);

public sealed record OfficeHome(int OverdueAssignments, int OverdueTips, int OverduePetitions, int OpenAlerts, int OverdueAlerts,
    IReadOnlyList<HomeItem> Overdue, IReadOnlyList<HomeItem> NewTips, IReadOnlyList<HomeItem> Alerts);

public sealed record Trend(IReadOnlyList<string> Months, IReadOnlyList<int> Tips, IReadOnlyList<int> Alerts, IReadOnlyList<int> Breaches,
    IReadOnlyList<int> Patrols, IReadOnlyList<int> VerifiedCheckIns);

public sealed record LeaderHome(string Month, bool MonthOver, int Teams, int TeamsOk, int AditCount, int BlindSpots,
    int Unsealed, int Sealed, int Accepted, int Breached, int OpenAlerts, int AlertsThisMonth, int TipsThisMonth, int TipsVerifiedThisMonth,
    Trend Trend);

public sealed record RewardHome(IReadOnlyList<HomeItem> Due, int Overdue);

public sealed record DepartmentHome(string Department, IReadOnlyList<HomeItem> Petitions, IReadOnlyList<HomeItem> Tips,
    IReadOnlyList<HomeItem> Clues, IReadOnlyList<HomeItem> Assignments, int ClueCount, int AssignmentCount);

/// <summary>
/// Each role's own work for the home page. Every query runs through the jurisdiction filters of the signed-in person:
/// a section shows only what that person may open.
/// </summary>
public sealed class HomeSections(AppDbContext db, CurrentUser me, PatrolCompliance compliance, AssignmentDesk desk)
{
    private const int ListSize = 8;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    public async Task<ResponsibleHome> ResponsibleAsync(CancellationToken ct)
    {
        var mine = db.Adits().AsNoTracking().Where(a => a.ResponsibleUserId == me.Id && a.Status == AditStatus.Active);
        var count = await mine.CountAsync(ct);
        var adits = await mine.OrderByDescending(a => a.State == SealState.Breached).ThenByDescending(a => a.State == SealState.Unsealed)
            .ThenBy(a => a.Number).Take(ListSize).ToListAsync(ct);
        return new ResponsibleHome(count, adits.Select(View).ToList(), await MyAssignmentsAsync(ct));
    }

    public async Task<PatrolHome> PatrolAsync(CancellationToken ct)
    {
        var today = Today;
        var weekStart = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var weekEnd = weekStart.AddDays(6);
        var teams = await db.PatrolTeams().AsNoTracking().Where(t => t.Members.Any(m => m.UserId == me.Id))
            .OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var teamIds = teams.Select(t => t.Id).ToList();
        var plans = await db.PatrolPlans().AsNoTracking().Include(p => p.Items)
            .Where(p => teamIds.Contains(p.TeamId) && p.PeriodStart <= weekEnd && p.PeriodEnd >= weekStart).ToListAsync(ct);
        var ranked = plans.SelectMany(p => p.Items).OrderBy(i => i.Rank).Select(i => i.AditId).Distinct().ToList();
        var top = ranked.Take(ListSize).ToList();
        var adits = (await db.Adits().AsNoTracking().Where(a => top.Contains(a.Id)).ToListAsync(ct))
            .OrderBy(a => top.IndexOf(a.Id)).Select(View).ToList();
        var (fromUtc, toUtc) = (ChinaTime.ToUtc(weekStart.ToDateTime(TimeOnly.MinValue)), ChinaTime.ToUtc(weekEnd.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        var patrols = await db.Patrols().AsNoTracking().CountAsync(p => p.UserId == me.Id && p.StartedUtc >= fromUtc && p.StartedUtc < toUtc, ct);
        var checkIns = await db.CheckIns().AsNoTracking().CountAsync(c => c.UserId == me.Id && c.AtUtc >= fromUtc && c.AtUtc < toUtc, ct);
        return new PatrolHome(weekStart, weekEnd, teams.Select(t => t.Name).ToList(), adits, ranked.Count, patrols, checkIns, await MyAssignmentsAsync(ct));
    }

    public async Task<OfficeHome> OfficeAsync(CancellationToken ct)
    {
        var today = Today;
        var now = Now;
        var assignments = desk.Visible.AsNoTracking().Where(a => a.Status == AssignmentStatus.Open && a.DueOn < today);
        var tips = db.Set<Tip>().AsNoTracking().Where(t => t.Status == TipStatus.Assigned && t.DueOn < today);
        var petitions = db.Set<Petition>().AsNoTracking().Where(p => p.Status == PetitionStatus.Routed && p.DueOn < today);
        var alerts = db.Alerts().AsNoTracking().Where(a => a.Status != AlertStatus.Closed);
        var overdueAlerts = alerts.Where(a => (a.Status == AlertStatus.Open && a.AckDueUtc < now) || a.VerifyDueUtc < now);

        var overdue = new List<HomeItem>();
        overdue.AddRange((await assignments.OrderBy(a => a.DueOn).Take(ListSize).ToListAsync(ct))
            .Select(a => new HomeItem(a.Title, $"/assignments/{a.Id}", $"{a.DueOn:yyyy-MM-dd}", true, "督办")));
        overdue.AddRange((await tips.OrderBy(t => t.DueOn).Take(ListSize).ToListAsync(ct))
            .Select(t => new HomeItem(Short(t.Description), $"/tips/{t.Id}", $"{t.DueOn:yyyy-MM-dd}", true, "举报核查")));
        overdue.AddRange((await petitions.OrderBy(p => p.DueOn).Take(ListSize).ToListAsync(ct))
            .Select(p => new HomeItem($"信访 {p.Number}：{Short(p.Content)}", "/petitions", $"{p.DueOn:yyyy-MM-dd}", true, "信访答复")));
        overdue.AddRange((await overdueAlerts.OrderBy(a => a.AckDueUtc).Take(ListSize).ToListAsync(ct))
            .Select(a => new HomeItem(a.Title, $"/alerts/{a.Id}", ChinaTime.Format(a.Status == AlertStatus.Open ? a.AckDueUtc : a.VerifyDueUtc), true, "预警处置")));

        var newTips = (await db.Set<Tip>().AsNoTracking().Where(t => t.Status == TipStatus.New).OrderByDescending(t => t.ReceivedUtc)
                .Take(ListSize).ToListAsync(ct))
            .Select(t => new HomeItem(Short(t.Description), $"/tips/{t.Id}", null, false, ChinaTime.Format(t.ReceivedUtc))).ToList();
        var openAlerts = (await alerts.OrderByDescending(a => a.Severity).ThenByDescending(a => a.LastSignalUtc).Take(ListSize).ToListAsync(ct))
            .Select(a => new HomeItem(a.Title, $"/alerts/{a.Id}", null, false, $"{Severity(a.Severity)} · {ChinaTime.Format(a.OpenedUtc)}")).ToList();
        return new OfficeHome(await assignments.CountAsync(ct), await tips.CountAsync(ct), await petitions.CountAsync(ct),
            await alerts.CountAsync(ct), await overdueAlerts.CountAsync(ct), overdue, newTips, openAlerts);
    }

    public async Task<LeaderHome> LeaderAsync(int months, CancellationToken ct)
    {
        var today = Today;
        var first = new DateOnly(today.Year, today.Month, 1);
        var report = await compliance.ComputeAsync(first, me.Scope.Code, 0, ct, members: false); // the home page shows no member
        var states = await db.Adits().AsNoTracking().Where(a => a.Status == AditStatus.Active).GroupBy(a => a.State)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int State(SealState s) => states.FirstOrDefault(x => x.Key == s)?.Count ?? 0;

        var start = first.AddMonths(1 - months);
        var (fromUtc, _) = PatrolCompliance.UtcRange(start);
        var (monthUtc, _) = PatrolCompliance.UtcRange(first);
        var tipTimes = await db.Set<Tip>().AsNoTracking().Where(t => t.ReceivedUtc >= fromUtc && t.Status != TipStatus.Merged)
            .Select(t => new { t.ReceivedUtc, t.Outcome }).ToListAsync(ct);
        var alertTimes = await db.Alerts().AsNoTracking().Where(a => a.OpenedUtc >= fromUtc).Select(a => a.OpenedUtc).ToListAsync(ct);
        var breachDays = await db.SealingEvents().AsNoTracking().Where(e => e.Kind == SealingEventKind.Breached && e.OccurredOn >= start)
            .Select(e => e.OccurredOn).ToListAsync(ct);
        var patrolTimes = await db.Patrols().AsNoTracking().Where(p => p.StartedUtc >= fromUtc).Select(p => p.StartedUtc).ToListAsync(ct);
        var verifiedTimes = await db.CheckIns().AsNoTracking().Where(c => c.AtUtc >= fromUtc).Where(CheckIn.Proven).Select(c => c.AtUtc).ToListAsync(ct);
        var openAlerts = await db.Alerts().AsNoTracking().CountAsync(a => a.Status != AlertStatus.Closed, ct);

        var monthList = Enumerable.Range(0, months).Select(i => start.AddMonths(i)).ToList();
        static int Key(DateOnly d) => d.Year * 12 + d.Month;
        static DateOnly Local(DateTime utc) => DateOnly.FromDateTime(ChinaTime.ToLocal(utc));
        List<int> Count(IEnumerable<DateOnly> days)
        {
            var byMonth = days.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
            return monthList.Select(m => byMonth.GetValueOrDefault(Key(m))).ToList();
        }
        var trend = new Trend(monthList.Select(m => $"{m.Year}年{m.Month}月").ToList(),
            Count(tipTimes.Select(t => Local(t.ReceivedUtc))), Count(alertTimes.Select(Local)), Count(breachDays),
            Count(patrolTimes.Select(Local)), Count(verifiedTimes.Select(Local)));
        return new LeaderHome(report.Month, report.MonthOver, report.Teams.Count, report.Teams.Count(t => t.Ok), report.AditCount, report.BlindSpotCount,
            State(SealState.Unsealed), State(SealState.Sealed), State(SealState.Accepted), State(SealState.Breached),
            openAlerts, alertTimes.Count(t => t >= monthUtc), tipTimes.Count(t => t.ReceivedUtc >= monthUtc),
            tipTimes.Count(t => t.ReceivedUtc >= monthUtc && t.Outcome is TipOutcome.True or TipOutcome.PartlyTrue), trend);
    }

    public async Task<RewardHome> RewardAsync(CancellationToken ct)
    {
        var today = Today;
        var due = await db.Set<Reward>().AsNoTracking().Where(r => r.Status == RewardStatus.Proposed || r.Status == RewardStatus.Approved)
            .OrderBy(r => r.PayBy).Take(50).ToListAsync(ct);
        return new RewardHome(due.Take(ListSize).Select(r => new HomeItem(
            $"{(r.Status == RewardStatus.Proposed ? "待审批" : "待兑现")} · {r.Amount:N0} 元（{(r.Tier == RewardTier.Case ? "立案" : "查实")}）",
            $"/tips/{r.TipId}", $"{r.PayBy:yyyy-MM-dd}", r.PayBy < today)).ToList(), due.Count(r => r.PayBy < today));
    }

    public async Task<DepartmentHome> DepartmentAsync(CancellationToken ct)
    {
        var today = Today;
        var dept = me.DepartmentCode ?? "";
        var petitions = await db.Set<Petition>().AsNoTracking().Where(p => p.DepartmentCode == dept && p.Status == PetitionStatus.Routed)
            .OrderBy(p => p.DueOn).Take(ListSize).ToListAsync(ct);
        var tips = await db.Set<Tip>().AsNoTracking().Where(t => t.AssignedDepartmentCode == dept && t.Status == TipStatus.Assigned)
            .OrderBy(t => t.DueOn).Take(ListSize).ToListAsync(ct);
        var now = Now;
        var openClues = db.Set<Clue>().AsNoTracking()
            .Where(c => c.DepartmentCode == dept && (c.State == ClueState.Received || c.State == ClueState.Verifying));
        var clues = await openClues.OrderBy(c => c.VerifyDueUtc == null).ThenBy(c => c.VerifyDueUtc).ThenBy(c => c.ReceivedUtc).Take(ListSize).ToListAsync(ct);
        var openAssignments = db.Set<Assignment>().AsNoTracking().Where(a => a.DepartmentCode == dept && a.Status == AssignmentStatus.Open);
        var assignments = await openAssignments.OrderBy(a => a.DueOn == null).ThenBy(a => a.DueOn).ThenBy(a => a.CreatedUtc).Take(ListSize).ToListAsync(ct);
        return new DepartmentHome(Department.NameOf(dept) ?? dept,
            petitions.Select(p => new HomeItem($"信访 {p.Number}：{Short(p.Content)}", $"/petitions/{p.Id}", $"{p.DueOn:yyyy-MM-dd}", p.DueOn < today)).ToList(),
            tips.Select(t => new HomeItem(Short(t.Description), $"/tips/{t.Id}", t.DueOn is { } d ? $"{d:yyyy-MM-dd}" : null, t.DueOn < today)).ToList(),
            clues.Select(c => new HomeItem(Short(c.Summary), $"/clues/{c.Id}",
                c.VerifyDueUtc is { } due ? $"{ChinaTime.ToLocal(due):yyyy-MM-dd HH:mm}" : null, c.VerifyDueUtc < now)).ToList(),
            assignments.Select(a => new HomeItem(Short(a.Title), $"/assignments/{a.Id}", a.DueOn is { } d ? $"{d:yyyy-MM-dd}" : null, a.DueOn < today)).ToList(),
            clues.Count < ListSize ? clues.Count : await openClues.CountAsync(ct),
            assignments.Count < ListSize ? assignments.Count : await openAssignments.CountAsync(ct));
    }

    /// <summary>The caller's open assignments (given to their account or their person records, wherever filed), by deadline.</summary>
    private async Task<List<HomeItem>> MyAssignmentsAsync(CancellationToken ct)
    {
        var today = Today;
        if (me.Id is not { } userId) return [];
        var open = await (await desk.GivenToAsync(userId, ct)).AsNoTracking().Where(a => a.Status == AssignmentStatus.Open)
            .OrderBy(a => a.DueOn == null).ThenBy(a => a.DueOn).ThenBy(a => a.CreatedUtc).Take(ListSize).ToListAsync(ct);
        return open.Select(a => new HomeItem(a.Title, $"/assignments/{a.Id}", a.DueOn is { } d ? $"{d:yyyy-MM-dd}" : null, a.DueOn < today)).ToList();
    }

    private static HomeAdit View(Adit a) => new(a.Id, a.Number, a.Name, AditNames.States[a.State], a.LastSealedOn, a.LastBreachedOn);

    private static string Severity(AlertSeverity s) => s switch { AlertSeverity.High => "高", AlertSeverity.Medium => "中", _ => "低" };

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
