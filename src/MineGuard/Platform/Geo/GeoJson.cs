using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace MineGuard.Platform.Geo;

/// <summary>
/// Hand-rolled GeoJSON (RFC 7946) reading and writing. NetTopologySuite.IO.GeoJSON is not available
/// to us, and we only need geometries, features and feature collections, so System.Text.Json suffices.
/// Coordinates are taken as they come: no datum is implied (boundary files are GCJ-02, see <see cref="Gcj02"/>).
/// </summary>
public static class GeoJson
{
    /// <summary>Shared factory: SRID 4326 tags geometries as lon/lat degrees, whatever the datum.</summary>
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    // 7 decimals is ~1 cm, finer than any source we have, and keeps payloads small.
    private const int Decimals = 7;

    // Keep Chinese property values readable in the output while still escaping HTML-sensitive characters.
    private static readonly JsonSerializerOptions PropertyOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = PropertyOptions.Encoder };

    public static Geometry ReadGeometry(JsonElement geometryObject)
    {
        var type = ReadType(geometryObject);
        if (type == "GeometryCollection")
        {
            return Factory.CreateGeometryCollection(
                RequiredArray(geometryObject, "geometries").EnumerateArray().Select(ReadGeometry).ToArray());
        }

        var c = RequiredArray(geometryObject, "coordinates");
        return type switch
        {
            "Point" => Factory.CreatePoint(ReadPosition(c)),
            "MultiPoint" => Factory.CreateMultiPoint(Items(c).Select(p => Factory.CreatePoint(ReadPosition(p))).ToArray()),
            "LineString" => ReadLineString(c),
            "MultiLineString" => Factory.CreateMultiLineString(Items(c).Select(ReadLineString).ToArray()),
            "Polygon" => ReadPolygon(c),
            "MultiPolygon" => Factory.CreateMultiPolygon(Items(c).Select(ReadPolygon).ToArray()),
            _ => throw Error($"不支持的几何类型 \"{type}\""),
        };
    }

    /// <summary>
    /// Accepts a bare geometry, a Feature or a FeatureCollection. Several polygonal features are
    /// dissolved into one area (a city made of its counties); anything else becomes a GeometryCollection.
    /// </summary>
    public static Geometry ReadFirstGeometry(string json)
    {
        var root = Parse(json);
        var type = ReadType(root);
        if (type is not ("Feature" or "FeatureCollection"))
        {
            return ReadGeometry(root);
        }

        var geometries = ReadFeatures(root).Select(f => f.Geometry).ToList();
        if (geometries.Count == 0)
        {
            throw Error(type == "Feature" ? "要素缺少 geometry" : "FeatureCollection 中没有带几何的要素");
        }

        if (geometries.Count == 1)
        {
            return geometries[0];
        }

        if (geometries.All(g => g is Polygon or MultiPolygon))
        {
            var union = UnaryUnionOp.Union(geometries);
            union.SRID = Factory.SRID;
            return union;
        }

        return Factory.BuildGeometry(geometries);
    }

    /// <summary>
    /// Features of a FeatureCollection (or a single Feature) with their properties. Features whose
    /// geometry is null are legal GeoJSON ("unlocated") and are skipped; missing or null properties
    /// come back as an empty object so callers can always use TryGetProperty.
    /// </summary>
    public static IEnumerable<(JsonElement Properties, Geometry Geometry)> ReadFeatures(string json) =>
        ReadFeatures(Parse(json));

    /// <summary>Compact GeoJSON geometry, coordinates rounded to 7 decimals; Z and M are dropped.</summary>
    public static string Write(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return WriteJson(w => WriteGeometry(w, g));
    }

    /// <summary>A single Feature; property values go through System.Text.Json (JsonElement values included).</summary>
    public static string WriteFeature(Geometry g, IDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(properties);
        return WriteJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WritePropertyName("properties");
            JsonSerializer.Serialize(w, properties, PropertyOptions);
            w.WritePropertyName("geometry");
            WriteGeometry(w, g);
            w.WriteEndObject();
        });
    }

    private static List<(JsonElement Properties, Geometry Geometry)> ReadFeatures(JsonElement root)
    {
        var type = ReadType(root);
        if (type == "Feature")
        {
            return ReadFeature(root) is { } single ? [single] : [];
        }

        var features = type == "FeatureCollection"
            ? RequiredArray(root, "features")
            : throw Error($"应为 Feature 或 FeatureCollection，实际为 \"{type}\"");
        return features.EnumerateArray()
            .Select(f => ReadType(f) == "Feature" ? ReadFeature(f) : throw Error("features 中只能包含 Feature"))
            .OfType<(JsonElement, Geometry)>()
            .ToList();
    }

    private static (JsonElement Properties, Geometry Geometry)? ReadFeature(JsonElement feature)
    {
        if (!feature.TryGetProperty("geometry", out var geometry))
        {
            throw Error("要素缺少 geometry");
        }

        if (geometry.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p
            : JsonSerializer.Deserialize<JsonElement>("{}");
        return (properties, ReadGeometry(geometry));
    }

    // Deserialize (rather than JsonDocument.Parse) so the returned elements own their data and
    // stay valid after this method returns; nothing needs disposing.
    private static JsonElement Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw Error("内容为空");
        }

        try
        {
            return JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"GeoJSON 格式错误：不是有效的 JSON（第 {(ex.LineNumber ?? 0) + 1} 行附近）", ex);
        }
    }

    private static string ReadType(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Error("应为 JSON 对象");
        }

        return obj.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : throw Error("缺少 type");
    }

    private static JsonElement RequiredArray(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value : throw Error($"缺少 {name}");

    private static IEnumerable<JsonElement> Items(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : throw Error("coordinates 嵌套层级不正确");

    private static Coordinate ReadPosition(JsonElement position)
    {
        // Altitude (a third number) is allowed by the spec but ignored: everything we do is planar.
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
            || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
        {
            throw Error("坐标点必须是 [经度, 纬度] 数组");
        }

        var lon = position[0].GetDouble();
        var lat = position[1].GetDouble();

        // Catches the classic [lat, lon] swap as well as projected (metre) coordinates.
        if (lon is < -180 or > 180 || lat is < -90 or > 90)
        {
            throw Error(string.Create(CultureInfo.InvariantCulture, $"坐标 [{lon}, {lat}] 超出经纬度范围（应为 [经度, 纬度]）"));
        }

        return new Coordinate(lon, lat);
    }

    private static LineString ReadLineString(JsonElement positions)
    {
        var coordinates = Items(positions).Select(ReadPosition).ToArray();
        return coordinates.Length >= 2 ? Factory.CreateLineString(coordinates) : throw Error("线至少需要 2 个坐标点");
    }

    private static Polygon ReadPolygon(JsonElement rings)
    {
        var linearRings = Items(rings).Select(ReadRing).ToArray();
        return linearRings.Length > 0
            ? Factory.CreatePolygon(linearRings[0], linearRings[1..])
            : throw Error("多边形缺少外环");
    }

    private static LinearRing ReadRing(JsonElement positions)
    {
        var coordinates = Items(positions).Select(ReadPosition).ToArray();
        if (coordinates.Length < 4)
        {
            throw Error("多边形的环至少需要 4 个坐标点");
        }

        // RFC 7946 requires closed rings; silently closing one could hide a truncated file.
        return coordinates[0].Equals2D(coordinates[^1])
            ? Factory.CreateLinearRing(coordinates)
            : throw Error("多边形的环未闭合（首尾坐标不同）");
    }

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteGeometry(Utf8JsonWriter w, Geometry g)
    {
        w.WriteStartObject();

        // A bare LinearRing has no GeoJSON type of its own; there it is a closed LineString.
        w.WriteString("type", g is LinearRing ? "LineString" : g.GeometryType);
        if (g is GeometryCollection collection and not (MultiPoint or MultiLineString or MultiPolygon))
        {
            w.WriteStartArray("geometries");
            foreach (var member in collection.Geometries)
            {
                WriteGeometry(w, member);
            }

            w.WriteEndArray();
        }
        else
        {
            w.WritePropertyName("coordinates");
            WriteCoordinates(w, g);
        }

        w.WriteEndObject();
    }

    private static void WriteCoordinates(Utf8JsonWriter w, Geometry g)
    {
        if (g is Point { IsEmpty: false } point)
        {
            WritePosition(w, point.Coordinate);
            return;
        }

        // Everything else (and an empty point, which GeoJSON spells []) is an array of its parts.
        w.WriteStartArray();
        switch (g)
        {
            case LineString line:
                foreach (var c in line.Coordinates)
                {
                    WritePosition(w, c);
                }

                break;
            case Polygon { IsEmpty: false } polygon:
                foreach (var ring in polygon.InteriorRings.Prepend(polygon.ExteriorRing))
                {
                    WriteCoordinates(w, ring);
                }

                break;
            case GeometryCollection multi:
                foreach (var member in multi.Geometries)
                {
                    WriteCoordinates(w, member);
                }

                break;
        }

        w.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter w, Coordinate c)
    {
        w.WriteStartArray();
        w.WriteNumberValue(Round(c.X));
        w.WriteNumberValue(Round(c.Y));
        w.WriteEndArray();
    }

    // Adding 0.0 turns a rounded -0 into 0 so tiny negatives do not print as "-0".
    private static double Round(double value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero) + 0.0;

    private static FormatException Error(string detail) => new($"GeoJSON 格式错误：{detail}");
}
