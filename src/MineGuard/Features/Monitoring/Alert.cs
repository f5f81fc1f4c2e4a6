using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Monitoring;

public enum AlertSeverity
{
    Low = 0,
    Medium = 1,
    High = 2,
}

public enum AlertStatus
{
    Open = 0,
    Acknowledged = 1,
    Closed = 2,
}

public enum AlertOutcome
{
    None = 0,
    FalseAlarm = 1,
    Confirmed = 2,
}

public enum FalseAlarmReason
{
    Animal = 1,
    AuthorisedWorker = 2,
    DeviceFault = 3,
    Other = 4,
}

/// <summary>Who the alert is with: the adit's own people, then one level up the jurisdiction each time a deadline passes.</summary>
public enum EscalationLevel
{
    Local = 0,
    County = 1,
    City = 2,
}

/// <summary>
/// 预警 (an incident): the signals about one adit (or one device) within the correlation window, grouped so that a person
/// gets one message, not twenty. Routed to a named person, who must acknowledge it and verify on site by deadlines
/// that depend on its severity; past a deadline it escalates one level up (乡镇 → 县 → 市).
/// </summary>
public sealed class Alert : IInJurisdiction
{
    private Alert() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string CountyCode { get; private set; } = "";

    /// <summary>"adit:{id}" or "device:{id}": signals with the same key inside the window join this alert.</summary>
    public string CorrelationKey { get; private set; } = "";

    public Guid? AditId { get; private set; }
    public Guid? DeviceId { get; private set; }
    public string RuleKey { get; private set; } = "";
    public string EventType { get; private set; } = "";
    public string Title { get; private set; } = "";

    /// <summary>The title's column: a device's or rule's long name makes a title cut to it.</summary>
    public const int TitleMax = 200;
    public AlertSeverity Severity { get; private set; }
    public AlertStatus Status { get; private set; }
    public EscalationLevel Level { get; private set; }

    /// <summary>A department the rule also tells (e.g. public-security), or null.</summary>
    public string? NotifyDepartment { get; private set; }

    public double? Lon { get; private set; }
    public double? Lat { get; private set; }
    public DateTime OpenedUtc { get; private set; }
    public DateTime LastSignalUtc { get; private set; }
    public int SignalCount { get; private set; }

    /// <summary>Set once by the router that told the people (a conditional update, so two nodes never both route it).</summary>
    public DateTime? RoutedUtc { get; private set; }

    public Guid? AssigneeUserId { get; private set; }
    public DateTime AckDueUtc { get; private set; }
    public DateTime VerifyDueUtc { get; private set; }
    public DateTime? AcknowledgedUtc { get; private set; }
    public Guid? AcknowledgedById { get; private set; }
    public DateTime? ClosedUtc { get; private set; }
    public Guid? ClosedById { get; private set; }
    public AlertOutcome Outcome { get; private set; }
    public FalseAlarmReason? FalseAlarmReason { get; private set; }
    public string? OutcomeNote { get; private set; }
    /// <summary>The assignment (督办事项) a confirmed alert opened.</summary>
    public Guid? AssignmentId { get; private set; }
    public bool IsDemo { get; private set; }

    public sealed record Opening(
        string DivisionCode, string CountyCode, string CorrelationKey, Guid? AditId, Guid? DeviceId, string RuleKey, string EventType,
        string Title, AlertSeverity Severity, string? NotifyDepartment, double? Lon, double? Lat);

