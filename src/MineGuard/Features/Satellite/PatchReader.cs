using System.Globalization;
using System.Text.Json;
using MineGuard.Features.Mines;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Valid;

namespace MineGuard.Features.Satellite;

/// <summary>One feature of a batch that was read and checked, or the reason it was refused (by its index in the file).</summary>
public sealed record ReadPatch(int Index, string Key, string ChangeType, string? Before, string? After, Geometry Shape, string County, double AreaM2);

/// <summary>A refused feature: <see cref="Reason"/> names it for a file's reader, <see cref="Problem"/> is the bare reason.</summary>
public sealed record PatchRejection(int Index, string? PatchId, string Reason, string Problem);

/// <summary>
/// Reads a batch's FeatureCollection feature by feature: a bad feature is refused with a Chinese reason naming its index,
/// the rest are kept. Checks, in order: properties, coordinate order (China: lon 73–135, lat 18–54, so a [lat, lon] swap is
/// recognisable), a GCJ-02 tag on a feature of a batch that did not declare GCJ-02, the polygon itself (self-intersection),
/// and the county it lies in (inside the batch's province).
/// </summary>
public static class PatchReader
{
    public const int MaxKey = 100;

    public static (List<ReadPatch> Patches, List<PatchRejection> Rejected) Read(JsonElement collection, bool gcj02,
        IReadOnlyList<(string Code, IPreparedGeometry Outline)> counties, string provinceName)
    {
        var patches = new List<ReadPatch>();
        var rejected = new List<PatchRejection>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var feature in collection.GetProperty("features").EnumerateArray())
        {
            var index = i++;
            var key = Text(feature, "id", "patchId", "图斑编号");
            var error = ReadOne(feature, key, gcj02, counties, provinceName, out var patch);
            if (error is null && !keys.Add(key!)) error = $"图斑编号“{key}”在本批次中重复";
            if (error is null) patches.Add(patch! with { Index = index });
            else rejected.Add(Refuse(index, key, error));
        }
        return (patches, rejected);
    }

    public static PatchRejection Refuse(int index, string? key, string problem) =>
        new(index, key, $"第 {index + 1} 个图斑（features[{index}]{(key is null ? "" : "，编号 " + key)}）：{problem}", problem);

    private static string? ReadOne(JsonElement feature, string? key, bool gcj02, IReadOnlyList<(string Code, IPreparedGeometry Outline)> counties,
        string provinceName, out ReadPatch? patch)
    {
        patch = null;
        if (feature.ValueKind != JsonValueKind.Object) return "应为 GeoJSON Feature 对象";
        if (key is null) return "缺少图斑编号（properties.id）";
        if (key.Length > MaxKey) return $"图斑编号不能超过 {MaxKey} 个字符";
        var changeType = Text(feature, "changeType", "变化类型") ?? "";
        if (changeType.Length == 0) return "缺少变化类型（properties.changeType）";
        if (changeType.Length > 40) return "变化类型不能超过 40 个字符";
        var before = Text(feature, "beforeImage", "前时相影像");
        var after = Text(feature, "afterImage", "后时相影像");
        if (before is { Length: > 500 } || after is { Length: > 500 }) return "影像编号不能超过 500 个字符";
        if (!gcj02 && Text(feature, "crs", "坐标系") is { } crs && Gcj02.TryParseCrs(crs, out var tagged) && tagged)
            return "图斑标注为 GCJ-02 坐标，但批次未声明坐标系为 GCJ-02（请在批次上声明 crs: gcj02 后重新导入）";
        if (!feature.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object) return "缺少 geometry";
        foreach (var (lon, lat) in Positions(g))
        {
            if (InChina(lon, lat)) continue;
            return InChina(lat, lon)
                ? Say($"坐标顺序颠倒：[{lon}, {lat}] 像是 [纬度, 经度]，GeoJSON 应为 [经度, 纬度]")
                : Say($"坐标 [{lon}, {lat}] 不在中国境内（经度 73–135，纬度 18–54）");
        }
        Geometry shape;
        try
        {
            shape = GeoJson.ReadGeometry(g);
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
        if (shape is not (Polygon or MultiPolygon)) return $"几何应为 Polygon 或 MultiPolygon（实际为 {shape.GeometryType}）";
        if (gcj02) shape = Gcj02.GeometryToWgs84(shape);
        var invalid = new IsValidOp(shape).ValidationError;
        if (invalid is not null)
            return invalid.ErrorType is TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection
                ? Say($"多边形自相交（约在 [{invalid.Coordinate.X:0.######}, {invalid.Coordinate.Y:0.######}]）")
                : Say($"多边形无效（{invalid.Message}，约在 [{invalid.Coordinate?.X:0.######}, {invalid.Coordinate?.Y:0.######}]）");
        var inside = shape.InteriorPoint;
        var county = counties.FirstOrDefault(c => c.Outline.Covers(inside)).Code;
        if (county is null) return $"图斑不在本批次所属省份（{provinceName}）境内";
        var area = MineBoundary.AreaM2(shape);
        if (Number(feature, "area", "面积") is { } given)
        {
            if (given is < 0 or > 1e9) return "面积（平方米）超出合理范围";
            area = given;
        }
        patch = new ReadPatch(0, key, changeType, before, after, shape, county, area);
        return null;
    }

    private static string Say(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static bool InChina(double lon, double lat) => lon is >= 73 and <= 135 && lat is >= 18 and <= 54;

    private static string? Text(JsonElement feature, params string[] names)
    {
        if (feature.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in names)
        {
            if (name == "id" && feature.TryGetProperty("id", out var fid) && fid.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                return fid.ToString().Trim() is { Length: > 0 } f ? f : null;
            if (feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v)
                && v.ValueKind is JsonValueKind.String or JsonValueKind.Number && v.ToString().Trim() is { Length: > 0 } t)
                return t;
        }
        return null;
    }

    private static double? Number(JsonElement feature, params string[] names) =>
        feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? names.Select(n => p.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).FirstOrDefault(v => v is not null)
            : null;

    /// <summary>Every [x, y] position under a geometry's coordinates, whatever the nesting.</summary>
    private static IEnumerable<(double Lon, double Lat)> Positions(JsonElement geometry)
    {
        if (!geometry.TryGetProperty("coordinates", out var c)) yield break;
        var stack = new Stack<JsonElement>([c]);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind != JsonValueKind.Array) continue;
            if (e.GetArrayLength() >= 2 && e[0].ValueKind == JsonValueKind.Number && e[1].ValueKind == JsonValueKind.Number)
            {
                yield return (e[0].GetDouble(), e[1].GetDouble());
                continue;
            }
            foreach (var child in e.EnumerateArray()) stack.Push(child);
        }
    }
}
