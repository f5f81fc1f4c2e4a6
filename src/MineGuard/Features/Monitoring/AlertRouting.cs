using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// Who an alert goes to, and telling them. Routing and escalation each claim the alert with a conditional UPDATE
/// (RoutedUtc IS NULL; Level = the level read) in the same transaction as the notifications and SMS outbox rows, so of
/// two nodes racing for one alert exactly one tells the people, and a node that dies mid-way leaves nothing half done.
/// </summary>
public sealed class AlertRouting(AppDbContext db, AlertDesk desk)
{
    private static readonly string[] LocalRoles = [Roles.Responsible, Roles.Patrol, Roles.Office];
    private static readonly string[] UpperRoles = [Roles.Office, Roles.Leader];

    /// <summary>
    /// The people at a level: locally the adit's responsible person (包保责任人), else the people of its grid, else of
    /// its village or township, else the county office; one level up the county office and leaders; then the city's.
    /// </summary>
    public async Task<List<AppUser>> TargetsAsync(Alert alert, EscalationLevel level, CancellationToken ct)
    {
        if (level == EscalationLevel.County) return await UsersAsync([alert.CountyCode], UpperRoles, null, ct);
        if (level == EscalationLevel.City) return await UsersAsync([alert.CountyCode[..Math.Min(4, alert.CountyCode.Length)]], UpperRoles, null, ct);
        Guid? named = null;
        if (alert.AditId is { } aditId)
            named = await db.Adits().IgnoreQueryFilters().Where(a => a.Id == aditId).Select(a => a.ResponsibleUserId).FirstOrDefaultAsync(ct);
        if (named is null && alert.DeviceId is { } deviceId)
            named = await db.Devices().IgnoreQueryFilters().Where(d => d.Id == deviceId).Select(d => d.OwnerUserId).FirstOrDefaultAsync(ct);
        if (named is { } id && await db.Users.FirstOrDefaultAsync(u => u.Id == id && !u.IsDisabled, ct) is { } person) return [person];
        foreach (var code in Chain(alert.DivisionCode, alert.CountyCode))
        {
            var found = await UsersAsync([code], code == alert.CountyCode ? [Roles.Office] : LocalRoles, null, ct);
            if (found.Count > 0) return found;
        }
        return [];
    }

    /// <summary>The department's people in the county (e.g. the police), when the rule says to tell them.</summary>
    public Task<List<AppUser>> DepartmentAsync(Alert alert, CancellationToken ct) =>
        alert.NotifyDepartment is { } dept ? UsersAsync([alert.CountyCode], [Roles.Department], dept, ct) : Task.FromResult(new List<AppUser>());

    /// <summary>Grid → village → township → county, from the alert's own division up.</summary>
    public static IEnumerable<string> Chain(string division, string county)
    {
        var code = division;
        while (code.Length > county.Length)
        {
            yield return code;
            var g = code.IndexOf('G', StringComparison.Ordinal);
            code = g > 0 ? code[..g] : code.Length > 9 ? code[..9] : county;
        }
        yield return county;
    }

    private async Task<List<AppUser>> UsersAsync(string[] divisions, string[] roles, string? department, CancellationToken ct)
    {
        var query = from u in db.Users
                    join ur in db.UserRoles on u.Id equals ur.UserId
                    join r in db.Roles on ur.RoleId equals r.Id
                    where divisions.Contains(u.DivisionCode) && roles.Contains(r.Name!) && !u.IsDisabled
                    select u;
        if (department is not null) query = query.Where(u => u.DepartmentCode == department);
        return (await query.ToListAsync(ct)).DistinctBy(u => u.Id).OrderBy(u => u.UserName).ToList();
    }

