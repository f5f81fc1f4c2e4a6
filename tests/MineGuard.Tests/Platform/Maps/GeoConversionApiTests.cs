using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Platform.Geo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Maps;

/// <summary>
/// <c>GET /api/geo/to-wgs84</c>: the server's one GCJ-02 → WGS84 conversion for the adit form's picker (issue 11: the
/// JavaScript copy is gone). Staff only; nothing in it belongs to a county, so there is no other county to refuse.
/// </summary>
public sealed class GeoConversionApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Converts_a_gcj02_position_for_staff_and_says_which_value_is_wrong(string provider)
    {
        var app = await TestApp.Shared(provider);
        var wgs = Spots.Songxian();
        var gcj = Gcj02.FromWgs84(wgs.Lon, wgs.Lat);
        string Url(object lng, object lat, string crs) => FormattableString.Invariant($"/api/geo/to-wgs84?lng={lng}&lat={lat}&crs={Uri.EscapeDataString(crs)}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url(gcj.Lon, gcj.Lat, "gcj02"))).StatusCode);

        var patrol = await app.LoginAsync("sx-patrol");
        var converted = await patrol.GetFromJsonAsync<JsonElement>(Url(gcj.Lon, gcj.Lat, "gcj02"));
        Assert.Equal(wgs.Lon, converted.GetProperty("lng").GetDouble(), 1e-8);
        Assert.Equal(wgs.Lat, converted.GetProperty("lat").GetDouble(), 1e-8);
        // Named as offices write it; a WGS84 position comes back as it went.
        Assert.Equal(wgs.Lat, (await patrol.GetFromJsonAsync<JsonElement>(Url(gcj.Lon, gcj.Lat, "高德坐标"))).GetProperty("lat").GetDouble(), 1e-8);
        var same = await patrol.GetFromJsonAsync<JsonElement>(Url(wgs.Lon, wgs.Lat, "wgs84"));
        Assert.Equal(wgs.Lon, same.GetProperty("lng").GetDouble());
        Assert.Equal(wgs.Lat, same.GetProperty("lat").GetDouble());

        async Task<JsonElement> ErrorsAsync(string url)
        {
            var response = await patrol.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        }
        Assert.Contains("无法识别", (await ErrorsAsync(Url(gcj.Lon, gcj.Lat, "北京54"))).GetProperty("crs")[0].GetString(), StringComparison.Ordinal);
        var both = await ErrorsAsync(Url("东经", 200, "gcj02"));
        Assert.Equal("经度应为 -180 到 180 之间的十进制度数", both.GetProperty("lng")[0].GetString());
        Assert.Equal("纬度应为 -90 到 90 之间的十进制度数", both.GetProperty("lat")[0].GetString());
        Assert.Equal("请填写经度", (await ErrorsAsync("/api/geo/to-wgs84?lat=34&crs=gcj02")).GetProperty("lng")[0].GetString());
        Assert.True((await ErrorsAsync(Url("NaN", 34, "gcj02"))).TryGetProperty("lng", out _));
    }
}