    public static Alert Open(Opening o, DateTime nowUtc, Deadlines deadlines, bool isDemo = false)
    {
        var (ack, verify) = deadlines.For(o.Severity);
        return new Alert
        {
            Id = Guid.CreateVersion7(), DivisionCode = o.DivisionCode, CountyCode = o.CountyCode, CorrelationKey = o.CorrelationKey,
            AditId = o.AditId, DeviceId = o.DeviceId, RuleKey = o.RuleKey, EventType = o.EventType, Title = Platform.Web.StoredValueLimits.Cut(o.Title, TitleMax),
            Severity = o.Severity, NotifyDepartment = o.NotifyDepartment, Lon = o.Lon, Lat = o.Lat, Status = AlertStatus.Open,
            Level = EscalationLevel.Local, OpenedUtc = nowUtc, LastSignalUtc = nowUtc, SignalCount = 1,
            AckDueUtc = nowUtc + ack, VerifyDueUtc = nowUtc + verify, IsDemo = isDemo,
        };
    }

    /// <summary>Routed in the transaction that opened it (not yet visible to any other node, so no claim is needed).</summary>
    public void RoutedInPlace(DateTime nowUtc, Guid? assigneeUserId)
    {
        RoutedUtc = nowUtc;
        AssigneeUserId = assigneeUserId;
    }

    /// <summary>Another signal inside the window joins the alert; the severity only goes up.</summary>
    public void AddSignal(AlertSeverity severity, DateTime nowUtc)
    {
        SignalCount++;
        LastSignalUtc = nowUtc;
        if (severity > Severity) Severity = severity;
    }

    /// <summary>The time the alert is next due: acknowledgement while open, verification after (kept in step with its deadline).</summary>
    public DateTime NextDueUtc => Status == AlertStatus.Open && AckDueUtc < VerifyDueUtc ? AckDueUtc : VerifyDueUtc;

    /// <summary>One level up, with new times for what was late (set by <see cref="AlertEscalation"/> on the one clock).</summary>
    public void Escalate(EscalationLevel to, DateTime ackDueUtc, DateTime verifyDueUtc)
    {
        Level = to;
        AckDueUtc = ackDueUtc;
        VerifyDueUtc = verifyDueUtc;
    }

    /// <summary>Due at or past its time (the clock claims a deadline at its due time: the two agree at the very instant).</summary>
    public bool IsOverdue(DateTime nowUtc) =>
        Status != AlertStatus.Closed && ((Status == AlertStatus.Open && AckDueUtc <= nowUtc) || VerifyDueUtc <= nowUtc);

    public void Acknowledge(Guid byUserId, DateTime nowUtc)
    {
        Rule.Check(Status == AlertStatus.Open, "AlertNotOpen", Status == AlertStatus.Closed ? "该预警已经关闭" : "该预警已经签收");
        Status = AlertStatus.Acknowledged;
        AcknowledgedUtc = nowUtc;
        AcknowledgedById = byUserId;
    }

    /// <summary>核实结果: a false alarm needs its reason; a confirmed one may lead to a breach record and an assignment.</summary>
    public void Close(AlertOutcome outcome, FalseAlarmReason? reason, string? note, Guid byUserId, DateTime nowUtc)
    {
        Rule.Check(Status != AlertStatus.Closed, "AlertAlreadyClosed", "该预警已经关闭");
        Rule.Check(outcome != AlertOutcome.None, "AlertNeedsOutcome", "关闭预警必须填写核实结果");
        Rule.Check(outcome != AlertOutcome.FalseAlarm || reason is not null, "FalseAlarmNeedsReason", "误报必须说明原因");
        Status = AlertStatus.Closed;
        Outcome = outcome;
        FalseAlarmReason = outcome == AlertOutcome.FalseAlarm ? reason : null;
        OutcomeNote = note;
        ClosedUtc = nowUtc;
        ClosedById = byUserId;
        AcknowledgedUtc ??= nowUtc;
        AcknowledgedById ??= byUserId;
    }

    public void LinkAssignment(Guid assignmentId) => AssignmentId = assignmentId;
}

/// <summary>One line of an alert's timeline: received, another signal, routed, acknowledged, escalated, closed.</summary>
public sealed class AlertEntry : IInJurisdiction
{
    private AlertEntry() { }

