using System.Text.Json;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;

namespace MineGuard.Tests.Platform.Geo;

public class GeoJsonTests
{
    private static readonly GeometryFactory Factory = GeoJson.Factory;

    [Fact]
    public void Songxian_ParsesToAValidAreaContainingTheCountyAfterConversion()
    {
        var gcj = GeoJson.ReadFirstGeometry(ReadBoundary("410325.json"));

        Assert.IsType<MultiPolygon>(gcj);
        Assert.True(gcj.IsValid);
        Assert.Equal(4326, gcj.SRID);

        var wgs = Gcj02.GeometryToWgs84(gcj);
        Assert.True(wgs.IsValid);

        // (112.04, 34.00) is next to the county's centroid, ~0.1° from the nearest border.
        Assert.True(wgs.Contains(Factory.CreatePoint(new Coordinate(112.04, 34.00))));

        // The file's "center" (the county seat, given in GCJ-02) falls inside once both are WGS84.
        var (seatLon, seatLat) = Gcj02.ToWgs84(112.087765, 34.131563);
        Assert.True(wgs.Contains(Factory.CreatePoint(new Coordinate(seatLon, seatLat))));

        Assert.False(wgs.Contains(Factory.CreatePoint(new Coordinate(113.5, 34.7)))); // 郑州
    }

    [Fact]
    public void Luoyang_ReadFeaturesYieldsOneFeaturePerCountyWithAdcode()
    {
        var features = GeoJson.ReadFeatures(ReadBoundary("410300.json")).ToList();

        var adcodes = features.Select(f => f.Properties.GetProperty("adcode").GetInt32()).ToList();
        Assert.Equal(15, features.Count);
        Assert.Equal(adcodes.Count, adcodes.Distinct().Count());
        Assert.Contains(410325, adcodes);
        Assert.All(adcodes, a => Assert.Equal(4103, a / 100));
        Assert.All(features, f => Assert.True(f.Geometry is Polygon or MultiPolygon && f.Geometry.IsValid));

        var songxian = features.Single(f => f.Properties.GetProperty("adcode").GetInt32() == 410325);
        Assert.Equal("嵩县", songxian.Properties.GetProperty("name").GetString());
    }

