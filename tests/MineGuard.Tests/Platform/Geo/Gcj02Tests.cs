using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;

namespace MineGuard.Tests.Platform.Geo;

public class Gcj02Tests
{
    // Published vectors from googollee/eviltransform, go/transform_test.go (the same triples appear in
    // its python/test.py and php tests). Order there is wgsLat, wgsLng, gcjLat, gcjLng; the Go test
    // compares the forward result formatted with "%.5f", i.e. to 5 decimal places.
    [Theory]
    [InlineData(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)] // Shanghai (googollee/eviltransform)
    [InlineData(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)] // Shenzhen (googollee/eviltransform)
    [InlineData(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)] // Beijing (googollee/eviltransform)
    public void FromWgs84_MatchesEviltransformVectors(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var (lon, lat) = Gcj02.FromWgs84(wgsLon, wgsLat);

        Assert.Equal(gcjLon, lon, 1e-5);
        Assert.Equal(gcjLat, lat, 1e-5);
    }

    // Same vectors backwards. eviltransform's GCJtoWGSExact only promises 0.5 m; our iteration is
    // meant to be far tighter, so assert 1e-7 degrees (about 1 cm).
    [Theory]
    [InlineData(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)] // Shanghai (googollee/eviltransform)
    [InlineData(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)] // Shenzhen (googollee/eviltransform)
    [InlineData(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)] // Beijing (googollee/eviltransform)
    public void ToWgs84_InvertsEviltransformVectors(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var (lon, lat) = Gcj02.ToWgs84(gcjLon, gcjLat);

        Assert.InRange(Math.Abs(lon - wgsLon), 0, 1e-7);
        Assert.InRange(Math.Abs(lat - wgsLat), 0, 1e-7);
    }

    [Fact]
    public void FromWgs84_MatchesCoordtransformTiananmenVector()
    {
        // wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915) printed in full precision.
        var (lon, lat) = Gcj02.FromWgs84(116.404, 39.915);

        Assert.InRange(Math.Abs(lon - 116.41024449916938), 0, 1e-9);
        Assert.InRange(Math.Abs(lat - 39.91640428150164), 0, 1e-9);
    }

    [Fact]
    public void MatchesGcoordUnitVectors()
    {
        // hujiulong/gcoord, test/unit/crs/WGS84.spec.ts and GCJ02.spec.ts: toBeCloseTo(x, 5) means |d| < 5e-6.
        var (gLon, gLat) = Gcj02.FromWgs84(123, 45);
        Assert.InRange(Math.Abs(gLon - 123.00607541), 0, 5e-6);
        Assert.InRange(Math.Abs(gLat - 45.00197815), 0, 5e-6);

        var (wLon, wLat) = Gcj02.ToWgs84(123, 45);
        Assert.InRange(Math.Abs(wLon - 122.99395597), 0, 5e-6);
        Assert.InRange(Math.Abs(wLat - 44.99804071), 0, 5e-6);
    }

    // hujiulong/gcoord, test/fixtures/china-cities.json: Henan cities with WGS84 and GCJ02 from the
    // map provider, rounded to 7 decimals. gcoord checks them with toBeCloseTo(x, 4), i.e. |d| < 5e-5.
    [Theory]
    [InlineData(113.6192856, 34.7478004, 113.6253334, 34.7466173)] // 郑州市中原区 (hujiulong/gcoord)
    [InlineData(114.0164322, 33.0133556, 114.022306, 33.0115324)] // 驻马店市驿城区 (hujiulong/gcoord)
    public void MatchesGcoordHenanCities(double wgsLon, double wgsLat, double gcjLon, double gcjLat)
    {
        var (lon, lat) = Gcj02.FromWgs84(wgsLon, wgsLat);
        Assert.InRange(Math.Abs(lon - gcjLon), 0, 5e-5);
        Assert.InRange(Math.Abs(lat - gcjLat), 0, 5e-5);

        var (backLon, backLat) = Gcj02.ToWgs84(gcjLon, gcjLat);
        Assert.InRange(Math.Abs(backLon - wgsLon), 0, 5e-5);
        Assert.InRange(Math.Abs(backLat - wgsLat), 0, 5e-5);
    }

