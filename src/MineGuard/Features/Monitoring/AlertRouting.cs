using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// Telling the people an alert goes to (who they are is <see cref="Responsibility"/>'s answer). Routing and escalation each claim the alert with a conditional UPDATE
/// (RoutedUtc IS NULL; Level = the level read) in the same transaction as the notifications and SMS outbox rows, so of
/// two nodes racing for one alert exactly one tells the people, and a node that dies mid-way leaves nothing half done.
/// </summary>
public sealed class AlertRouting(AppDbContext db, AlertDesk desk, Responsibility responsibility)
{
    private static Place PlaceOf(Alert alert) => new(alert.DivisionCode, alert.AditId, alert.DeviceId);

    /// <summary>
    /// Routes new alerts in one transaction (a round's worth, audited as one event). Who is told comes from
    /// <see cref="Responsibility"/> (the adit's or device's responsible person, else up the chain; the rule's department
    /// as a copy), asked once for the whole round. Under the alerts' correlation-key locks (the ones ingestion takes) it
    /// re-reads which are still unrouted, so an alert another node routed first is skipped, then marks them routed with a
    /// conditional UPDATE. The assignee is the first answerer with an account. Returns how many this call routed.
    /// </summary>
    public async Task<int> RouteAsync(IReadOnlyList<Guid> alertIds, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var alerts = await db.Alerts().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(a => alertIds.Contains(a.Id) && a.RoutedUtc == null)
            .OrderBy(a => a.OpenedUtc).ToListAsync(ct);
        if (alerts.Count == 0) return 0;
        var who = await WhoAsync(alerts, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await desk.LockAsync(alerts.Select(a => a.CorrelationKey), ct);
        var ids = alerts.Select(a => a.Id).ToList();
        var still = (await db.Alerts().Beyond(ScopeExit.SystemJudgement).Where(a => ids.Contains(a.Id) && a.RoutedUtc == null).Select(a => a.Id).ToListAsync(ct)).ToHashSet();
        var mine = alerts.Where(a => still.Contains(a.Id)).ToList();
        if (mine.Count == 0) return 0;
        foreach (var group in mine.GroupBy(a => who.Assignee(a)))
        {
            var groupIds = group.Select(a => a.Id).ToList();
            var assignee = group.Key;
            await db.Alerts().Beyond(ScopeExit.SystemJudgement).Where(a => groupIds.Contains(a.Id) && a.RoutedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RoutedUtc, now).SetProperty(a => a.AssigneeUserId, assignee), ct);
        }
        using var batch = db.AuditAsBatch("route", "Alert", mine[0].Id.ToString(), mine[0].CountyCode);
        foreach (var alert in mine) db.AlertEntries().Add(Tell(alert, who, now));
        await db.SaveChangesAsync(ct);
        batch.Complete($"推送 {mine.Count} 条预警");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return mine.Count;
    }

    /// <summary>
    /// Routes alerts just opened in the caller's transaction (ingestion of a small batch), so that their SMS are in the
    /// outbox when the batch commits instead of a router round later. No claim is needed: no other node sees the rows
    /// before the commit, and it sees them routed after it. The caller's audit record covers it. Returns the timeline
    /// lines to store with the batch's others.
    /// </summary>
    public async Task<List<AlertEntry>> RouteOpenedAsync(IReadOnlyList<Alert> opened, DateTime nowUtc, CancellationToken ct)
    {
        if (opened.Count == 0) return [];
        var who = await WhoAsync(opened, ct);
        var lines = new List<AlertEntry>(opened.Count);
        foreach (var alert in opened)
        {
            alert.RoutedInPlace(nowUtc, who.Assignee(alert));
            lines.Add(Tell(alert, who, nowUtc));
        }
        return lines;
    }

    /// <summary>Who each alert's place answers with (asked once for all), and the departments its rules copy.</summary>
    private sealed record Who(IReadOnlyDictionary<Place, IReadOnlyList<Answerer>> People, Dictionary<(string, string), IReadOnlyList<Answerer>> Copied)
    {
        public IReadOnlyList<Answerer> Local(Alert a) => People[PlaceOf(a)];

        public IReadOnlyList<Answerer> Department(Alert a) => a.NotifyDepartment is { } d ? Copied[(a.CountyCode, d)] : [];

        /// <summary>The assignee is the first answerer with an account.</summary>
        public Guid? Assignee(Alert a) => Local(a).FirstOrDefault(p => p.UserId is not null)?.UserId;
    }

    private async Task<Who> WhoAsync(IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var people = await responsibility.WhoAnswersManyAsync(alerts.Select(PlaceOf).Distinct().ToList(), AnswerLevel.Person, null, ct);
        var copied = new Dictionary<(string, string), IReadOnlyList<Answerer>>();
        foreach (var group in alerts.Where(a => a.NotifyDepartment is not null).GroupBy(a => a.NotifyDepartment!))
        {
            var answers = await responsibility.WhoAnswersManyAsync(group.Select(a => new Place(a.CountyCode)).Distinct().ToList(), AnswerLevel.County, group.Key, ct);
            foreach (var (place, answerers) in answers) copied[(place.DivisionCode, group.Key)] = answerers;
        }
        return new Who(people, copied);
    }

    /// <summary>Notifications and SMS to the alert's people and the copied department; the timeline line that says so.</summary>
    private AlertEntry Tell(Alert alert, Who who, DateTime now)
    {
        var local = who.Local(alert);
        var department = who.Department(alert);
        var deadline = $"请于 {ChinaTime.Format(alert.AckDueUtc)} 前签收，{ChinaTime.Format(alert.VerifyDueUtc)} 前到场核实。";
        Tell(alert, local, $"【{AlertNames.Severities[alert.Severity].Chinese}预警】{alert.Title}", deadline);
        Tell(alert, department, $"【{AlertNames.Severities[alert.Severity].Chinese}预警·抄送】{alert.Title}", "请知悉并视情况配合处置。");
        var names = AnswererNames.Join(local.Select(p => p.Name).Concat(department.Select(p => p.Name + "（部门）")));
        return AlertEntry.Create(alert, "routed",
            names.Length > 0 ? $"已推送给 {names}（有账号的发站内通知，有手机号的发送短信）" : "未找到可推送的责任人，请县级办公室指定", now);
    }

    private void Tell(Alert alert, IReadOnlyList<Answerer> people, string title, string body)
    {
        foreach (var person in people)
            db.Tell(person, alert.DivisionCode, title, body, $"/alerts/{alert.Id}", "alert", alert.Id, sms: true);
    }

    private void Tell(Alert alert, List<AppUser> people, string title, string body)
    {
        foreach (var person in people)
            db.Person(person, alert.DivisionCode, title, body, $"/alerts/{alert.Id}", "alert", alert.Id, sms: true);
    }
}