    [Fact]
    public void Luoyang_ReadFirstGeometryDissolvesCountiesIntoOneArea()
    {
        var city = GeoJson.ReadFirstGeometry(ReadBoundary("410300.json"));
        var songxian = GeoJson.ReadFirstGeometry(ReadBoundary("410325.json"));

        Assert.True(city is Polygon or MultiPolygon);
        Assert.True(city.IsValid);
        Assert.Equal(4326, city.SRID);
        Assert.True(city.Contains(songxian.InteriorPoint));
        Assert.True(city.Area > songxian.Area * 5);
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[112.5,34.25]}""", "Point", 1)]
    [InlineData("""{"type":"Point","coordinates":[112.5,34.25,300]}""", "Point", 1)]
    [InlineData("""{"type":"MultiPoint","coordinates":[[112,34],[113,35]]}""", "MultiPoint", 2)]
    [InlineData("""{"type":"LineString","coordinates":[[112,34],[113,35],[114,34]]}""", "LineString", 3)]
    [InlineData("""{"type":"MultiLineString","coordinates":[[[112,34],[113,35]],[[114,34],[115,35]]]}""", "MultiLineString", 4)]
    [InlineData("""{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}""", "MultiPolygon", 8)]
    [InlineData("""{"type":"MultiPolygon","coordinates":[]}""", "MultiPolygon", 0)]
    [InlineData("""{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[0,0],[1,1]]}]}]}""", "GeometryCollection", 3)]
    public void ReadGeometry_ReadsEveryGeometryType(string json, string expectedType, int expectedPoints)
    {
        var geometry = GeoJson.ReadGeometry(JsonDocument.Parse(json).RootElement);

        Assert.Equal(expectedType, geometry.GeometryType);
        Assert.Equal(expectedPoints, geometry.NumPoints);
        Assert.Equal(4326, geometry.SRID);
    }

    [Fact]
    public void ReadGeometry_PolygonWithHole()
    {
        const string json = """
            {"type":"Polygon","coordinates":[
              [[0,0],[10,0],[10,10],[0,10],[0,0]],
              [[2,2],[2,4],[4,4],[4,2],[2,2]]]}
            """;

        var polygon = Assert.IsType<Polygon>(GeoJson.ReadGeometry(JsonDocument.Parse(json).RootElement));

        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.Equal(96, polygon.Area, 9);
        Assert.False(polygon.Contains(Factory.CreatePoint(new Coordinate(3, 3))));
        Assert.True(polygon.Contains(Factory.CreatePoint(new Coordinate(5, 5))));
    }

    [Fact]
    public void ReadFirstGeometry_AcceptsFeatureAndMixedCollection()
    {
        var feature = """{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[112,34]}}""";
        Assert.IsType<Point>(GeoJson.ReadFirstGeometry(feature));

        var mixed = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[112,34]}},
              {"type":"Feature","properties":{},"geometry":null},
              {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[112,34],[113,35]]}}]}
            """;
        var collection = Assert.IsType<GeometryCollection>(GeoJson.ReadFirstGeometry(mixed));
        Assert.Equal(2, collection.NumGeometries);
    }

    [Fact]
    public void ReadFeatures_SkipsNullGeometryAndDefaultsMissingProperties()
    {
        var json = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[112,34]}},
              {"type":"Feature","properties":{"name":"无位置"},"geometry":null}]}
            """;

        var (properties, geometry) = Assert.Single(GeoJson.ReadFeatures(json));

        Assert.Equal(JsonValueKind.Object, properties.ValueKind);
        Assert.False(properties.TryGetProperty("name", out _));
        Assert.IsType<Point>(geometry);
    }

    [Fact]
    public void Write_IsCompactAndRoundsToSevenDecimals()
    {
        var polygon = Factory.CreatePolygon(
            Factory.CreateLinearRing([new(0, 0), new(112.123456789, 0), new(1, -0.00000001), new(0, 0)]),
            [Factory.CreateLinearRing([new(0.1, 0.01), new(0.2, 0.01), new(0.2, 0.02), new(0.1, 0.01)])]);

        Assert.Equal(
            """{"type":"Polygon","coordinates":[[[0,0],[112.1234568,0],[1,0],[0,0]],[[0.1,0.01],[0.2,0.01],[0.2,0.02],[0.1,0.01]]]}""",
            GeoJson.Write(polygon));
        Assert.Equal("""{"type":"Point","coordinates":[112.5,34.25]}""", GeoJson.Write(Factory.CreatePoint(new Coordinate(112.5, 34.25))));
        Assert.Equal(
            """{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}""",
            GeoJson.Write(Factory.CreateGeometryCollection([Factory.CreatePoint(new Coordinate(1, 2))])));
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[112.5,34.25]}""")]
    [InlineData("""{"type":"MultiPoint","coordinates":[[112,34],[113,35]]}""")]
    [InlineData("""{"type":"LineString","coordinates":[[112,34],[113,35.1234567]]}""")]
    [InlineData("""{"type":"MultiLineString","coordinates":[[[112,34],[113,35]],[[114,34],[115,35]]]}""")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]],[[2,1],[8,1],[8,7],[2,1]]]}""")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}""")]
    [InlineData("""{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}""")]
    public void WriteThenRead_RoundTrips(string json)
    {
        var geometry = GeoJson.ReadFirstGeometry(json);
        var written = GeoJson.Write(geometry);

        Assert.Equal(json, written);
        Assert.True(GeoJson.ReadFirstGeometry(written).EqualsExact(geometry));
    }

    [Fact]
    public void WriteThenRead_RoundTripsTheSongxianBoundary()
    {
        var songxian = GeoJson.ReadFirstGeometry(ReadBoundary("410325.json"));

        Assert.True(GeoJson.ReadFirstGeometry(GeoJson.Write(songxian)).EqualsExact(songxian));
    }

    [Fact]
    public void WriteFeature_KeepsPropertiesAndChineseText()
    {
        var point = Factory.CreatePoint(new Coordinate(112.04, 34.0));
        var json = GeoJson.WriteFeature(point, new Dictionary<string, object?>
        {
            ["adcode"] = 410325,
            ["name"] = "嵩县",
            ["note"] = null,
        });

        Assert.Equal(
            """{"type":"Feature","properties":{"adcode":410325,"name":"嵩县","note":null},"geometry":{"type":"Point","coordinates":[112.04,34]}}""",
            json);
        var (properties, geometry) = Assert.Single(GeoJson.ReadFeatures(json));
        Assert.Equal("嵩县", properties.GetProperty("name").GetString());
        Assert.True(geometry.EqualsExact(point));
    }

    [Theory]
    [InlineData("", "内容为空")]
    [InlineData("{\"type\":", "不是有效的 JSON")]
    [InlineData("[]", "应为 JSON 对象")]
    [InlineData("""{"coordinates":[1,2]}""", "缺少 type")]
    [InlineData("""{"type":"Point"}""", "缺少 coordinates")]
    [InlineData("""{"type":"Circle","coordinates":[1,2]}""", "不支持的几何类型")]
    [InlineData("""{"type":"Point","coordinates":[1]}""", "坐标点必须是")]
    [InlineData("""{"type":"Point","coordinates":["112","34"]}""", "坐标点必须是")]
    [InlineData("""{"type":"Point","coordinates":[34.1,112.0]}""", "超出经纬度范围")]
    [InlineData("""{"type":"LineString","coordinates":[[1,2]]}""", "至少需要 2 个")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""", "未闭合")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}""", "至少需要 4 个")]
    [InlineData("""{"type":"Polygon","coordinates":[]}""", "缺少外环")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}""", "坐标点必须是")]
    [InlineData("""{"type":"MultiLineString","coordinates":[1,2]}""", "嵌套层级")]
    [InlineData("""{"type":"GeometryCollection"}""", "缺少 geometries")]
    [InlineData("""{"type":"FeatureCollection"}""", "缺少 features")]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", "没有带几何的要素")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}""", "只能包含 Feature")]
    [InlineData("""{"type":"Feature","properties":{}}""", "要素缺少 geometry")]
    public void MalformedInput_ThrowsFormatExceptionInChinese(string json, string expectedDetail)
    {
        var ex = Assert.Throws<FormatException>(() => GeoJson.ReadFirstGeometry(json));

        Assert.StartsWith("GeoJSON 格式错误：", ex.Message);
        Assert.Contains(expectedDetail, ex.Message);
    }

    [Fact]
    public void ReadFeatures_RejectsBareGeometry()
    {
        var ex = Assert.Throws<FormatException>(() => GeoJson.ReadFeatures("""{"type":"Point","coordinates":[1,2]}""").ToList());

        Assert.Contains("应为 Feature 或 FeatureCollection", ex.Message);
    }

    // Prefer the copy shipped inside the repository; fall back to the shared data folder next to it.
    private static string ReadBoundary(string fileName)
    {
        var root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(SourceDirectory())
            ?? throw new InvalidOperationException("Repository root (MineGuard.slnx or .git) not found.");
        var candidates = new[]
        {
            Path.Combine(root, "src", "MineGuard", "Platform", "Jurisdiction", "Data", "boundaries"),
            Path.Combine(root, "..", "shared", "data", "boundaries"),
        };
        var directory = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, fileName)))
            ?? throw new FileNotFoundException($"Boundary file not found under {string.Join(" or ", candidates)}", fileName);
        return File.ReadAllText(Path.Combine(directory, fileName));
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MineGuard.slnx")) || Directory.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    // The test binaries may be built outside the repository (e.g. a scratch build), so also walk up
    // from where this source file lives.
    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path) ?? ".";
}
