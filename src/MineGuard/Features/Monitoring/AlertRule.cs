using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// 预警规则 for a jurisdiction (it applies to events inside its division): which event types, where (a given adit, only
/// sealed adits, only zones around adits), when (night only), which severity, and which department to tell as well.
/// The defaults (<see cref="DefaultRules"/>) apply everywhere; a jurisdiction switches one off with a disabled rule of
/// the same <see cref="DefaultKey"/>.
/// </summary>
public sealed class AlertRule : IInJurisdiction
{
    private AlertRule() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>Comma-separated event types (see <see cref="EventTypes"/>).</summary>
    public string EventTypes { get; private set; } = "";

    /// <summary>Camera subjects that count (person, vehicle, machine), comma-separated; empty for any.</summary>
    public string Subjects { get; private set; } = "";

    /// <summary>E-seal actions that count (opened, tampered, power-on), comma-separated; empty for any.</summary>
    public string Actions { get; private set; } = "";

    public Guid? AditId { get; private set; }
    public bool SealedAditsOnly { get; private set; }
    public bool AditZonesOnly { get; private set; }
    public bool NightOnly { get; private set; }
    public AlertSeverity Severity { get; private set; }
    public string? NotifyDepartment { get; private set; }
    public bool Enabled { get; private set; }

    /// <summary>Set on a rule that switches a default rule off (or on) for its jurisdiction.</summary>
    public string? DefaultKey { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    public sealed record Spec(
        string DivisionCode, string Name, IReadOnlyList<string> EventTypes, IReadOnlyList<string> Subjects, IReadOnlyList<string> Actions,
        Guid? AditId, bool SealedAditsOnly, bool AditZonesOnly, bool NightOnly, AlertSeverity Severity, string? NotifyDepartment,
        bool Enabled, string? DefaultKey);

    public static AlertRule Create(Spec s, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = s.DivisionCode, Name = s.Name, EventTypes = string.Join(',', s.EventTypes.Distinct()),
        Subjects = string.Join(',', s.Subjects.Distinct()), Actions = string.Join(',', s.Actions.Distinct()), AditId = s.AditId,
        SealedAditsOnly = s.SealedAditsOnly, AditZonesOnly = s.AditZonesOnly, NightOnly = s.NightOnly, Severity = s.Severity,
        NotifyDepartment = s.NotifyDepartment, Enabled = s.Enabled, DefaultKey = s.DefaultKey, CreatedUtc = nowUtc,
    };

    /// <summary>Changes what the rule matches and does (its division and default key stay as created).</summary>
    public void Update(Spec s)
    {
        Name = s.Name;
        EventTypes = string.Join(',', s.EventTypes.Distinct());
        Subjects = string.Join(',', s.Subjects.Distinct());
        Actions = string.Join(',', s.Actions.Distinct());
        AditId = s.AditId;
        SealedAditsOnly = s.SealedAditsOnly;
        AditZonesOnly = s.AditZonesOnly;
        NightOnly = s.NightOnly;
        Severity = s.Severity;
        NotifyDepartment = s.NotifyDepartment;
        Enabled = s.Enabled;
    }

    public RuleCheck Check => new(Id.ToString(), Name, Split(EventTypes), Split(Subjects), Split(Actions), AditId, SealedAditsOnly,
        AditZonesOnly, NightOnly, Severity, NotifyDepartment, DivisionCode);

    private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A rule as the evaluator uses it (a stored rule or a default one).</summary>
public sealed record RuleCheck(
    string Key, string Name, string[] EventTypes, string[] Subjects, string[] Actions, Guid? AditId, bool SealedAditsOnly,
    bool AditZonesOnly, bool NightOnly, AlertSeverity Severity, string? NotifyDepartment, string DivisionCode)
{
    /// <summary>Whether a signal matches: type, place, subject/action, time of day (China time, 20:00–06:00 is night).</summary>
    public bool Matches(Signal s)
    {
        if (!EventTypes.Contains(s.Type)) return false;
        if (!s.DivisionCode.StartsWith(DivisionCode, StringComparison.Ordinal)) return false;
        if (AditId is { } adit && s.AditId != adit) return false;
        if (SealedAditsOnly && !s.AditSealed) return false;
        if (AditZonesOnly && s.AditId is null) return false;
        if (Subjects.Length > 0 && (s.Subject is null || !Subjects.Contains(s.Subject))) return false;
        if (Actions.Length > 0 && (s.Action is null || !Actions.Contains(s.Action))) return false;
        if (NightOnly && ChinaTime.ToLocal(s.OccurredUtc).Hour is >= 6 and < 20) return false;
        return true;
    }
}

/// <summary>What the rules look at in one event, after its device and adit are known.</summary>
public sealed record Signal(
    string Type, string DivisionCode, Guid? AditId, bool AditSealed, Guid? DeviceId, string? Subject, string? Action, DateTime OccurredUtc);

/// <summary>The rules that are there out of the box, as PRODUCT.md capability 6 lists them.</summary>
public static class DefaultRules
{
    public static readonly IReadOnlyList<RuleCheck> All =
    [
        new("default:sealed-adit-camera", "已封堵矿硐摄像头发现人员或车辆", [EventTypes.Camera], ["person", "vehicle", "machine"], [],
            null, true, false, false, AlertSeverity.High, "public-security", ""),
        new("default:efence-adit-zone", "闯入矿硐电子围栏", [EventTypes.EFence], [], [], null, false, true, false, AlertSeverity.Medium, null, ""),
        new("default:eseal", "电子封条报警（开启、破坏、通电）", [EventTypes.ESeal], [], [], null, false, false, false, AlertSeverity.High,
            "public-security", ""),
        new("default:device-offline", "设备离线超过心跳间隔", [EventTypes.Offline], [], [], null, false, false, false, AlertSeverity.Low, null, ""),
    ];
}