    public Guid Id { get; private set; }
    public Guid AlertId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public string Kind { get; private set; } = "";
    public string Text { get; private set; } = "";
    public Guid? ByUserId { get; private set; }
    public Guid? EventId { get; private set; }

    /// <summary>The timeline line's column.</summary>
    public const int TextMax = 1000;

    public static AlertEntry Create(Alert alert, string kind, string text, DateTime nowUtc, Guid? byUserId = null, Guid? eventId = null) =>
        Create(alert.Id, alert.DivisionCode, kind, text, nowUtc, byUserId, eventId);

    /// <summary>A line for an alert known by its id and division only (one read narrowly, not tracked).</summary>
    public static AlertEntry Create(Guid alertId, string divisionCode, string kind, string text, DateTime nowUtc, Guid? byUserId = null, Guid? eventId = null) => new()
    {
        Id = Guid.CreateVersion7(), AlertId = alertId, DivisionCode = divisionCode, AtUtc = nowUtc, Kind = kind,
        Text = Platform.Web.StoredValueLimits.Cut(text, TextMax), ByUserId = byUserId, EventId = eventId,
    };
}

public static class AlertNames
{
    public static readonly IReadOnlyDictionary<AlertSeverity, (string Code, string Chinese)> Severities = new Dictionary<AlertSeverity, (string, string)>
    {
        [AlertSeverity.Low] = ("low", "一般"), [AlertSeverity.Medium] = ("medium", "较重"), [AlertSeverity.High] = ("high", "严重"),
    };

    public static readonly IReadOnlyDictionary<AlertStatus, (string Code, string Chinese)> Statuses = new Dictionary<AlertStatus, (string, string)>
    {
        [AlertStatus.Open] = ("open", "待签收"), [AlertStatus.Acknowledged] = ("acknowledged", "已签收待核实"), [AlertStatus.Closed] = ("closed", "已关闭"),
    };

    public static readonly IReadOnlyDictionary<FalseAlarmReason, (string Code, string Chinese)> Reasons = new Dictionary<FalseAlarmReason, (string, string)>
    {
        [FalseAlarmReason.Animal] = ("animal", "动物"), [FalseAlarmReason.AuthorisedWorker] = ("authorised-worker", "授权作业人员"),
        [FalseAlarmReason.DeviceFault] = ("device-fault", "设备故障"), [FalseAlarmReason.Other] = ("other", "其他"),
    };

    public static readonly IReadOnlyDictionary<EscalationLevel, string> Levels = new Dictionary<EscalationLevel, string>
    {
        [EscalationLevel.Local] = "属地（包保责任人/网格/乡镇）", [EscalationLevel.County] = "县级", [EscalationLevel.City] = "市级",
    };

    public static readonly IReadOnlyDictionary<AlertOutcome, (string Code, string Chinese)> Outcomes = new Dictionary<AlertOutcome, (string, string)>
    {
        [AlertOutcome.FalseAlarm] = ("false-alarm", "误报"), [AlertOutcome.Confirmed] = ("confirmed", "属实"),
    };

    public static string Outcome(AlertOutcome o) => Outcomes.TryGetValue(o, out var n) ? n.Chinese : "";

    /// <summary>
    /// The choices a message names, for people first: "误报（false-alarm）或属实（confirmed）" — the Chinese name a person reads,
    /// the code beside it for an integrator.
    /// </summary>
    public static string Listed(IEnumerable<(string Code, string Chinese)> choices)
    {
        var names = choices.Select(c => $"{c.Chinese}（{c.Code}）").ToList();
        return names.Count < 2 ? string.Concat(names) : $"{string.Join("、", names[..^1])}或{names[^1]}";
    }

    public static TEnum? Parse<TEnum>(IReadOnlyDictionary<TEnum, (string Code, string Chinese)> names, string? text) where TEnum : struct =>
        names.Where(n => n.Value.Code == text || n.Value.Chinese == text).Select(n => (TEnum?)n.Key).FirstOrDefault();
}
