using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Geo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// Issue 11: the map picker of the adit form. Typing a position moves the marker there; a click on the map writes the
/// clicked point into 经度/纬度, and the saved adit stands where the click was.
/// </summary>
public sealed class AditPickerTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const int Zoom = 16;
    private const int Below = 30;

    /// <summary>A position's pixel in the Web Mercator world at a zoom (256-pixel tiles), as Leaflet computes it.</summary>
    private static (double X, double Y) Pixel(double lon, double lat, int zoom)
    {
        var size = 256 * Math.Pow(2, zoom);
        var phi = lat * Math.PI / 180;
        return ((lon + 180) / 360 * size, (1 - (Math.Log(Math.Tan(phi) + (1 / Math.Cos(phi))) / Math.PI)) / 2 * size);
    }

    private static (double Lon, double Lat) At((double X, double Y) pixel, int zoom) => WebMercator.Corner(pixel.X / 256, pixel.Y / 256, zoom);

    [BrowserFact]
    public async Task A_click_on_the_map_fills_the_position_and_the_adit_is_saved_there()
    {
        // The click lands on a free spot; the typed start is that spot shifted up by the click's distance below the marker.
        var spot = Spots.Songxian();
        var (x, y) = Pixel(spot.Lon, spot.Lat, Zoom);
        var start = At((x, y - Below), Zoom);
        var number = Spots.Unique("PK-");

        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Console);
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync();
        await page.GotoAsync(app.BaseUrl + "/adits/new");
        var map = page.Locator(".pick-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true");
        // The map starts on the user's county: its outline is drawn and no position is chosen yet.
        await Assertions.Expect(page.Locator(".pick-map path.context-outline")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".pick-map img.pick-marker.leaflet-marker-icon")).ToHaveCountAsync(0);

        // Typing a position puts the marker there and brings the map close.
        await page.Locator("#Input_Lon").FillAsync(start.Lon.ToString("F6", CultureInfo.InvariantCulture));
        await page.Locator("#Input_Lat").FillAsync(start.Lat.ToString("F6", CultureInfo.InvariantCulture));
        await page.Locator("#Input_Lat").PressAsync("Tab");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-lat", start.Lat.ToString("F6", CultureInfo.InvariantCulture));
        await Assertions.Expect(map).ToHaveAttributeAsync("data-lon", start.Lon.ToString("F6", CultureInfo.InvariantCulture));
        await Assertions.Expect(map).ToHaveAttributeAsync("data-zoom", Zoom.ToString(CultureInfo.InvariantCulture));
        var marker = page.Locator(".pick-map img.pick-marker.leaflet-marker-icon");
        await Assertions.Expect(marker).ToBeVisibleAsync();

        // The default marker's point is 12 px right of its left edge and at its bottom; click straight below it.
        var box = (await marker.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + 12, box.Y + 41 + Below);
        await Assertions.Expect(page.Locator("#Input_Lat")).Not.ToHaveValueAsync(start.Lat.ToString("F6", CultureInfo.InvariantCulture));
        var lon = await page.Locator("#Input_Lon").InputValueAsync();
        var lat = await page.Locator("#Input_Lat").InputValueAsync();
        Assert.Matches(@"^\d+\.\d{6}$", lon);
        Assert.Matches(@"^\d+\.\d{6}$", lat);
        Assert.Equal("wgs84", await page.Locator("#Input_Crs").InputValueAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "adit-picker-form.png"), FullPage = true });

        await page.Locator("#Input_Number").FillAsync(number);
        await page.Locator("#Input_Township").SelectOptionAsync("410325400");
        await page.Locator("#adit-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/adits/[0-9a-f-]{36}"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(number);

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var saved = await db.Adits().AsNoTracking().SingleAsync(a => a.Number == number);
        Assert.Equal(double.Parse(lon, CultureInfo.InvariantCulture), saved.Lon, 6);
        Assert.Equal(double.Parse(lat, CultureInfo.InvariantCulture), saved.Lat, 6);
        var off = WebMercator.DistanceMetres(spot.Lon, spot.Lat, saved.Lon, saved.Lat);
        Assert.True(off < 6, $"the adit stands {off:F1} m from the clicked point");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task A_typed_gcj02_position_puts_the_marker_where_the_adit_will_be_saved()
    {
        // A position copied from 高德 (GCJ-02): the marker stands at its WGS84 point, converted by the server's one conversion.
        var spot = Spots.Songxian();
        var gcj = Gcj02.FromWgs84(spot.Lon, spot.Lat);
        var (lonText, latText) = (gcj.Lon.ToString("F6", CultureInfo.InvariantCulture), gcj.Lat.ToString("F6", CultureInfo.InvariantCulture));
        var wgs = Gcj02.ToWgs84(double.Parse(lonText, CultureInfo.InvariantCulture), double.Parse(latText, CultureInfo.InvariantCulture));

        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync();
        await page.GotoAsync(app.BaseUrl + "/adits/new");
        var map = page.Locator(".pick-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true");
        await page.Locator("#Input_Crs").SelectOptionAsync("gcj02");
        await page.Locator("#Input_Lon").FillAsync(lonText);
        await page.Locator("#Input_Lat").FillAsync(latText);
        await page.Locator("#Input_Lat").PressAsync("Tab");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-lat", wgs.Lat.ToString("F6", CultureInfo.InvariantCulture));
        await Assertions.Expect(map).ToHaveAttributeAsync("data-lon", wgs.Lon.ToString("F6", CultureInfo.InvariantCulture));
        // The inputs keep what was typed: the server converts again when the form is saved.
        Assert.Equal(lonText, await page.Locator("#Input_Lon").InputValueAsync());
        Assert.Equal("gcj02", await page.Locator("#Input_Crs").InputValueAsync());
    }

    [BrowserFact]
    public async Task The_edit_form_starts_on_the_adit_and_a_dragged_marker_moves_it()
    {
        var spot = Spots.Songxian();
        Guid id;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            var adit = Adit.Register(Spots.Unique("PE-"), new Adit.Place("410325", "410325400", null, null), spot.Lon, spot.Lat,
                new Adit.Details("拖动测试硐", null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), db.Clock.GetUtcNow().UtcDateTime);
            db.Add(adit);
            await db.SaveChangesAsync();
            id = adit.Id;
        }
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync();
        await page.GotoAsync($"{app.BaseUrl}/adits/{id}/edit");
        var map = page.Locator(".pick-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-lat", spot.Lat.ToString("F6", CultureInfo.InvariantCulture));
        await Assertions.Expect(map).ToHaveAttributeAsync("data-zoom", Zoom.ToString(CultureInfo.InvariantCulture));

        // Drag the marker 12 px (about 24 m) to the right: the inputs follow, and so does the saved adit.
        var box = (await page.Locator(".pick-map img.pick-marker.leaflet-marker-icon").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 12, box.Y + 20);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + 18, box.Y + 20, new() { Steps = 2 });
        await page.Mouse.MoveAsync(box.X + 24, box.Y + 20, new() { Steps = 2 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator("#Input_Lon")).Not.ToHaveValueAsync(spot.Lon.ToString("F6", CultureInfo.InvariantCulture));
        var (x, y) = Pixel(spot.Lon, spot.Lat, Zoom);
        var expected = At((x + 12, y), Zoom);
        var lon = double.Parse(await page.Locator("#Input_Lon").InputValueAsync(), CultureInfo.InvariantCulture);
        var lat = double.Parse(await page.Locator("#Input_Lat").InputValueAsync(), CultureInfo.InvariantCulture);
        var off = WebMercator.DistanceMetres(expected.Lon, expected.Lat, lon, lat);
        Assert.True(off < 6, $"the dragged position is {off:F1} m from where the marker was dropped");

        await page.Locator("#adit-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/adits/{id}\\?done="));
        using var check = app.Services.CreateScope();
        var db2 = check.ServiceProvider.GetRequiredService<AppDbContext>();
        db2.CurrentUser.ActAsSystem("test");
        var saved = await db2.Adits().AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(lon, saved.Lon, 6);
        Assert.Equal(lat, saved.Lat, 6);
    }
}
