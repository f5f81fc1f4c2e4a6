using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Mines;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// The maps with an offline tile package and without internet: the adit page shows a tile from the package, the
/// attribution names MineGuard and the package's source and no Leaflet flag, and around the adit the county outline,
/// township names, the adits nearby and licence boundaries; the alert desk has the same context.
/// </summary>
public sealed class BaseMapTests(TiledBrowserApp app) : IClassFixture<TiledBrowserApp>
{
    [BrowserFact]
    public async Task The_adit_page_draws_package_tiles_and_the_places_around_the_adit()
    {
        var (adit, neighbour, mine) = await SeedAsync();
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Console);
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync($"{app.BaseUrl}/adits/{adit}");

        var map = page.Locator("#mini-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-base-map", "package");
        // A tile of the package, loaded and decoded by the browser (zoom 14 over zoom-10 tiles: enlarged, not missing).
        var tile = map.Locator("img.leaflet-tile-loaded[src*='/tiles/10/']").First;
        await tile.WaitForAsync();
        Assert.Equal(256, await tile.EvaluateAsync<int>("img => img.naturalWidth"));

        var attribution = map.Locator(".leaflet-control-attribution");
        await Assertions.Expect(attribution).ToContainTextAsync(TiledBrowserApp.Attribution);
        await Assertions.Expect(attribution).ToContainTextAsync("MineGuard");
        Assert.Equal(0, await attribution.Locator("a[href*='leafletjs'], svg").CountAsync());
        Assert.DoesNotContain("Leaflet", await attribution.InnerTextAsync(), StringComparison.Ordinal);
        // The file's link markup is shown as text, never as a link of the page.
        Assert.Equal(0, await attribution.Locator("a[href*='example.org']").CountAsync());

        // The context: the county's outline, the township's name, the adit next door and the licence nearby.
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true");
        Assert.True(await map.Locator("path.context-outline").CountAsync() >= 1, "the county outline");
        await Assertions.Expect(map.Locator(".township-label", new() { HasText = "陶村林场" })).ToHaveCountAsync(1);
        await Assertions.Expect(map.Locator("path.context-adit")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(map.Locator("path.context-mine")).Not.ToHaveCountAsync(0);
        await map.Locator("path.this-adit").HoverAsync(new() { Force = true });
        await map.Locator("path.context-adit").First.HoverAsync(new() { Force = true });
        await Assertions.Expect(page.Locator(".leaflet-tooltip", new() { HasText = neighbour })).ToBeVisibleAsync();
        await map.Locator("path.context-mine").First.HoverAsync(new() { Force = true });
        await Assertions.Expect(page.Locator(".leaflet-tooltip", new() { HasText = mine })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "adit-page-offline-tiles.png"), FullPage = true });
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task The_alert_desk_map_shows_the_county_with_its_townships_and_no_leaflet_flag()
    {
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors);
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/alerts");

        var map = page.Locator("#alert-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-context", "ready");
        Assert.True(await map.Locator("path.context-outline").CountAsync() >= 1, "the county outline");
        Assert.True(await map.Locator(".township-label").CountAsync() >= 5, "township names");
        Assert.True(await map.Locator("path.context-adit, path.context-cluster").CountAsync() >= 1, "the adits around");
        var attribution = map.Locator(".leaflet-control-attribution");
        await Assertions.Expect(attribution).ToContainTextAsync("MineGuard");
        Assert.Equal(0, await attribution.Locator("a[href*='leafletjs'], svg").CountAsync());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task The_home_map_shows_the_townships_and_the_adits_inside_the_outline()
    {
        // One adit of this test's own, away from the spot where the adit-page test looks for its neighbour.
        var (lon, lat) = Spots.Songxian();
        while (lon is > 111.99 and < 112.05 && lat is > 33.99 and < 34.05) (lon, lat) = Spots.Songxian();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            db.Add(Adit.Register(Spots.Unique("HOME-"), new Adit.Place("410325", "410325400", null, null), lon, lat,
                new Adit.Details(null, null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors);
        await app.LoginAsync(page, "sx-office");

        var map = page.Locator("#map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-context", "ready");
        await Assertions.Expect(map.Locator(".township-label", new() { HasText = "陶村林场" })).ToHaveCountAsync(1);
        Assert.True(await map.Locator("path.context-adit, path.context-cluster").CountAsync() >= 1, "the adits inside the county");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task The_public_tip_page_pins_a_place_on_the_package_tiles()
    {
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors);
        await page.GotoAsync(app.BaseUrl + "/report");
        await page.Locator("#pick-on-map").ClickAsync();
        var map = page.Locator("#pin-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-base-map", "package");
        await map.Locator("img.leaflet-tile-loaded[src*='/tiles/10/']").First.WaitForAsync();
        var attribution = map.Locator(".leaflet-control-attribution");
        await Assertions.Expect(attribution).ToContainTextAsync(TiledBrowserApp.Attribution);
        Assert.Equal(0, await attribution.Locator("a[href*='leafletjs'], svg").CountAsync());

        await map.ClickAsync();
        await Assertions.Expect(page.Locator("#position-text")).ToContainTextAsync("已在地图上标记");
        Assert.StartsWith("11", await page.Locator("#lon").InputValueAsync(), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Two adits about 200 m apart in 陶村林场 and a licence beside them; the first's id, the second's number, the mine's name.</summary>
    private async Task<(Guid Adit, string Neighbour, string Mine)> SeedAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var now = DateTime.UtcNow;
        var suffix = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var (lon, lat) = (112.0131 + (Random.Shared.NextDouble() * 0.01), 34.0123 + (Random.Shared.NextDouble() * 0.01));
        Adit Register(string number, double x) => Adit.Register(number, new Adit.Place("410325", "410325400", null, null), x, lat,
            new Adit.Details(null, null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
        var adit = Register($"TILE-A-{suffix}", lon);
        var neighbour = Register($"TILE-B-{suffix}", lon + 0.002);
        var (x0, y0, x1, y1) = (lon - 0.004, lat + 0.001, lon - 0.001, lat + 0.003);
        var outline = string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"Polygon","coordinates":[[[{{x0}},{{y0}}],[{{x1}},{{y0}}],[{{x1}},{{y1}}],[{{x0}},{{y1}}],[{{x0}},{{y0}}]]]}""");
        var mine = LicensedMine.Register(
            new LicensedMine.Licence($"底图测试金矿{suffix}", "嵩县测试矿业有限公司", $"C41032520260{suffix}", Mineral.Gold,
                new DateOnly(2016, 1, 1), new DateOnly(2031, 1, 1), MineStatus.Producing),
            "410325", "410325", outline, (x0, y0, x1, y1), now);
        db.AddRange(adit, neighbour, mine);
        await db.SaveChangesAsync();
        return (adit.Id, neighbour.Number, mine.Name);
    }
}
