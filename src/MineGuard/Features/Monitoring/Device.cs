using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Monitoring;

/// <summary>What a device is (技防设施); the Chinese names are what lists and the API show.</summary>
public enum DeviceKind
{
    Camera = 0,
    Drone = 1,
    EFenceZone = 2,
    ESeal = 3,
    Meter = 4,
    Checkpoint = 5,
    Satellite = 6,
}

/// <summary>
/// A monitoring device (监控设备): camera at an adit or crossroads, drone, electronic fence zone around an adit, electronic
/// seal on a suspended mine, electricity meter, vehicle checkpoint. It belongs to the integration whose API key sends its
/// data, has a person who answers for it, and a heartbeat: silent for longer than its interval, it raises "device offline".
/// </summary>
public sealed class Device : IInJurisdiction
{
    private Device() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public DeviceKind Kind { get; private set; }

    /// <summary>The integration's own id for the device, as its events name it (unique per integration key).</summary>
    public string Code { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The API key (integration) that sends this device's data.</summary>
    public Guid ApiKeyId { get; private set; }

    public Guid? AditId { get; private set; }
    public Guid? MineId { get; private set; }

    /// <summary>责任人: the user who answers for the device (and is told when it goes silent).</summary>
    public Guid? OwnerUserId { get; private set; }

    /// <summary>责任人 as a person record (with or without a log-in); routing asks for this one.</summary>
    public Guid? ResponsiblePersonId { get; private set; }

    /// <summary>Names the person who answers for the device (the owner's person record, or one without an account).</summary>
    public void NameResponsible(Guid? personId) => ResponsiblePersonId = personId;

    public double? Lon { get; private set; }
    public double? Lat { get; private set; }

    /// <summary>An e-fence zone as a circle around (Lon, Lat)…</summary>
    public double? RadiusMeters { get; private set; }

    /// <summary>…or as a polygon (GeoJSON, WGS84).</summary>
    public string? PolygonGeoJson { get; private set; }

    /// <summary>Expected interval between signs of life; 0 for devices that report only when something happens.</summary>
    public int HeartbeatMinutes { get; private set; }

    public DateTime? LastSeenUtc { get; private set; }
    public bool IsDemo { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    /// <summary>停用: a retired device stays on record but is no longer watched (no offline alert, no e-fence zone).</summary>
    public DateTime? RetiredUtc { get; private set; }

    public sealed record Spec(
        DeviceKind Kind, string Code, string Name, Guid ApiKeyId, string DivisionCode, Guid? AditId, Guid? MineId, Guid? OwnerUserId,
        double? Lon, double? Lat, double? RadiusMeters, string? PolygonGeoJson, int HeartbeatMinutes);

    public static Device Register(Spec s, DateTime nowUtc, bool isDemo = false) => new()
    {
        Id = Guid.CreateVersion7(), Kind = s.Kind, Code = s.Code, Name = s.Name, ApiKeyId = s.ApiKeyId, DivisionCode = s.DivisionCode,
        AditId = s.AditId, MineId = s.MineId, OwnerUserId = s.OwnerUserId, Lon = s.Lon, Lat = s.Lat, RadiusMeters = s.RadiusMeters,
        PolygonGeoJson = s.PolygonGeoJson, HeartbeatMinutes = s.HeartbeatMinutes, CreatedUtc = nowUtc, IsDemo = isDemo,
    };

    public sealed record Changes(
        string Name, string DivisionCode, Guid? AditId, Guid? OwnerUserId, double? Lon, double? Lat, double? RadiusMeters, string? PolygonGeoJson,
        int HeartbeatMinutes);

    /// <summary>What the office may change; the kind, code and integration stay (events name the device by them).</summary>
    public void Update(Changes c)
    {
        Name = c.Name;
        DivisionCode = c.DivisionCode;
        AditId = c.AditId;
        OwnerUserId = c.OwnerUserId;
        Lon = c.Lon;
        Lat = c.Lat;
        RadiusMeters = c.RadiusMeters;
        PolygonGeoJson = c.PolygonGeoJson;
        HeartbeatMinutes = c.HeartbeatMinutes;
    }

    public void Retire(DateTime nowUtc)
    {
        Rule.Check(RetiredUtc is null, "DeviceRetired", "该设备已停用");
        RetiredUtc = nowUtc;
    }

    /// <summary>
    /// 恢复使用: the undo of <see cref="Retire"/>. The device is watched again from now on: its silence counts from its last
    /// sign of life, so a device that stayed quiet while retired shows as offline until it reports.
    /// </summary>
    public void Reinstate()
    {
        Rule.Check(RetiredUtc is not null, "DeviceNotRetired", "该设备未停用");
        RetiredUtc = null;
    }

    /// <summary>Silent for longer than its interval (counting from registration when it never reported); a retired device never is.</summary>
    public bool IsSilent(DateTime nowUtc) =>
        RetiredUtc is null && HeartbeatMinutes > 0 && (LastSeenUtc ?? CreatedUtc) < nowUtc - TimeSpan.FromMinutes(HeartbeatMinutes);
}

public static class DeviceNames
{
    public static readonly IReadOnlyDictionary<DeviceKind, (string Code, string Chinese)> Kinds = new Dictionary<DeviceKind, (string, string)>
    {
        [DeviceKind.Camera] = ("camera", "摄像头"),
        [DeviceKind.Drone] = ("drone", "无人机"),
        [DeviceKind.EFenceZone] = ("efence-zone", "电子围栏"),
        [DeviceKind.ESeal] = ("eseal", "电子封条"),
        [DeviceKind.Meter] = ("meter", "电表"),
        [DeviceKind.Checkpoint] = ("checkpoint", "车辆卡口"),
        [DeviceKind.Satellite] = ("satellite", "卫星遥感"),
    };

    public static DeviceKind? Parse(string? code) =>
        Kinds.Where(k => k.Value.Code == code || k.Value.Chinese == code).Select(k => (DeviceKind?)k.Key).FirstOrDefault();
}
