using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Mines;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using NetTopologySuite.Geometries;

namespace MineGuard.BrowserTests;

/// <summary>The adit map in a real browser: clusters at county zoom, coloured dots when filtered, a popup with a link.</summary>
public sealed class MapTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const int AditCount = 600;

    [BrowserFact]
    public async Task Office_user_sees_the_county_adits_clustered_and_the_weak_seals_in_orange()
    {
        await SeedAsync();
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Console);
        // The browser asks for /favicon.ico on its own; the product has none.
        page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) problems.Add($"{r.Status} {r.Url}"); };

        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/map");
        Assert.Equal("嵩县 矿硐分布图", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Contains("演示数据", await page.Locator(".demo-banner").InnerTextAsync(), StringComparison.Ordinal);

        // The whole county is in view: more adits than are sent one by one, so the server clusters them.
        await page.Locator("#map[data-state='idle'][data-mode='clusters']").WaitForAsync();
        Assert.True(await page.Locator(".adit-cluster").CountAsync() > 3);
        Assert.Contains("按区域汇总", await page.Locator("#map-count").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("弱封堵", await page.Locator(".map-legend").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "map-clusters.png"), FullPage = true });

        // Filtered to weak seals, few enough to come one by one, each an orange dot.
        var loads = await page.Locator("#map").GetAttributeAsync("data-loads");
        await page.Locator("#state").SelectOptionAsync("weak");
        await page.WaitForFunctionAsync(
            $"() => {{ const m = document.getElementById('map').dataset; return Number(m.loads) > {loads} && m.state === 'idle'; }}");
        Assert.Equal("points", await page.Locator("#map").GetAttributeAsync("data-mode"));
        Assert.EndsWith("/map?state=weak", page.Url, StringComparison.Ordinal);
        var weak = page.Locator("#map path.adit-marker.adit-weak");
        Assert.True(await weak.CountAsync() > 5, "expected weak-seal markers");
        Assert.Equal(await page.Locator("#map path.adit-marker").CountAsync(), await weak.CountAsync());
        Assert.Equal("#fd8d3c", await weak.First.GetAttributeAsync("fill"));

        // The northernmost dot: its popup does not fit above it, so opening it pans the map, which reloads the adits.
        loads = await page.Locator("#map").GetAttributeAsync("data-loads");
        var top = await page.EvaluateAsync<int>(
            "() => { const dots = [...document.querySelectorAll('#map path.adit-weak')]; const tops = dots.map(d => d.getBoundingClientRect().top); return tops.indexOf(Math.min(...tops)); }");
        await weak.Nth(top).ClickAsync(new() { Force = true });
        var popup = page.Locator(".leaflet-popup-content .adit-popup");
        await popup.WaitForAsync();
        Assert.Contains("石块堆砌", await popup.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches("^/adits/[0-9a-f-]{36}$", await popup.Locator("a").GetAttributeAsync("href"));
        await page.WaitForFunctionAsync(
            $"() => {{ const m = document.getElementById('map').dataset; return Number(m.loads) > {loads} && m.state === 'idle'; }}");
        await page.WaitForTimeoutAsync(300);
        Assert.True(await popup.IsVisibleAsync(), "the popup closed when the map reloaded");

        // Licensed mines are drawn as outlines; an expired licence is drawn apart.
        Assert.True(await page.Locator("#map path.mine.mine-inactive").CountAsync() >= 1); // the test's own and the demo mines
        Assert.True(await page.Locator("#map path.mine:not(.mine-inactive)").CountAsync() >= 1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "map-weak.png"), FullPage = true });

        // Content-Security-Policy (script-src 'self') would show up here as console errors.
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static LicensedMine Mine(string licence, string name, DateOnly validTo, double lon, double lat, DateTime now)
    {
        var (x0, y0, x1, y1) = (lon, lat, lon + 0.03, lat + 0.02);
        var outline = string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"Polygon","coordinates":[[[{{x0}},{{y0}}],[{{x1}},{{y0}}],[{{x1}},{{y1}}],[{{x0}},{{y1}}],[{{x0}},{{y0}}]]]}""");
        return LicensedMine.Register(
            new LicensedMine.Licence(name, "嵩县测试矿业有限公司", licence, Mineral.Gold, new DateOnly(2016, 1, 1), validTo, MineStatus.Producing),
            "410325", "410325", outline, (x0, y0, x1, y1), now, isDemo: true);
    }

    /// <summary>Adits at random places inside the county outline, a sixth of them sealed with loose rocks.</summary>
    private async Task SeedAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        if (await db.Set<Adit>().AnyAsync(a => a.Number.StartsWith("BROWSER-"))) return;
        var county = await db.Divisions.SingleAsync(d => d.Code == "410325");
        var outline = GeoJson.ReadFirstGeometry(county.BoundaryGeoJson!);
        var townships = await db.Divisions.Where(d => d.ParentCode == "410325" && d.Level == DivisionLevel.Township)
            .Select(d => d.Code).ToListAsync();
        var box = outline.EnvelopeInternal;
        var random = new Random(410325);
        var now = DateTime.UtcNow;
        for (var i = 0; i < AditCount;)
        {
            var (lon, lat) = (box.MinX + (random.NextDouble() * box.Width), box.MinY + (random.NextDouble() * box.Height));
            if (!outline.Contains(new Point(lon, lat))) continue;
            var adit = Adit.Register($"BROWSER-{i:D4}", new Adit.Place("410325", townships[i % townships.Count], null, null), lon, lat,
                new Adit.Details($"测试矿硐{i}", null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
            if (i % 3 != 0)
            {
                var method = i % 6 == 1 ? SealMethod.LooseRocks : SealMethod.Concrete;
                adit.Seal(new Adit.SealWork(new DateOnly(2026, 10, 1), method, null, "封堵队", Guid.NewGuid(), null), null, now);
                if (i % 4 == 0) adit.Accept(new DateOnly(2026, 10, 2), Guid.NewGuid(), null, now);
                if (i % 11 == 0) adit.RecordBreach(new DateOnly(2026, 10, 20), null, "巡查发现", null, null, now);
            }
            db.Add(adit);
            i++;
        }
        db.Add(Mine("C4103252026000001", "嵩县测试金矿", new DateOnly(2030, 1, 1), 112.02, 34.08, now));
        db.Add(Mine("C4103252016000002", "嵩县过期萤石矿", new DateOnly(2025, 6, 30), 111.88, 33.95, now));
        await db.SaveChangesAsync();
    }
}
