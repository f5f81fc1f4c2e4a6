using MineGuard.Platform.Geo;

namespace MineGuard.Tests.Platform.Geo;

public class DmsTests
{
    private const double Lon112 = 112 + 2 / 60.0 + 4.2 / 3600; // 112°2'4.2"
    private const double Lat34 = 34 + 5 / 60.0; // 34°5'

    [Theory]
    [InlineData("112.0345", 112.0345)]
    [InlineData("112.0345°", 112.0345)]
    [InlineData("112°2'4.2\"", Lon112)]
    [InlineData("112°02′04.2″", Lon112)]
    [InlineData("112度2分4.2秒", Lon112)]
    [InlineData("E112°2'4.2\"", Lon112)]
    [InlineData("112 2 4.2", Lon112)]
    [InlineData("  112°  02'  04.2\"  E ", Lon112)]
    [InlineData("112°2'4.2''", Lon112)] // two primes instead of a double prime
    [InlineData("112º2’4.2”", Lon112)] // ordinal indicator and smart quotes from word processors
    [InlineData("１１２°０２′０４．２″", Lon112)] // full-width input method
    [InlineData("东经112°2′4.2″", Lon112)]
    [InlineData("112°2′4.2″东经", Lon112)]
    [InlineData("N34°5'", Lat34)]
    [InlineData("n34°5'", Lat34)]
    [InlineData("北纬34度5分", Lat34)]
    [InlineData("34°5'N", Lat34)]
    [InlineData("34°5.5'", 34 + 5.5 / 60)]
    [InlineData("34°", 34.0)]
    [InlineData("34 5", Lat34)]
    [InlineData("34°5'S", -Lat34)]
    [InlineData("南纬34°5′", -Lat34)]
    [InlineData("W112 2 4.2", -Lon112)]
    [InlineData("西经112.0345", -112.0345)]
    [InlineData("-34.5", -34.5)]
    [InlineData("+34.5", 34.5)]
    [InlineData("0", 0.0)]
    [InlineData("90°N", 90.0)]
    [InlineData("180", 180.0)]
    public void TryParse_AcceptsCommonFormats(string text, double expected)
    {
        Assert.True(Dms.TryParse(text, out var degrees, out var error), error);

        Assert.Null(error);
        Assert.Equal(expected, degrees, 9);
    }

    [Theory]
    [InlineData("112°60'", "分或秒超出范围")]
    [InlineData("112°2'60\"", "分或秒超出范围")]
    [InlineData("112 75 0", "分或秒超出范围")]
    [InlineData("112度2分61.5秒", "分或秒超出范围")]
    [InlineData("abc", "无法识别的坐标格式")]
    [InlineData("112.5°30'", "无法识别的坐标格式")] // fractional degrees followed by minutes is ambiguous
    [InlineData("112°2'4.2\"5", "无法识别的坐标格式")]
    [InlineData("4\"2'112°", "无法识别的坐标格式")] // units out of order
    [InlineData("112°2°", "无法识别的坐标格式")] // unit repeated
    [InlineData("1 2 3 4", "无法识别的坐标格式")]
    [InlineData("112.03.45", "无法识别的坐标格式")]
    [InlineData("N34°5'E", "无法识别的坐标格式")]
    [InlineData("-34°5'S", "无法识别的坐标格式")] // sign and hemisphere both given
    [InlineData("112,0345", "无法识别的坐标格式")]
    [InlineData("N112°", "纬度超出范围")]
    [InlineData("181", "经度超出范围")]
    [InlineData("", "坐标为空")]
    [InlineData("   ", "坐标为空")]
    public void TryParse_RejectsWithChineseMessage(string text, string expectedError)
    {
        Assert.False(Dms.TryParse(text, out var degrees, out var error));

        Assert.Equal(0, degrees);
        Assert.NotNull(error);
        Assert.Contains(expectedError, error);
    }

    [Theory]
    [InlineData(Lon112, false, "112°02′04.20″E")]
    [InlineData(-Lon112, false, "112°02′04.20″W")]
    [InlineData(Lat34, true, "34°05′00.00″N")]
    [InlineData(-Lat34, true, "34°05′00.00″S")]
    [InlineData(34.999999999, true, "35°00′00.00″N")] // rounding carries instead of printing 60.00″
    [InlineData(0.0, true, "0°00′00.00″N")]
    [InlineData(-0.0000000001, false, "0°00′00.00″E")]
    [InlineData(180.0, false, "180°00′00.00″E")]
    public void Format_WritesDegreesMinutesSecondsWithHemisphere(double degrees, bool isLatitude, string expected)
    {
        Assert.Equal(expected, Dms.Format(degrees, isLatitude));
    }

    [Theory]
    [InlineData(112.0345, false)]
    [InlineData(-73.98765, false)]
    [InlineData(34.131563, true)]
    [InlineData(-33.8688, true)]
    public void FormatThenParse_RoundTripsToAHundredthOfASecond(double degrees, bool isLatitude)
    {
        Assert.True(Dms.TryParse(Dms.Format(degrees, isLatitude), out var parsed, out _));

        Assert.InRange(Math.Abs(parsed - degrees), 0, 0.005 / 3600);
    }

    [Theory]
    [InlineData(90.5, true)]
    [InlineData(-181, false)]
    [InlineData(double.NaN, true)]
    public void Format_RejectsImpossibleValues(double degrees, bool isLatitude)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dms.Format(degrees, isLatitude));
    }
}
