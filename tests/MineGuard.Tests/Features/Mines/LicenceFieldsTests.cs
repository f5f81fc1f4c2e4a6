using MineGuard.Features.Adits;
using MineGuard.Features.Mines;
using NetTopologySuite.Geometries;

namespace MineGuard.Tests.Features.Mines;

public sealed class LicenceFieldsTests
{
    [Theory]
    [InlineData("2024-01-31")]
    [InlineData("2024/1/31")]
    [InlineData("2024.01.31")]
    [InlineData("2024年1月31日")]
    [InlineData(" 2024年01月31日 ")]
    [InlineData("２０２４年１月３１日")]
    [InlineData("20240131")]
    [InlineData("2024-01-31 00:00:00")]
    public void Dates_are_read_in_the_usual_chinese_spellings(string text)
    {
        Assert.True(LicenceFields.TryParseDate(text, out var date, out var error), error);
        Assert.Equal(new DateOnly(2024, 1, 31), date);
    }

    [Theory]
    [InlineData("2024-02-30", "日期不存在")]
    [InlineData("31/01/2024", "日期格式应为")]
    [InlineData("明年", "日期格式应为")]
    [InlineData("2024-13-01", "日期不存在")]
    public void Bad_dates_are_refused(string text, string expected)
    {
        Assert.False(LicenceFields.TryParseDate(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("金", Mineral.Gold)]
    [InlineData("金矿", Mineral.Gold)]
    [InlineData("黄金", Mineral.Gold)]
    [InlineData("萤石", Mineral.Fluorite)]
    [InlineData("钼矿", Mineral.Molybdenum)]
    [InlineData("Coal", Mineral.Coal)]
    public void Minerals_by_their_chinese_names(string text, Mineral expected)
    {
        Assert.True(LicenceFields.TryParseMineral(text, out var mineral));
        Assert.Equal(expected, mineral);
    }

    [Theory]
    [InlineData("生产", MineStatus.Producing)]
    [InlineData("停产", MineStatus.Suspended)]
    [InlineData("停产整顿", MineStatus.Rectifying)]
    [InlineData("关闭退出", MineStatus.Closing)]
    [InlineData("已关闭", MineStatus.Closing)]
    public void Statuses_by_their_chinese_names(string text, MineStatus expected)
    {
        Assert.True(LicenceFields.TryParseStatus(text, out var status));
        Assert.Equal(expected, status);
    }

    [Fact]
    public void Unknown_mineral_and_status_are_refused()
    {
        Assert.False(LicenceFields.TryParseMineral("金刚石", out _));
        Assert.False(LicenceFields.TryParseMineral("矿", out _));
        Assert.False(LicenceFields.TryParseStatus("半停产", out _));
    }

    [Fact]
    public void Licence_numbers_ignore_spaces_case_and_full_width()
    {
        Assert.Equal("C4100002011046120111539", LicenceFields.NormalizeLicenceNumber(" c41000020110 4612011１５３９ "));
    }

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
}
