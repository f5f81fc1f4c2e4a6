using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Tips;
using MineGuard.Platform.Geo;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>
/// A tip's position as a Chinese map app (高德, 腾讯) or a pin on GCJ-02 tiles gives it is stored at the WGS84 point the
/// tipster meant (issue 11), so every map draws it where it was put; a WGS84 position (a phone's fix) is kept as sent.
/// </summary>
public sealed class TipPositionTests
{
    private static double Metres((double Lon, double Lat) a, (double Lon, double Lat) b)
    {
        var dx = (a.Lon - b.Lon) * 111_320 * Math.Cos(a.Lat * Math.PI / 180);
        var dy = (a.Lat - b.Lat) * 110_574;
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    private static object Body(string marker, double lon, double lat, string? crs, string division = "410325400") => new
    {
        channel = "Phone", divisionCode = division, kinds = new[] { "digging" }, description = $"热线 {marker}", lon, lat, crs,
    };

    private static Task<(double Lon, double Lat)> StoredAsync(TestApp app, string marker) =>
        app.WithDbAsync(async db =>
        {
            var tip = await db.Set<Tip>().SingleAsync(t => t.Description.Contains(marker));
            return (tip.Lon!.Value, tip.Lat!.Value);
        });

    [Theory, OnSqlite, OnPostgres]
    public async Task Staff_record_a_gcj02_position_at_its_wgs84_point_and_a_wgs84_one_as_sent(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var meant = Spots.Songxian();
        var onMap = Gcj02.FromWgs84(meant.Lon, meant.Lat);
        Assert.True(Metres(onMap, meant) > 100, "the test point must be where GCJ-02 is visibly off");

        var marker = Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/tips", Body(marker, onMap.Lon, onMap.Lat, "gcj02"))).StatusCode);
        var outside = await (await app.LoginAsync("hj-office")).PostAsJsonAsync("/api/tips", Body(marker, onMap.Lon, onMap.Lat, "gcj02"));
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.True((await outside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("divisionCode", out _));
        var bad = await office.PostAsJsonAsync("/api/tips", Body(marker, onMap.Lon, onMap.Lat, "北京54"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("无法识别", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("crs")[0].GetString(), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Set<Tip>().AnyAsync(t => t.Description.Contains(marker))));

        var created = await office.PostAsJsonAsync("/api/tips", Body(marker, onMap.Lon, onMap.Lat, "高德"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tip = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tip");
        Assert.InRange(Metres((tip.GetProperty("lon").GetDouble(), tip.GetProperty("lat").GetDouble()), meant), 0, 1);
        Assert.InRange(Metres(await StoredAsync(app, marker), meant), 0, 1);

        // WGS84, named or not: kept as sent (to the 6 decimals positions are stored with).
        foreach (var crs in new[] { null, "WGS84" })
        {
            var plain = Guid.NewGuid().ToString("N")[..10];
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync("/api/tips", Body(plain, meant.Lon, meant.Lat, crs))).StatusCode);
            var stored = await StoredAsync(app, plain);
            Assert.Equal(Math.Round(meant.Lon, 6), stored.Lon, 1e-9);
            Assert.Equal(Math.Round(meant.Lat, 6), stored.Lat, 1e-9);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_pin_put_on_gcj02_tiles_of_the_public_form_is_stored_at_its_wgs84_point(string provider)
    {
        var app = await TestApp.Shared(provider);
        var meant = Spots.Songxian();
        var onMap = Gcj02.FromWgs84(meant.Lon, meant.Lat);
        string Text(double v) => v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture);

        var marker = "地图标记 " + Guid.NewGuid().ToString("N")[..8];
        var fields = Fields(division: "410325400", description: marker, place: "陶村林场后山", lon: Text(onMap.Lon), lat: Text(onMap.Lat));
        fields["Input.Crs"] = "gcj02";
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(app.Anonymous(), fields, pow: true)).Status);
        Assert.InRange(Metres(await StoredAsync(app, marker), meant), 0, 1);

        // The phone's own position (WGS84) is kept as sent.
        var phone = "本机定位 " + Guid.NewGuid().ToString("N")[..8];
        var own = Fields(division: "410325400", description: phone, place: "陶村林场后山", lon: Text(meant.Lon), lat: Text(meant.Lat));
        own["Input.Crs"] = "wgs84";
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(app.Anonymous(), own, pow: true)).Status);
        Assert.InRange(Metres(await StoredAsync(app, phone), meant), 0, 0.2);

        // A system the form never sends is refused, naming the field, and nothing is stored.
        var odd = "怪坐标 " + Guid.NewGuid().ToString("N")[..8];
        var wrong = Fields(division: "410325400", description: odd, lon: Text(meant.Lon), lat: Text(meant.Lat));
        wrong["Input.Crs"] = "西安80";
        var refused = await SubmitAsync(app.Anonymous(), wrong, pow: true);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("data-for=\"Crs\"", refused.Html, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Set<Tip>().AnyAsync(t => t.Description.Contains(odd))));
    }
}
