using MineGuard.Platform.Jurisdiction;
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
        return await ResponsibleAsync(alert.AditId, alert.DeviceId, alert.DivisionCode, alert.CountyCode, ct);
    }

    /// <summary>
    /// Who answers for a place: the adit's responsible person (包保责任人) or the device's owner, else the people of the
    /// grid, else of the village or township, else the county office. Other features (a patrol finding) use it too.
    /// </summary>
    public async Task<List<AppUser>> ResponsibleAsync(Guid? aditId, Guid? deviceId, string divisionCode, string countyCode, CancellationToken ct)
    {
        Guid? named = null;
        if (aditId is { } a)
            named = await db.Adits().Beyond(ScopeExit.SystemJudgement).Where(x => x.Id == a).Select(x => x.ResponsibleUserId).FirstOrDefaultAsync(ct);
        if (named is null && deviceId is { } d)
            named = await db.Devices().Beyond(ScopeExit.SystemJudgement).Where(x => x.Id == d).Select(x => x.OwnerUserId).FirstOrDefaultAsync(ct);
        if (named is { } id && await db.Users.FirstOrDefaultAsync(u => u.Id == id && !u.IsDisabled, ct) is { } person) return [person];
        foreach (var code in Chain(divisionCode, countyCode))
        {
            var found = await UsersAsync([code], code == countyCode ? [Roles.Office] : LocalRoles, null, ct);
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
    /// Routes new alerts in one transaction (a round's worth, audited as one event). Under the alerts' correlation-key
    /// locks (the ones ingestion takes) it re-reads which are still unrouted, so an alert another node routed first is
    /// skipped, then marks them routed with a conditional UPDATE. Returns how many this call routed.
    /// </summary>
    public async Task<int> RouteAsync(IReadOnlyList<Guid> alertIds, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var alerts = await db.Alerts().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(a => alertIds.Contains(a.Id) && a.RoutedUtc == null)
            .OrderBy(a => a.OpenedUtc).ToListAsync(ct);
        if (alerts.Count == 0) return 0;
        var people = await LocalPeopleAsync(alerts, ct);
        var copied = new Dictionary<(string, string?), List<AppUser>>();
        foreach (var alert in alerts)
        {
            if (!copied.ContainsKey((alert.CountyCode, alert.NotifyDepartment))) copied[(alert.CountyCode, alert.NotifyDepartment)] = await DepartmentAsync(alert, ct);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await desk.LockAsync(alerts.Select(a => a.CorrelationKey), ct);
        var ids = alerts.Select(a => a.Id).ToList();
        var still = (await db.Alerts().Beyond(ScopeExit.SystemJudgement).Where(a => ids.Contains(a.Id) && a.RoutedUtc == null).Select(a => a.Id).ToListAsync(ct)).ToHashSet();
        var mine = alerts.Where(a => still.Contains(a.Id)).ToList();
        if (mine.Count == 0) return 0;
        foreach (var group in mine.GroupBy(a => people[a.Id].FirstOrDefault()?.Id))
        {
            var groupIds = group.Select(a => a.Id).ToList();
            var assignee = group.Key;
            await db.Alerts().Beyond(ScopeExit.SystemJudgement).Where(a => groupIds.Contains(a.Id) && a.RoutedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RoutedUtc, now).SetProperty(a => a.AssigneeUserId, assignee), ct);
        }
        using var batch = db.AuditAsBatch("route", "Alert", mine[0].Id.ToString(), mine[0].CountyCode);
        foreach (var alert in mine)
        {
            var local = people[alert.Id];
            var department = copied[(alert.CountyCode, alert.NotifyDepartment)];
            var deadline = $"请于 {ChinaTime.Format(alert.AckDueUtc)} 前签收，{ChinaTime.Format(alert.VerifyDueUtc)} 前到场核实。";
            Tell(alert, local, $"【{AlertNames.Severities[alert.Severity].Chinese}预警】{alert.Title}", deadline);
            Tell(alert, department, $"【{AlertNames.Severities[alert.Severity].Chinese}预警·抄送】{alert.Title}", "请知悉并视情况配合处置。");
            var names = string.Join("、", local.Select(p => p.DisplayName).Concat(department.Select(p => p.DisplayName + "（部门）")));
            db.AlertEntries().Add(AlertEntry.Create(alert, "routed",
                names.Length > 0 ? $"已推送给 {names}（站内通知，有手机号的发送短信）" : "未找到可推送的责任人，请县级办公室指定", now));
        }
        await db.SaveChangesAsync(ct);
        batch.Complete($"推送 {mine.Count} 条预警");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return mine.Count;
    }

    /// <summary>The local people of many alerts at once: named persons in two queries, the fallback chain once per place.</summary>
    private async Task<Dictionary<Guid, List<AppUser>>> LocalPeopleAsync(List<Alert> alerts, CancellationToken ct)
    {
        var aditIds = alerts.Where(a => a.AditId is not null).Select(a => a.AditId!.Value).Distinct().ToList();
        var deviceIds = alerts.Where(a => a.DeviceId is not null).Select(a => a.DeviceId!.Value).Distinct().ToList();
        var aditPeople = await db.Adits().Beyond(ScopeExit.SystemJudgement).Where(a => aditIds.Contains(a.Id) && a.ResponsibleUserId != null)
            .ToDictionaryAsync(a => a.Id, a => a.ResponsibleUserId!.Value, ct);
        var owners = await db.Devices().Beyond(ScopeExit.SystemJudgement).Where(d => deviceIds.Contains(d.Id) && d.OwnerUserId != null)
            .ToDictionaryAsync(d => d.Id, d => d.OwnerUserId!.Value, ct);
        var named = aditPeople.Values.Concat(owners.Values).Distinct().ToList();
        var users = await db.Users.Where(u => named.Contains(u.Id) && !u.IsDisabled).ToDictionaryAsync(u => u.Id, ct);
        var byPlace = new Dictionary<string, List<AppUser>>();
        var result = new Dictionary<Guid, List<AppUser>>();
        foreach (var a in alerts)
        {
            Guid? person = a.AditId is { } ai && aditPeople.TryGetValue(ai, out var p) ? p : null;
            if (person is null && a.DeviceId is { } di && owners.TryGetValue(di, out var o)) person = o;
            if (person is { } id && users.TryGetValue(id, out var user))
            {
                result[a.Id] = [user];
                continue;
            }
            if (!byPlace.TryGetValue(a.DivisionCode, out var found)) byPlace[a.DivisionCode] = found = await ResponsibleAsync(null, null, a.DivisionCode, a.CountyCode, ct);
            result[a.Id] = found;
        }
        return result;
    }

    private void Tell(Alert alert, List<AppUser> people, string title, string body)
    {
        foreach (var person in people)
            db.Person(person, alert.DivisionCode, title, body, $"/alerts/{alert.Id}", "alert", alert.Id, sms: true);
    }
}
