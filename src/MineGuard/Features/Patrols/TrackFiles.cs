using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace MineGuard.Features.Patrols;

/// <summary>A waypoint of an uploaded track: a check-in at the adit it names, with the time it was taken.</summary>
public sealed record TrackWaypoint(string Name, double Lat, double Lon, double? Accuracy, DateTime Utc);

public sealed record TrackFile(IReadOnlyList<TrackPoint> Points, IReadOnlyList<TrackWaypoint> Waypoints);

/// <summary>
/// Reads a patrol recorded by another device (a handheld GPS, another app): GPX 1.0/1.1 track points with times, and
/// waypoints named by adit number; or GeoJSON: a LineString (times in properties.coordTimes or as a fourth coordinate,
/// Unix ms) and Point features whose properties name the adit (number/name) and the time. Accuracy comes from HDOP
/// (× 5 m) or a properties.accuracy; when a device gives none, the point says so (-1) and the check says "unknown".
/// </summary>
public static class TrackFiles
{
    public const double UnknownAccuracy = -1;

    public static (TrackFile? File, string? Error) Read(byte[] bytes, string fileName)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
            var file = text.StartsWith('<') ? Gpx(text) : text.StartsWith('{') ? GeoJson(text) : null;
            if (file is null) return (null, "只能导入 GPX 或 GeoJSON 轨迹文件");
            if (file.Points.Count == 0) return (null, "文件中没有带时间的轨迹点");
            return (file, null);
        }
        catch (Exception e) when (e is XmlException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return (null, $"轨迹文件无法读取：{Path.GetFileName(fileName)} 格式不正确");
        }
    }

    private static TrackFile Gpx(string text)
    {
        var doc = XDocument.Parse(text);
        var points = doc.Descendants().Where(e => e.Name.LocalName == "trkpt")
            .Select(e => (Node: e, Time: Time(e)))
            .Where(x => x.Time is not null)
            .Select(x => new TrackPoint(Coord(x.Node, "lat"), Coord(x.Node, "lon"), Accuracy(x.Node), x.Time!.Value)).ToList();
        var waypoints = doc.Descendants().Where(e => e.Name.LocalName == "wpt")
            .Select(e => (Node: e, Time: Time(e), Name: Child(e, "name")))
            .Where(x => x.Time is not null && !string.IsNullOrWhiteSpace(x.Name))
            .Select(x => new TrackWaypoint(x.Name!.Trim(), Coord(x.Node, "lat"), Coord(x.Node, "lon"),
                Accuracy(x.Node) is var a && a >= 0 ? a : null, x.Time!.Value)).ToList();
        return new TrackFile(points, waypoints);
    }

    private static string? Child(XElement e, string name) => e.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;

    private static double Coord(XElement e, string attribute) =>
        double.Parse(e.Attribute(attribute)?.Value ?? throw new FormatException(), CultureInfo.InvariantCulture);

    private static DateTime? Time(XElement e) =>
        Child(e, "time") is { } t ? DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;

    private static double Accuracy(XElement e) =>
        Child(e, "hdop") is { } h ? double.Parse(h, CultureInfo.InvariantCulture) * 5 : UnknownAccuracy;

    private static TrackFile GeoJson(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var features = root.GetProperty("type").GetString() switch
        {
            "FeatureCollection" => root.GetProperty("features").EnumerateArray().ToList(),
            "Feature" => [root],
            _ => throw new FormatException(),
        };
        var points = new List<TrackPoint>();
        var waypoints = new List<TrackWaypoint>();
        foreach (var f in features)
        {
            var geometry = f.GetProperty("geometry");
            var props = f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            switch (geometry.GetProperty("type").GetString())
            {
                case "LineString":
                {
                    var coords = geometry.GetProperty("coordinates").EnumerateArray().ToList();
                    var times = props.ValueKind == JsonValueKind.Object && props.TryGetProperty("coordTimes", out var ct)
                        ? ct.EnumerateArray().Select(t => t.GetString()).ToList() : null;
                    for (var i = 0; i < coords.Count; i++)
                    {
                        var c = coords[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                        DateTime? when = times is not null && i < times.Count && times[i] is { } s
                            ? DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
                            : c.Length >= 4 ? DateTimeOffset.FromUnixTimeMilliseconds((long)c[3]).UtcDateTime : null;
                        if (when is not null) points.Add(new TrackPoint(c[1], c[0], UnknownAccuracy, when.Value));
                    }

                    break;
                }
                case "Point" when props.ValueKind == JsonValueKind.Object:
                {
                    var c = geometry.GetProperty("coordinates").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    var name = props.TryGetProperty("number", out var n) ? n.GetString() : props.TryGetProperty("name", out var m) ? m.GetString() : null;
                    var time = props.TryGetProperty("time", out var t) ? t.GetString() : null;
                    double? accuracy = props.TryGetProperty("accuracy", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : null;
                    if (name is not null && time is not null)
                        waypoints.Add(new TrackWaypoint(name.Trim(), c[1], c[0], accuracy,
                            DateTime.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)));
                    break;
                }
            }
        }

        return new TrackFile(points, waypoints);
    }
}
