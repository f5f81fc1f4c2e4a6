using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Web;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Monitoring;

/// <summary>The list's filters; Q matches the title and the adit's number; Take is the page size (200 unless said), P the page.</summary>
/// <summary>The alert list's filters; <c>division</c> (that node and below) and <c>from</c>/<c>to</c> (days opened) are the dashboard's links.</summary>
public sealed record AlertListQuery(string? Status, string? Severity, string? Type, bool? Overdue, int? Take, string? Q = null, int? P = null,
    string? Division = null, string? From = null, string? To = null);

public sealed record CloseInput(string? Outcome, string? Reason, string? Note, bool? RecordBreach, bool? OpenAssignment);

public sealed record AlertView(
    Guid Id, string Title, string Type, string TypeName, string Severity, string SeverityName, string Status, string StatusName,
    string Level, string DivisionCode, Guid? AditId, string? AditNumber, Guid? DeviceId, double? Lon, double? Lat, int SignalCount,
    DateTime OpenedUtc, DateTime LastSignalUtc, DateTime AckDueUtc, DateTime VerifyDueUtc, bool Overdue, DateTime? RoutedUtc,
    string? AssigneeName, DateTime? AcknowledgedUtc, DateTime? ClosedUtc, string? Outcome, string? FalseAlarmReason, string? OutcomeNote,
    Guid? AssignmentId);

public sealed record TimelineLine(DateTime AtUtc, string Kind, string Text);

public sealed record AlertDetail(AlertView Alert, List<TimelineLine> Timeline);

public sealed record AlertList(int Total, int Overdue, List<AlertView> Items, int Page = 1);

