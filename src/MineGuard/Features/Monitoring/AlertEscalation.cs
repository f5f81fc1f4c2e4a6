using Clock = MineGuard.Platform.Deadlines.Deadline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// An alert on the one clock (subject "alert"): its deadline opens with the alert (due at the acknowledgement time),
/// moves to the verification time when it is acknowledged, and closes with it. Past due, the job calls this handler,
/// which raises the alert one level (属地 → 县级 → 市级), gives what was late a new time from the severity's deadlines,
/// tells the people of the new level (in-app and SMS) and writes the timeline line; at the city level nobody is left.
/// </summary>
public sealed class AlertEscalation(AppDbContext db, Responsibility responsibility, IOptions<MonitoringOptions> options) : IEscalation
{
    public const string Subject = "alert";

    public string SubjectType => Subject;

    public static AnswerLevel AnswerLevelOf(EscalationLevel level) => level switch
    {
        EscalationLevel.County => AnswerLevel.County,
        EscalationLevel.City => AnswerLevel.City,
        _ => AnswerLevel.Person,
    };

    /// <summary>Puts a new alert on the clock (the caller saves it with the alert; being new, it has no deadline yet).</summary>
    public static void Open(AppDbContext db, Alert alert) =>
        db.OpenNew(Subject, alert.Id, alert.DivisionCode, null, alert.NextDueUtc, AnswerLevelOf(alert.Level));

    /// <summary>After acknowledgement the alert is next due for verification (at the top level nothing is left to escalate).</summary>
    public static async Task FollowAsync(AppDbContext db, Alert alert, CancellationToken ct)
    {
        if (alert.Level == EscalationLevel.City) return;
        if (await db.OpenDeadlineAsync(Subject, alert.Id, ct) is { } open && open.DueUtc != alert.NextDueUtc) open.Move(alert.NextDueUtc);
    }

    public async Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Clock> deadlines, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var ids = deadlines.Select(d => d.SubjectId).ToList();
        var alerts = await db.Alerts().Beyond(ScopeExit.SystemJudgement).Where(a => ids.Contains(a.Id) && a.Status != AlertStatus.Closed)
            .ToDictionaryAsync(a => a.Id, ct);
        bool Late(Alert a) => a.Level != EscalationLevel.City && a.IsOverdue(now);
        var asks = deadlines.Select(d => alerts.TryGetValue(d.SubjectId, out var a) && Late(a)
            ? (new Place(a.DivisionCode, a.AditId, a.DeviceId), AnswerLevelOf(a.Level + 1)) : ((Place, AnswerLevel)?)null).ToList();
        var answers = await responsibility.WhoAnswersEachAsync(asks, ct);
        return deadlines.Select((deadline, i) =>
        {
            if (!alerts.TryGetValue(deadline.SubjectId, out var alert)) return null;
            if (alert.Level == EscalationLevel.City) return new Escalation(AnswerLevel.City, null);
            if (!Late(alert)) return new Escalation(deadline.Level, alert.NextDueUtc);

            var to = alert.Level + 1;
            var (ack, verify) = options.Value.Deadlines.For(alert.Severity);
            var ackLate = alert.Status == AlertStatus.Open && alert.AckDueUtc <= now;
            var why = ackLate ? $"超过签收时限（{ChinaTime.Format(alert.AckDueUtc)}）未签收" : $"超过核实时限（{ChinaTime.Format(alert.VerifyDueUtc)}）未核实";
            alert.Escalate(to, ackLate ? now + ack : alert.AckDueUtc, alert.VerifyDueUtc <= now ? now + verify : alert.VerifyDueUtc);
            var people = answers[i];
            foreach (var who in people)
                db.Tell(who, alert.DivisionCode, $"【预警升级·{AlertNames.Levels[to]}】{alert.Title}", $"{why}，已升级至{AlertNames.Levels[to]}督办。",
                    $"/alerts/{alert.Id}", "alert", alert.Id, sms: true);
            db.AlertEntries().Add(AlertEntry.Create(alert, "escalated",
                $"{why}，升级至{AlertNames.Levels[to]}：{(people.Count > 0 ? AnswererNames.Join(people.Select(p => p.Name)) : "未找到可通知的人员")}", now));
            return (Escalation?)new Escalation(AnswerLevelOf(to), to == EscalationLevel.City ? null : alert.NextDueUtc);
        }).ToList();
    }
}
