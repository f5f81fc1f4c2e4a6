namespace MineGuard.Features.Monitoring;

/// <summary>Configuration section "Monitoring": deadlines per severity, the correlation window, the e-fence warning text.</summary>
public sealed class MonitoringOptions
{
    /// <summary>The warning the Hongjiang plan asks the telecom e-fence to send to a phone that enters an adit zone.</summary>
    public string EFenceWarningText { get; set; } =
        "【安全提示】您已进入废弃矿硐危险区域，矿硐内有坍塌、中毒窒息等危险，严禁进入或从事非法采矿活动，请立即离开！";

    /// <summary>Signals about the same adit within this many minutes join one alert.</summary>
    public int CorrelationMinutes { get; set; } = 60;

    /// <summary>Whether the hosted loops (routing, escalation, heartbeats) run on this node.</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>Seconds between the hosted loops' rounds (a new alert wakes the router at once on its own node).</summary>
    public int JobIntervalSeconds { get; set; } = 5;

    public Deadlines Deadlines { get; set; } = new();
}

/// <summary>签收时限 and 核实时限 per severity (acknowledge within N minutes, verify on site within M hours).</summary>
public sealed class Deadlines
{
    public Deadline High { get; set; } = new() { AcknowledgeMinutes = 15, VerifyHours = 2 };
    public Deadline Medium { get; set; } = new() { AcknowledgeMinutes = 30, VerifyHours = 12 };
    public Deadline Low { get; set; } = new() { AcknowledgeMinutes = 240, VerifyHours = 48 };

    public (TimeSpan Acknowledge, TimeSpan Verify) For(AlertSeverity severity)
    {
        var d = severity switch { AlertSeverity.High => High, AlertSeverity.Medium => Medium, _ => Low };
        return (TimeSpan.FromMinutes(d.AcknowledgeMinutes), TimeSpan.FromHours(d.VerifyHours));
    }
}

public sealed class Deadline
{
    public int AcknowledgeMinutes { get; set; }
    public double VerifyHours { get; set; }
}
