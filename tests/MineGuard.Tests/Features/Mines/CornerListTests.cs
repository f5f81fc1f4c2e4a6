using MineGuard.Features.Mines;

namespace MineGuard.Tests.Features.Mines;

/// <summary>拐点坐标 as licences and ledgers list them: the text people paste into the boundary field.</summary>
public sealed class CornerListTests
{
    private const double Lon = 112 + 2 / 60.0 + 4.2 / 3600; // 112°02′04.2″
    private const double Lat = 34 + 5 / 60.0; // 34°05′00″

    private static (double Lon, double Lat) Single(string text)
    {
        Assert.True(CornerList.TryParse(text, out var rings, out var error), error);
        var point = Assert.Single(Assert.Single(rings));
        return (point.X, point.Y);
    }

    [Theory]
    [InlineData("112.035, 34.0833333", 112.035, 34.0833333)]
    [InlineData("112.035 34.0833333", 112.035, 34.0833333)]
    [InlineData("112.035，34.0833333", 112.035, 34.0833333)] // full-width comma from a Chinese input method
    [InlineData("１１２.035　34.0833333", 112.035, 34.0833333)] // full-width digits and ideographic space
    [InlineData("1 112.035 34.0833333", 112.035, 34.0833333)] // 序号 first
    [InlineData("J3, 112.035, 34.0833333", 112.035, 34.0833333)]
    [InlineData("A 112.035 34.0833333", 112.035, 34.0833333)]
    [InlineData("拐点1 112.035 34.0833333", 112.035, 34.0833333)]
    [InlineData("1 34.0833333 112.035", 112.035, 34.0833333)] // 序号 X Y: north first, as licences list it
    [InlineData("34.0833333, 112.035", 112.035, 34.0833333)]
    [InlineData("经度：112.035 纬度：34.0833333", 112.035, 34.0833333)]
    public void Reads_decimal_degrees_in_either_order_with_or_without_a_point_number(string line, double lon, double lat)
    {
        var (x, y) = Single(line);
        Assert.Equal(lon, x, 9);
        Assert.Equal(lat, y, 9);
    }

    [Theory]
    [InlineData("112°02′04.2″, 34°05′00″")]
    [InlineData("112°02′04.2″ 34°05′00″")]
    [InlineData("112° 02′ 04.2″ 34° 05′ 00″")] // spaces inside each value
    [InlineData("1 112度02分04.2秒 34度05分00秒")]
    [InlineData("E112°02'04.2\" N34°05'00\"")]
    [InlineData("112°02′04.2″ E 34°05′00″ N")]
    [InlineData("东经112°02′04.2″ 北纬34°05′")]
    [InlineData("1 34°05′00″ 112°02′04.2″")]
    [InlineData("112 02 04.2 34 05 00")] // six numbers: two degree-minute-second triples
    [InlineData("7 112 02 04.2 34 05 00")]
    public void Reads_degrees_minutes_seconds(string line)
    {
        var (x, y) = Single(line);
        Assert.Equal(Lon, x, 9);
        Assert.Equal(Lat, y, 9);
    }

    [Fact]
    public void Blank_lines_and_star_lines_separate_rings_and_headings_are_skipped()
    {
        const string text = """
            拐点坐标（2000国家大地坐标系）
            序号 经度 纬度
            1, 112.05, 34.05
            2, 112.06, 34.05
            3, 112.06, 34.06
            4, 112.05, 34.06
            1, 112.05, 34.05
            *,800,500,,1

            5 112.08 34.08
            6 112.09 34.08
            7 112.09 34.09
            """;
        Assert.True(CornerList.TryParse(text, out var rings, out var error), error);
        Assert.Equal(2, rings.Count);
        Assert.Equal(4, rings[0].Length); // the repeated first corner is dropped; the ring is closed later
        Assert.Equal(3, rings[1].Length);
    }

    [Theory]
    [InlineData("1 3765432.12 38456789.01")]
    [InlineData("3765432.12, 38456789.01")]
    [InlineData("J1 X=3765432.12 Y=38456789.01")]
    public void Projected_coordinates_are_refused_with_what_to_do(string line)
    {
        Assert.False(CornerList.TryParse(line, out _, out var error));
        Assert.Contains("投影坐标", error, StringComparison.Ordinal);
        Assert.Contains("请先换算为经纬度", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("112.05, 34.05\n112.06; 95.1", "第 2 行")]
    [InlineData("112.05, 34.05\n112.06 34.05 34.06 1", "第 2 行")]
    [InlineData("10.5, 20.5", "不是中国境内的经纬度")]
    [InlineData("112°75′, 34°05′", "分或秒超出范围")]
    [InlineData("   \n *", "没有找到拐点坐标")]
    public void Bad_lines_are_named(string text, string expected)
    {
        Assert.False(CornerList.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
