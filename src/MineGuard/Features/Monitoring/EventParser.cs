using MineGuard.Platform.People;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MineGuard.Platform.Geo;

namespace MineGuard.Features.Monitoring;

/// <summary>One event of a batch after its fields were checked.</summary>
public sealed record ParsedEvent(
    int Index, string ExternalId, string Type, string? DeviceCode, DateTime OccurredUtc, double? Lon, double? Lat,
    string? Subject, string? Action, string? Phone, string Data);

/// <summary>
/// Reads one event of an ingestion batch. Every problem is reported against the field it is in, in Chinese, so an
/// integrator sees which event (by index) and which field to fix; the other events of the batch are stored.
/// </summary>
public static partial class EventParser
{
    /// <summary>发现对象: what a camera saw, in the words of the people who read the alert.</summary>
    public static readonly IReadOnlyDictionary<string, string> SubjectNames = new Dictionary<string, string>
    {
        ["person"] = "人员", ["vehicle"] = "车辆", ["machine"] = "机械",
    };

    /// <summary>封条事件: what an electronic seal reported.</summary>
    public static readonly IReadOnlyDictionary<string, string> SealActionNames = new Dictionary<string, string>
    {
        ["opened"] = "开启", ["tampered"] = "破坏", ["power-on"] = "通电",
    };

    public static readonly string[] Subjects = [.. SubjectNames.Keys];
    public static readonly string[] SealActions = [.. SealActionNames.Keys];

    /// <summary>Reads one event; <paramref name="featureTypes"/>: the types other features take (<see cref="IIngestedEvents"/>), checked by them.</summary>
    public static (ParsedEvent? Event, FieldErrors Errors) Parse(int index, JsonElement e, DateTime nowUtc, IReadOnlySet<string>? featureTypes = null)
    {
        var errors = new FieldErrors();
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add("event", "每个事件必须是一个 JSON 对象");
            return (null, errors);
        }
        var id = Text(e, "id");
        if (string.IsNullOrWhiteSpace(id)) errors.Add("id", "缺少事件编号（id），重发时凭它去重");
        else if (id.Length > 100) errors.Add("id", "事件编号（id）不能超过 100 个字符");
        var type = Text(e, "type");
        if (string.IsNullOrWhiteSpace(type)) errors.Add("type", "缺少事件类型（type）");
        else if ((!EventTypes.Chinese.ContainsKey(type) || type == EventTypes.Offline) && featureTypes?.Contains(type) != true) errors.Add("type", $"未知的事件类型：{type}");