    [Theory]
    [InlineData(112.0, 34.1)] // 嵩县
    [InlineData(116.391, 39.907)] // 北京
    [InlineData(87.617, 43.826)] // 乌鲁木齐
    [InlineData(91.117, 29.647)] // 拉萨
    [InlineData(109.512, 18.252)] // 三亚
    [InlineData(126.535, 45.803)] // 哈尔滨
    [InlineData(75.99, 39.47)] // 喀什
    [InlineData(122.53, 52.97)] // 漠河
    [InlineData(109.97, 27.55)] // 怀化
    public void RoundTrip_IsAccurateToAFewMillimetres(double lon, double lat)
    {
        var gcj = Gcj02.FromWgs84(lon, lat);
        var wgs = Gcj02.ToWgs84(gcj.Lon, gcj.Lat);

        // The shift is real (hundreds of metres) and the round trip removes it completely.
        Assert.True(Math.Abs(gcj.Lon - lon) + Math.Abs(gcj.Lat - lat) > 1e-3);
        Assert.InRange(Math.Abs(wgs.Lon - lon), 0, 1e-7);
        Assert.InRange(Math.Abs(wgs.Lat - lat), 0, 1e-7);

        var again = Gcj02.FromWgs84(wgs.Lon, wgs.Lat);
        Assert.InRange(Math.Abs(again.Lon - gcj.Lon), 0, 1e-8);
        Assert.InRange(Math.Abs(again.Lat - gcj.Lat), 0, 1e-8);
    }

    [Theory]
    [InlineData(-0.1276, 51.5072)] // London
    [InlineData(139.69, 35.69)] // Tokyo: east of the box
    [InlineData(151.21, -33.87)] // Sydney
    [InlineData(0, 0)]
    [InlineData(183, 45)] // gcoord's "not in China" case (hujiulong/gcoord)
    public void OutsideChina_IsLeftUnchanged(double lon, double lat)
    {
        Assert.True(Gcj02.IsOutsideChina(lon, lat));
        Assert.Equal((lon, lat), Gcj02.FromWgs84(lon, lat));
        Assert.Equal((lon, lat), Gcj02.ToWgs84(lon, lat));
    }

    [Theory]
    [InlineData(72.003, 30, true)]
    [InlineData(72.005, 30, false)]
    [InlineData(137.8346, 30, false)]
    [InlineData(137.8348, 30, true)]
    [InlineData(100, 0.8292, true)]
    [InlineData(100, 55.8272, true)]
    [InlineData(112.0, 34.1, false)]
    public void IsOutsideChina_UsesTheStandardBox(double lon, double lat, bool expected)
    {
        Assert.Equal(expected, Gcj02.IsOutsideChina(lon, lat));
    }

    [Fact]
    public void GeometryToWgs84_ConvertsEveryCoordinateOfACopy()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var shell = new[]
        {
            new Coordinate(112.0, 34.0), new Coordinate(112.2, 34.0), new Coordinate(112.2, 34.2),
            new Coordinate(112.0, 34.2), new Coordinate(112.0, 34.0),
        };
        var hole = new[]
        {
            new Coordinate(112.05, 34.05), new Coordinate(112.05, 34.1), new Coordinate(112.1, 34.1),
            new Coordinate(112.05, 34.05),
        };
        var polygon = factory.CreatePolygon(factory.CreateLinearRing(shell), [factory.CreateLinearRing(hole)]);
        var collection = factory.CreateGeometryCollection([polygon, factory.CreatePoint(new Coordinate(112.1, 34.15))]);
        var original = collection.Copy();

        var wgs = Gcj02.GeometryToWgs84(collection);

        Assert.True(collection.EqualsExact(original), "input must not be modified");
        Assert.Equal(4326, wgs.SRID);
        Assert.Equal(collection.NumPoints, wgs.NumPoints);
        Assert.True(wgs.IsValid);
        var before = collection.Coordinates;
        var after = wgs.Coordinates;
        for (var i = 0; i < before.Length; i++)
        {
            var expected = Gcj02.ToWgs84(before[i].X, before[i].Y);
            Assert.Equal(expected.Lon, after[i].X);
            Assert.Equal(expected.Lat, after[i].Y);
        }

        var back = Gcj02.GeometryToGcj02(wgs);
        Assert.True(back.EqualsExact(collection, 1e-8));
    }

    [Theory]
    [InlineData("", true, false)]
    [InlineData("WGS84", true, false)]
    [InlineData("wgs-84坐标系", true, false)]
    [InlineData("CGCS2000", true, false)]
    [InlineData("国家2000坐标系", true, false)]
    [InlineData("GPS", true, false)]
    [InlineData("GCJ-02", true, true)]
    [InlineData("ＧＣＪ０２", true, true)]
    [InlineData("gcj_02 坐标", true, true)]
    [InlineData("高德坐标", true, true)]
    [InlineData("腾讯地图", true, true)]
    [InlineData("火星坐标系", true, true)]
    [InlineData("北京54", false, false)]
    [InlineData("西安80坐标系", false, false)]
    [InlineData("坐标系", false, false)]
    public void Coordinate_systems_are_read_as_offices_write_them(string text, bool known, bool gcj02)
    {
        Assert.Equal(known, Gcj02.TryParseCrs(text, out var isGcj02));
        Assert.Equal(gcj02, isGcj02);
    }
}
