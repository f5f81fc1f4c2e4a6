using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>
/// The adit map's optional risk layer (风险, issue 16): switched on, the county's adits are ringed by their risk band with
/// the band's colour, the legend names the bands, and an adit's tooltip gives its score and reason (the two largest
/// contributions). The demo's unsealed and never-checked adits are the risky ones.
/// </summary>
public sealed class RiskLayerTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Switching_on_the_risk_layer_rings_risky_adits_with_their_band_legend_and_reason()
    {
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Responses);
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/map");
        await page.Locator("#map[data-state='idle']").WaitForAsync();
        Assert.Equal(0, await page.Locator("path.risk-adit").CountAsync());

        await page.Locator(".leaflet-control-layers label", new() { HasText = "风险" }).Locator("input").CheckAsync();
        var risky = page.Locator("path.risk-adit.risk-high, path.risk-adit.risk-medium");
        await Assertions.Expect(risky.First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        var ring = page.Locator("path.risk-adit.risk-high").First;
        if (await page.Locator("path.risk-adit.risk-high").CountAsync() == 0) ring = page.Locator("path.risk-adit.risk-medium").First;
        var high = (await ring.GetAttributeAsync("class"))!.Contains("risk-high", StringComparison.Ordinal);
        Assert.Equal(high ? "#b2182b" : "#ef8a62", await ring.GetAttributeAsync("stroke"));

        // The legend names the bands the rings are drawn in.
        var legend = await page.Locator(".map-legend").InnerTextAsync();
        Assert.Contains("风险图层：高风险（60 分及以上）", legend, StringComparison.Ordinal);
        Assert.Contains("风险图层：中风险（30–60 分）", legend, StringComparison.Ordinal);

        // Its tooltip: the adit's number, score and reason.
        // The ring is a stroke round the adit's own marker: its centre is the marker, so the ring is told of the pointer directly.
        await ring.DispatchEventAsync("mouseover");
        var tip = page.Locator(".leaflet-tooltip", new() { HasText = "风险" });
        await tip.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Matches(@"风险 \d+ 分 — .+", await tip.InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "map-risk-layer.png") });
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