/// <summary>Reading, acknowledging and closing alerts: shared by the API and the alert desk page.</summary>
public sealed class AlertCommands(AppDbContext db, AditCommands adits, Responsibility responsibility)
{
    /// <summary>Calendar days a confirmed alert's assignment is due in (as the follow-up items it replaces).</summary>
    public const int AssignmentDays = 7;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Alerts the user may see: those in their jurisdiction, and those assigned to them (a responsible person named on
    /// an adit outside their own grid still gets to open the alert they were sent).
    /// </summary>
    public IQueryable<Alert> Alerts
    {
        get
        {
            var (from, to, me) = (db.CurrentUser.Scope.From, db.CurrentUser.Scope.To, db.CurrentUser.Id);
            return db.Alerts().Beyond(ScopeExit.AssignedToCaller)
                .Where(a => (string.Compare(a.DivisionCode, from) >= 0 && string.Compare(a.DivisionCode, to) < 0) || (me != null && a.AssigneeUserId == me));
        }
    }

    public async Task<(AlertList? List, FieldErrors Errors)> ListAsync(AlertListQuery q, CancellationToken ct)
    {
        var (query, errors) = Filter(q);
        if (query is null) return (null, errors);
        var page = await query.PageAsync(q.P, ct, q.Take ?? 200);
        var overdue = await OverdueCountAsync(ct);
        return (new AlertList(page.Total, overdue, await ViewsAsync(page.Items, ct), page.Page), errors);
    }

    /// <summary>The user's alerts with the list's filters applied, gravest and latest first; the list and its export share it.</summary>
    public (IOrderedQueryable<Alert>? Alerts, FieldErrors Errors) Filter(AlertListQuery q)
    {
        var errors = new FieldErrors();
        var query = Alerts.AsNoTracking();
        var now = Now;
        switch (q.Status)
        {
            case null or "" or "active": query = query.Where(a => a.Status != AlertStatus.Closed); break;
            case "all": break;
            default:
                if (AlertNames.Parse(AlertNames.Statuses, q.Status) is { } s) query = query.Where(a => a.Status == s);
                else errors.Add("status", $"状态只能是{AlertNames.Listed([("active", "未关闭"), .. AlertNames.Statuses.Values, ("all", "全部")])}");
                break;
        }
        if (!string.IsNullOrEmpty(q.Severity))
        {
            if (AlertNames.Parse(AlertNames.Severities, q.Severity) is { } sev) query = query.Where(a => a.Severity == sev);
            else errors.Add("severity", $"级别只能是{AlertNames.Listed(AlertNames.Severities.Values)}");
        }
        if (!string.IsNullOrEmpty(q.Type))
        {
            if (EventTypes.Chinese.ContainsKey(q.Type) || EventTypes.Findings.ContainsKey(q.Type)) query = query.Where(a => a.EventType == q.Type);
            else errors.Add("type", $"未知的事件类型：{q.Type}");
        }
        if (q.Take is < 1 or > 1000) errors.Add("take", "条数（take）须在 1 到 1000 之间");
        if (!string.IsNullOrWhiteSpace(q.Division)) query = query.Within(JurisdictionScope.Of(q.Division.Trim()), a => a.DivisionCode);
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(q.From, q.To, "产生", errors.Add);
        if (fromUtc is { } start) query = query.Where(a => a.OpenedUtc >= start);
        if (toUtc is { } end) query = query.Where(a => a.OpenedUtc < end);
        if (ListPaging.Keyword(q.Q, errors) is { } text)
        {
            var adits = db.Adits().Where(x => x.Number.Contains(text)).Select(x => x.Id);
            query = query.Where(a => a.Title.Contains(text) || (a.AditId != null && adits.Contains(a.AditId.Value)));
        }
        if (!errors.Ok) return (null, errors);
        if (q.Overdue == true) query = query.Where(OverdueAt(now));
        return (query.OrderByDescending(a => a.Severity).ThenByDescending(a => a.LastSignalUtc).ThenBy(a => a.Id), errors);
    }

    /// <summary>Alerts in the user's scope past a deadline: what the supervisor's dashboard shows.</summary>
    public Task<int> OverdueCountAsync(CancellationToken ct) => Alerts.Where(OverdueAt(Now)).CountAsync(ct);

    private static System.Linq.Expressions.Expression<Func<Alert, bool>> OverdueAt(DateTime now) =>
        a => a.Status != AlertStatus.Closed && ((a.Status == AlertStatus.Open && a.AckDueUtc <= now) || a.VerifyDueUtc <= now);

    public async Task<AlertDetail> DetailAsync(Alert alert, CancellationToken ct)
    {
        // The alert was found through the caller's access to it; its lines follow it.
        var lines = await db.AlertEntries().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(e => e.AlertId == alert.Id)
            .Select(e => new TimelineLine(e.AtUtc, e.Kind, e.Text)).ToListAsync(ct);
        var sms = await db.Set<SmsMessage>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(s => s.SourceType == "alert" && s.SourceId == alert.Id)
            .Select(s => new { s.Phone, s.Status, s.SentUtc, s.CreatedUtc, s.Attempts }).ToListAsync(ct);
        foreach (var s in sms)
        {
            var masked = s.Phone.Length == 11 ? $"{s.Phone[..3]}****{s.Phone[7..]}" : s.Phone;
            lines.Add(s.Status switch
            {
                SmsStatus.Sent => new TimelineLine(s.SentUtc ?? s.CreatedUtc, "sms", $"短信已发送至 {masked}"),
                SmsStatus.Failed => new TimelineLine(s.CreatedUtc, "sms", $"短信发送失败（{masked}，已尝试 {s.Attempts} 次）"),
                _ => new TimelineLine(s.CreatedUtc, "sms", $"短信待发送至 {masked}"),
            });
        }
        return new AlertDetail((await ViewsAsync([alert], ct))[0], [.. lines.OrderBy(l => l.AtUtc)]);
    }

    public async Task AcknowledgeAsync(Alert alert, CancellationToken ct)
    {
        alert.Acknowledge(db.CurrentUser.Id!.Value, Now);
        await AlertEscalation.FollowAsync(db, alert, ct);
        db.AlertEntries().Add(AlertEntry.Create(alert, "acknowledged", $"{db.CurrentUser.DisplayName} 已签收", Now, db.CurrentUser.Id));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>For the pages: acknowledges and says what happened (a refused rule as its message); null when not found.</summary>
    public async Task<string?> AcknowledgeByIdAsync(Guid id, CancellationToken ct)
    {
        var alert = await Alerts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null) return null;
        try
        {
            await AcknowledgeAsync(alert, ct);
            return $"已签收：{alert.Title}";
        }
        catch (BusinessRuleException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// 核实结果: a false alarm with its reason, or confirmed — then, if asked, a breach on the adit (through the adit's own
    /// rules: only a sealed adit can be breached) and an assignment (督办事项, due in <see cref="AssignmentDays"/> days, for
    /// whoever answers for the adit or device), all in one transaction. A closed alert cannot be closed again, so
    /// confirming twice opens one assignment.
    /// </summary>
    public async Task<FieldErrors> CloseAsync(Alert alert, CloseInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var outcome = AlertNames.Parse(AlertNames.Outcomes, input.Outcome) ?? AlertOutcome.None;
        if (outcome == AlertOutcome.None) errors.Add(nameof(input.Outcome), $"请选择核实结果：{AlertNames.Listed(AlertNames.Outcomes.Values)}");
        var reason = AlertNames.Parse(AlertNames.Reasons, input.Reason);
        if (outcome == AlertOutcome.FalseAlarm && reason is null)
            errors.Add(nameof(input.Reason), $"误报须选择原因：{AlertNames.Listed(AlertNames.Reasons.Values)}");
        if (input.Note is { Length: > 2000 }) errors.Add(nameof(input.Note), "说明不能超过 2000 个字符");
        if (outcome == AlertOutcome.FalseAlarm && reason == FalseAlarmReason.Other && string.IsNullOrWhiteSpace(input.Note))
            errors.Add(nameof(input.Note), "选择“其他”原因时请填写说明");
        if (input.RecordBreach == true && (outcome != AlertOutcome.Confirmed || alert.AditId is null))
            errors.Add(nameof(input.RecordBreach), "只有属实且关联矿硐的预警才能登记矿硐被破坏");
        if (!errors.Ok) return errors;

        var me = db.CurrentUser.Id!.Value;
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        alert.Close(outcome, reason, note, me, Now);
        await db.CloseAsync(AlertEscalation.Subject, alert.Id, ct);
        var text = outcome == AlertOutcome.FalseAlarm ? $"核实为误报（{AlertNames.Reasons[reason!.Value].Chinese}）" : "核实属实";
        db.AlertEntries().Add(AlertEntry.Create(alert, "closed", $"{db.CurrentUser.DisplayName} 关闭：{text}{(note is null ? "" : $"，{note}")}", Now, me));
        if (outcome == AlertOutcome.Confirmed && input.OpenAssignment != false && alert.AssignmentId is null)
        {
            var people = await responsibility.WhoAnswersAsync(new Place(alert.DivisionCode, alert.AditId, alert.DeviceId), AnswerLevel.Person, null, ct);
            var assignment = AssignmentDesk.OpenFor(db, people, alert.DivisionCode, alert.AditId, "alert", alert.Id, $"预警核实属实：{alert.Title}",
                note, AssignmentDays, alert.AssigneeUserId ?? me);
            alert.LinkAssignment(assignment.Id);
            // Whoever it is given to hears of it now, in the app and by SMS (a cadre without an account by SMS alone).
            if (people.FirstOrDefault() is { } who)
            {
                db.Tell(who, alert.DivisionCode, "督办事项：预警核实属实", $"{alert.Title}，请于 {assignment.DueOn:yyyy-MM-dd} 前处置并反馈",
                    $"/assignments/{assignment.Id}", "assignment", assignment.Id, sms: true);
            }
        }
        if (outcome == AlertOutcome.Confirmed) await Clues.ClueIntake.OpenAsync(db, new Clues.ClueLead("alert", alert.Id, $"预警核实属实：{alert.Title}", alert.DivisionCode, alert.AditId), ct);
        if (input.RecordBreach == true)
        {
            var adit = await db.Adits().Beyond(ScopeExit.SystemJudgement).FirstOrDefaultAsync(a => a.Id == alert.AditId, ct);
            if (adit is null) errors.Add(nameof(input.RecordBreach), "关联的矿硐不在您的管辖范围内");
            else
            {
                // The adit's own command saves everything tracked, the alert and its assignment with it.
                var (_, breachErrors) = await adits.BreachAsync(adit, new BreachInput(adits.Today.ToString("yyyy-MM-dd"), db.CurrentUser.DisplayName,
                    "监控预警核实", $"预警：{alert.Title}"), ct);
                foreach (var (k, v) in breachErrors) foreach (var m in v) errors.Add(k, m);
            }
            if (!errors.Ok) return errors;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return errors;
    }

    public async Task<List<AlertView>> ViewsAsync(IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var aditIds = alerts.Where(a => a.AditId is not null).Select(a => a.AditId!.Value).Distinct().ToList();
        var numbers = await db.Adits().Beyond(ScopeExit.LinkedLabel).Where(a => aditIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Number, ct);
        var userIds = alerts.Where(a => a.AssigneeUserId is not null).Select(a => a.AssigneeUserId!.Value).Distinct().ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var now = Now;
        return alerts.Select(a => new AlertView(a.Id, a.Title, a.EventType, EventTypes.Name(a.EventType),
            AlertNames.Severities[a.Severity].Code, AlertNames.Severities[a.Severity].Chinese, AlertNames.Statuses[a.Status].Code,
            AlertNames.Statuses[a.Status].Chinese, AlertNames.Levels[a.Level], a.DivisionCode, a.AditId,
            a.AditId is { } id ? numbers.GetValueOrDefault(id) : null, a.DeviceId, a.Lon, a.Lat, a.SignalCount, a.OpenedUtc, a.LastSignalUtc,
            a.AckDueUtc, a.VerifyDueUtc, a.IsOverdue(now), a.RoutedUtc, a.AssigneeUserId is { } u ? users.GetValueOrDefault(u) : null,
            a.AcknowledgedUtc, a.ClosedUtc, a.Outcome == AlertOutcome.None ? null : AlertNames.Outcome(a.Outcome),
            a.FalseAlarmReason is { } r ? AlertNames.Reasons[r].Chinese : null, a.OutcomeNote, a.AssignmentId)).ToList();
    }
}
