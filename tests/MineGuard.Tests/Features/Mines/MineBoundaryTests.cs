using MineGuard.Features.Mines;
using NetTopologySuite.Geometries;

namespace MineGuard.Tests.Features.Mines;

/// <summary>What makes a licence boundary acceptable: one valid area of plausible size, however it was typed.</summary>
public sealed class MineBoundaryTests
{
    [Fact]
    public void A_bow_tie_is_refused_but_a_spike_is_mended()
    {
        // The two halves of a bow-tie cancel out; Buffer(0) would keep only one, so it is not a repair.
        Assert.False(MineBoundary.TryRead("112.05 34.05\n112.06 34.06\n112.06 34.05\n112.05 34.06", false, out _, out var error));
        Assert.Contains("不是有效的多边形", error, StringComparison.Ordinal);
        Assert.Contains("自相交", error, StringComparison.Ordinal);

        // A spike out and back along one line encloses nothing: mending it keeps the area.
        const string spike = """{"type":"Polygon","coordinates":[[[112.05,34.05],[112.06,34.05],[112.06,34.06],[112.055,34.06],[112.055,34.07],[112.055,34.06],[112.05,34.06],[112.05,34.05]]]}""";
        Assert.True(MineBoundary.TryRead(spike, false, out var mended, out error), error);
        Assert.True(mended.IsValid);
        Assert.Equal(0.0001, mended.Area, 9);
    }

    [Theory]
    [InlineData("112.05 34.05\n112.0501 34.05\n112.0501 34.0501", "面积过小")]
    [InlineData("112.0 34.0\n112.3 34.0\n112.3 34.3\n112.0 34.3", "面积过大")]
    [InlineData("112.05 34.05\n112.06 34.05\n112.05 34.05", "至少需要 3 个不同的点")]
    [InlineData("""{"type":"Point","coordinates":[112.05,34.05]}""", "应为 Polygon 或 MultiPolygon")]
    [InlineData("""{"type":"Polygon","coordinates":[[[112.05,34.05],[112.06,34.05],[112.05,34.05],[112.05,34.05]]]}""", "至少需要 3 个不同的点")]
    [InlineData("{\"type\":", "不是有效的 JSON")]
    public void Implausible_boundaries_are_refused(string text, string expected)
    {
        Assert.False(MineBoundary.TryRead(text, false, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_inside_another_is_an_excluded_area()
    {
        const string text = "112.05 34.05\n112.07 34.05\n112.07 34.07\n112.05 34.07\n\n112.055 34.055\n112.06 34.055\n112.06 34.06\n112.055 34.06";
        Assert.True(MineBoundary.TryRead(text, false, out var g, out var error), error);
        var polygon = Assert.IsType<Polygon>(g);
        Assert.Equal(1, polygon.NumInteriorRings);
    }

    [Fact]
    public void Gcj02_input_is_moved_to_wgs84()
    {
        Assert.True(MineBoundary.TryRead("112.08 34.08\n112.09 34.08\n112.09 34.09", true, out var g, out var error), error);
        var (lon, lat) = MineGuard.Platform.Geo.Gcj02.ToWgs84(112.08, 34.08);
        Assert.Equal(lon, g.Coordinates[0].X, 9);
        Assert.Equal(lat, g.Coordinates[0].Y, 9);
    }
}