        DateTime occurred = default;
        var at = Text(e, "occurredAt");
        if (string.IsNullOrWhiteSpace(at)) errors.Add("occurredAt", "缺少发生时间（occurredAt，ISO 8601，带时区，如 2026-11-02T22:15:00+08:00）");
        else if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) || !HasOffset(at))
            errors.Add("occurredAt", "发生时间格式不对：须为带时区的 ISO 8601 时间，如 2026-11-02T22:15:00+08:00");
        else if (when.UtcDateTime > nowUtc.AddMinutes(10)) errors.Add("occurredAt", "发生时间晚于当前时间");
        else occurred = when.UtcDateTime;

        var device = Text(e, "deviceId");
        if (device is { Length: > 100 }) errors.Add("deviceId", "设备编号（deviceId）不能超过 100 个字符");
        var (lon, lat) = Position(e, errors);
        string? subject = null, action = null, phone = null;
        switch (type)
        {
            case EventTypes.Camera:
                NeedDevice();
                subject = Text(e, "subject");
                if (subject is null || !Subjects.Contains(subject)) errors.Add("subject", $"发现对象（subject）须为{AlertNames.Listed(SubjectNames.Select(n => (n.Key, n.Value)))}");
                Url(e, "snapshotUrl", errors);
                break;
            case EventTypes.Drone:
                if (lon is null) errors.Add("lon", "无人机发现须有位置（lon、lat）");
                Url(e, "photoUrl", errors);
                break;
            case EventTypes.EFence:
                if (device is null && lon is null) errors.Add("deviceId", "电子围栏事件须有围栏编号（deviceId）或位置（lon、lat）");
                phone = Text(e, "phone");
                var subjectDevice = Text(e, "subjectDeviceId");
                if (phone is not null && !PhonePattern().IsMatch(phone)) errors.Add("phone", "手机号须为 11 位数字，以 1 开头");
                if (phone is null && string.IsNullOrWhiteSpace(subjectDevice)) errors.Add("phone", "电子围栏事件须有进入者的手机号（phone）或终端编号（subjectDeviceId）");
                break;
            case EventTypes.ESeal:
                NeedDevice();
                action = Text(e, "action");
                if (action is null || !SealActions.Contains(action)) errors.Add("action", $"电子封条事件（action）须为{AlertNames.Listed(SealActionNames.Select(n => (n.Key, n.Value)))}");
                break;
            case EventTypes.Meter:
                NeedDevice();
                if (!e.TryGetProperty("readings", out var readings) || readings.ValueKind != JsonValueKind.Array || readings.GetArrayLength() == 0)
                    errors.Add("readings", "电表读数（readings）须为非空数组，每项含 at 与 kwh");
                else if (readings.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("kwh", out var k)
                             || k.ValueKind != JsonValueKind.Number || k.GetDouble() < 0 || Text(r, "at") is null))
                    errors.Add("readings", "每条电表读数须有时间（at）和非负的用电量（kwh）");
                else if (readings.EnumerateArray().Any(r => !DateTimeOffset.TryParse(Text(r, "at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                             || !HasOffset(Text(r, "at")!) || t.UtcDateTime > nowUtc.AddMinutes(10) || t.Year < 2000))
                    errors.Add("readings", "电表读数时间（at）须为带时区的 ISO 8601 时间（如 2026-11-02T22:00:00+08:00），且不晚于当前时间");
                else if (readings.EnumerateArray().Any(r => Text(r, "kind") is not (null or "interval" or "register")))
                    errors.Add("readings", "电表读数类型（kind）只能是 interval（时段用电量）或 register（表示数）");
                if (Text(e, "kind") is not (null or "interval" or "register"))
                    errors.Add("kind", "电表读数类型（kind）只能是 interval（时段用电量）或 register（表示数）");
                break;
            case EventTypes.Checkpoint:
                NeedDevice();
                var plate = Text(e, "plate");
                if (VehiclePlates.Normalise(plate).Length == 0 || plate!.Length > 20) errors.Add("plate", "须有车牌号（plate，不超过 20 个字符）");
                if (Text(e, "direction") is not ("in" or "out")) errors.Add("direction", "通行方向（direction）须为 in 或 out");
                break;
            case EventTypes.Satellite:
                if (!e.TryGetProperty("polygon", out var polygon) || polygon.ValueKind != JsonValueKind.Object)
                    errors.Add("polygon", "卫星图斑须有范围（polygon，GeoJSON 面）");
                else
                {
                    try
                    {
                        var g = GeoJson.ReadGeometry(polygon);
                        if (g.IsEmpty || g.Dimension != NetTopologySuite.Geometries.Dimension.Surface) errors.Add("polygon", "图斑范围须为面（Polygon 或 MultiPolygon）");
                        else if (lon is null)
                        {
                            var c = g.Centroid;
                            (lon, lat) = (c.X, c.Y);
                        }
                    }
                    catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
                    {
                        errors.Add("polygon", "图斑范围不是有效的 GeoJSON 面");
                    }
                }
                break;
            case EventTypes.Heartbeat:
                NeedDevice();
                break;
        }
        var raw = e.GetRawText();
        if (raw.Length > DeviceEvent.MaxData)
        {
            // The event is kept whole as it came: one too long for its column is refused here, never a database error.
            var (field, hint) = type switch
            {
                EventTypes.Meter => ("readings", "请把电表读数分成多个事件发送（每个事件 300 条以内）"),
                EventTypes.Satellite => ("polygon", "请简化图斑范围的边界点"),
                _ => ("event", "请删去多余的内容"),
            };
            errors.Add(field, $"事件内容过长（{raw.Length} 个字符，最多 {DeviceEvent.MaxData} 个）：{hint}");
        }
        if (!errors.Ok) return (null, errors);
        return (new ParsedEvent(index, id!, type!, device, occurred, lon, lat, subject, action, phone, raw), errors);

        void NeedDevice()
        {
            if (string.IsNullOrWhiteSpace(device)) errors.Add("deviceId", "缺少设备编号（deviceId）");
        }
    }

    private static (double? Lon, double? Lat) Position(JsonElement e, FieldErrors errors)
    {
        var hasLon = e.TryGetProperty("lon", out var lonEl) && lonEl.ValueKind != JsonValueKind.Null;
        var hasLat = e.TryGetProperty("lat", out var latEl) && latEl.ValueKind != JsonValueKind.Null;
        if (!hasLon && !hasLat) return (null, null);
        if (!hasLon || !hasLat || lonEl.ValueKind != JsonValueKind.Number || latEl.ValueKind != JsonValueKind.Number)
        {
            errors.Add("lon", "位置须同时给出经度 lon 和纬度 lat（数字）");
            return (null, null);
        }
        double lon = lonEl.GetDouble(), lat = latEl.GetDouble();
        if (lon is < 73 or > 136 || lat is < 3 or > 54)
        {
            errors.Add("lon", "位置不在中国境内（经度 73–136，纬度 3–54）");
            return (null, null);
        }
        var crs = Text(e, "crs");
        if (crs is not (null or "wgs84" or "gcj02"))
        {
            errors.Add("crs", "坐标系（crs）只能是 wgs84 或 gcj02");
            return (null, null);
        }
        return crs == "gcj02" ? Gcj02.ToWgs84(lon, lat) : (lon, lat);
    }

    private static void Url(JsonElement e, string name, FieldErrors errors)
    {
        if (Text(e, name) is { } url && (url.Length > 500 || !Uri.TryCreate(url, UriKind.Absolute, out _)))
            errors.Add(name, $"{name} 须为不超过 500 个字符的完整网址");
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || OffsetPattern().IsMatch(text);

    public static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim() is { Length: > 0 } s ? s : null : null;

    [GeneratedRegex(@"^1\d{10}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetPattern();
}
