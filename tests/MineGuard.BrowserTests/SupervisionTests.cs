using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>督导看板 (issue 18): a city leader reads the counties side by side, clicks a red figure and lands on the named adits.</summary>
public sealed class SupervisionTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>An adit of 陶村林场 whose seal was found broken, at a spot of its own.</summary>
    private async Task<string> BreachedAditAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        var (lon, lat) = Spots.Songxian();
        var adit = Adit.Register(Spots.Unique("DB-"), new Adit.Place("410325", "410325400", null, null), lon, lat,
            new Adit.Details("看板测试硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
        adit.Seal(new Adit.SealWork(today.AddDays(-20), SealMethod.Concrete, null, "施工队", null, null), null, now);
        adit.RecordBreach(today.AddDays(-2), "巡查员", "巡查发现", null, null, now);
        db.Add(adit);
        await db.SaveChangesAsync();
        return adit.Number;
    }

    [BrowserFact]
    public async Task A_city_leader_clicks_a_red_figure_and_lands_on_the_named_adits()
    {
        var number = await BreachedAditAsync();
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "ly-leader");
        await page.Locator("#main-menu").GetByRole(AriaRole.Link, new() { Name = "督导看板" }).ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/supervision");
        Assert.Contains("洛阳市", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        // The counties side by side; 嵩县's breached figure is red and links to the list behind it.
        var table = page.Locator("#section-ledger");
        Assert.Contains("嵩县", await table.Locator("thead").InnerTextAsync(), StringComparison.Ordinal);
        var figure = table.Locator("tr[data-measure=breached] a.figure[data-code='410325']");
        Assert.Contains("text-danger", await figure.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        var shown = int.Parse(await figure.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(shown >= 1, $"breached in 嵩县: {shown}");

        // The ranking chart draws the children for the measure chosen.
        await page.Locator("#rank-measure").SelectOptionAsync("ledger.breached");
        await Assertions.Expect(page.Locator("#rank-chart")).ToHaveAttributeAsync("data-measure", "ledger.breached");
        // The children coloured by the same measure (a ranked list), and the month-by-month trend drawn for a measure.
        await Assertions.Expect(page.Locator("#child-colours a[data-code='410325']")).ToHaveAttributeAsync("data-value", shown.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#trend-measure").SelectOptionAsync("ledger.breached");
        await Assertions.Expect(page.Locator("#trend-chart")).ToHaveAttributeAsync("data-measure", "ledger.breached");
        await Assertions.Expect(page.Locator("#trend-chart")).ToHaveAttributeAsync("data-points", "12");
        Assert.True(await page.Locator("#trend-chart canvas").CountAsync() > 0, "the trend chart draws");

        await figure.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/adits?division=410325", StringComparison.Ordinal) && url.Contains("state=breached", StringComparison.Ordinal));
        Assert.Contains("区划：嵩县", await page.Locator("#dashboard-filter").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains($"共 {shown} 处", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(number, await page.Locator("#adits").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "supervision-drill.png"), FullPage = true });

        // Drilling down from the board: 嵩县's own board names its townships.
        await page.GotoAsync(app.BaseUrl + "/supervision");
        await page.Locator("#section-ledger thead").GetByRole(AriaRole.Link, new() { Name = "嵩县" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("division=410325", StringComparison.Ordinal));
        Assert.Contains("陶村林场", await page.Locator("#section-ledger thead").InnerTextAsync(), StringComparison.Ordinal);
    }
}
