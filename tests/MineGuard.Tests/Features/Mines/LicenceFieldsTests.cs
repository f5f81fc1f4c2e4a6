using MineGuard.Features.Adits;
using MineGuard.Features.Mines;

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
}