    /// <summary>
    /// Routes new alerts in one transaction (a round's worth, audited as one event): each is claimed with its own
    /// conditional UPDATE, so an alert another node routed first is skipped. Returns how many this call routed.
    /// </summary>
    public async Task<int> RouteAsync(IReadOnlyList<Guid> alertIds, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var alerts = await db.Alerts().IgnoreQueryFilters().AsNoTracking().Where(a => alertIds.Contains(a.Id) && a.RoutedUtc == null)
            .OrderBy(a => a.OpenedUtc).ToListAsync(ct);
        if (alerts.Count == 0) return 0;
        // People are looked up once per place and rule, not once per alert.
        var local = new Dictionary<(Guid?, Guid?, string), List<AppUser>>();
        var copied = new Dictionary<(string, string?), List<AppUser>>();
        var plans = new List<(Alert Alert, List<AppUser> People, List<AppUser> Department)>();
        foreach (var alert in alerts)
        {
            var key = (alert.AditId, alert.DeviceId, alert.DivisionCode);
            if (!local.TryGetValue(key, out var people)) local[key] = people = await TargetsAsync(alert, EscalationLevel.Local, ct);
            var deptKey = (alert.CountyCode, alert.NotifyDepartment);
            if (!copied.TryGetValue(deptKey, out var department)) copied[deptKey] = department = await DepartmentAsync(alert, ct);
            plans.Add((alert, people, department));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The correlation keys' locks first (as ingestion takes them), then the rows: a batch claim never waits for a
        // row that an ingestion holds while that ingestion waits for one of ours.
        await desk.LockAsync(alerts.Select(a => a.CorrelationKey), ct);
        using var batch = db.AuditAsBatch("route", "Alert", alerts[0].Id.ToString(), alerts[0].CountyCode);
        var routed = 0;
        foreach (var (alert, people, department) in plans)
        {
            var assignee = people.FirstOrDefault()?.Id;
            var claimed = await db.Alerts().IgnoreQueryFilters().Where(a => a.Id == alert.Id && a.RoutedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RoutedUtc, now).SetProperty(a => a.AssigneeUserId, assignee), ct);
            if (claimed == 0) continue;
            routed++;
            var deadline = $"请于 {ChinaTime.Format(alert.AckDueUtc)} 前签收，{ChinaTime.Format(alert.VerifyDueUtc)} 前到场核实。";
            Tell(alert, people, $"【{AlertNames.Severities[alert.Severity].Chinese}预警】{alert.Title}", deadline);
            Tell(alert, department, $"【{AlertNames.Severities[alert.Severity].Chinese}预警·抄送】{alert.Title}", "请知悉并视情况配合处置。");
            var names = string.Join("、", people.Select(p => p.DisplayName).Concat(department.Select(p => p.DisplayName + "（部门）")));
            db.AlertEntries().Add(AlertEntry.Create(alert, "routed",
                names.Length > 0 ? $"已推送给 {names}（站内通知，有手机号的发送短信）" : "未找到可推送的责任人，请县级办公室指定", now));
        }
        if (routed == 0) return 0;
        await db.SaveChangesAsync(ct);
        batch.Complete($"推送 {routed} 条预警");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return routed;
    }

    /// <summary>Escalates one overdue alert one level up; false when it is no longer due or another node did it.</summary>
    public async Task<bool> EscalateAsync(Guid alertId, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var alert = await db.Alerts().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == alertId, ct);
        if (alert is null || alert.Level == EscalationLevel.City || !alert.IsOverdue(now) || alert.RoutedUtc is null) return false;
        var from = alert.Level;
        var to = from + 1;
        var (ack, verify) = desk.Options.Deadlines.For(alert.Severity);
        var ackLate = alert.Status == AlertStatus.Open && alert.AckDueUtc < now;
        var ackDue = ackLate ? now + ack : alert.AckDueUtc;
        var verifyDue = alert.VerifyDueUtc < now ? now + verify : alert.VerifyDueUtc;
        var people = await TargetsAsync(alert, to, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Alerts().IgnoreQueryFilters()
            .Where(a => a.Id == alertId && a.Level == from && a.Status != AlertStatus.Closed)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Level, to).SetProperty(a => a.AckDueUtc, ackDue).SetProperty(a => a.VerifyDueUtc, verifyDue), ct);
        if (claimed == 0) return false;
        var why = ackLate ? $"超过签收时限（{ChinaTime.Format(alert.AckDueUtc)}）未签收" : $"超过核实时限（{ChinaTime.Format(alert.VerifyDueUtc)}）未核实";
        Tell(alert, people, $"【预警升级·{AlertNames.Levels[to]}】{alert.Title}", $"{why}，已升级至{AlertNames.Levels[to]}督办。");
        db.AlertEntries().Add(AlertEntry.Create(alert, "escalated",
            $"{why}，升级至{AlertNames.Levels[to]}：{string.Join("、", people.Select(p => p.DisplayName))}", now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private void Tell(Alert alert, List<AppUser> people, string title, string body)
    {
        foreach (var person in people)
            db.Person(person, alert.DivisionCode, title, body, $"/alerts/{alert.Id}", "alert", alert.Id, sms: true);
    }
}
