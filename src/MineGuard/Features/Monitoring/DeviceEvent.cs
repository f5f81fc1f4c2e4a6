using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// One event an integration sent (camera detection, e-fence entry, e-seal, meter readings…), stored once per the
/// integration's own event id, so a resent batch stores nothing twice. Kept whether or not it raised an alert: meter
/// readings and checkpoint passages feed the analysis issue.
/// </summary>
public sealed class DeviceEvent : IInJurisdiction
{
    private DeviceEvent() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid ApiKeyId { get; private set; }

    /// <summary>The integration's own event id: unique per integration.</summary>
    public string ExternalId { get; private set; } = "";

    public string Type { get; private set; } = "";
    public Guid? DeviceId { get; private set; }
    public DateTime OccurredUtc { get; private set; }
    public DateTime ReceivedUtc { get; private set; }
    public double? Lon { get; private set; }
    public double? Lat { get; private set; }

    /// <summary>The event as sent (JSON), for the alert's timeline and later analysis.</summary>
    /// <summary>The longest event the table keeps (its column's length): a longer one is refused at parsing.</summary>
    public const int MaxData = 20000;

    public string Data { get; private set; } = "";

    public Guid? AlertId { get; private set; }

    public static DeviceEvent Create(Guid id, string divisionCode, Guid apiKeyId, string externalId, string type, Guid? deviceId,
        DateTime occurredUtc, DateTime receivedUtc, double? lon, double? lat, string data, Guid? alertId) => new()
    {
        Id = id, DivisionCode = divisionCode, ApiKeyId = apiKeyId, ExternalId = externalId, Type = type, DeviceId = deviceId,
        OccurredUtc = occurredUtc, ReceivedUtc = receivedUtc, Lon = lon, Lat = lat, Data = data, AlertId = alertId,
    };
}

/// <summary>The event types the ingestion API accepts.</summary>
public static class EventTypes
{
    public const string Camera = "camera.detection";
    public const string Drone = "drone.observation";
    public const string EFence = "efence.entry";
    public const string ESeal = "eseal";
    public const string Meter = "meter.readings";
    public const string Checkpoint = "checkpoint.passage";
    public const string Satellite = "satellite.change";
    public const string Heartbeat = "heartbeat";

    /// <summary>Raised by the system, never sent: a device silent beyond its interval.</summary>
    public const string Offline = "device.offline";

    public static readonly IReadOnlyDictionary<string, string> Chinese = new Dictionary<string, string>
    {
        [Camera] = "视频监控发现", [Drone] = "无人机巡查发现", [EFence] = "电子围栏闯入", [ESeal] = "电子封条报警",
        [Meter] = "电表读数", [Checkpoint] = "卡口过车", [Satellite] = "卫星图斑变化", [Heartbeat] = "心跳", [Offline] = "设备离线",
    };

    /// <summary>Raised by another feature's check, never sent (<see cref="FindingAlerts"/>): named on alerts, not offered to rules or ingestion.</summary>
    public const string ExplosivesGap = "explosives.gap";

    public static readonly IReadOnlyDictionary<string, string> Findings = new Dictionary<string, string>
    {
        [ExplosivesGap] = "民爆物品闭环缺口",
    };

    /// <summary>The Chinese name of an alert's type: an event type or a finding.</summary>
    public static string Name(string type) => Chinese.GetValueOrDefault(type) ?? Findings.GetValueOrDefault(type) ?? type;
}
