using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>The office's patrol pages in a real browser on the demo data: the patrol list, one patrol's map, the compliance page.</summary>
public sealed class PatrolPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_follows_a_patrol_to_its_map_and_reads_the_months_compliance()
    {
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Responses);
        await app.LoginAsync(page, "sx-office");

        // The demo's patrols of the last three weeks; the flagged check-in waits for review.
        // The month of the demo's latest patrol (they end yesterday, so near a month's start it may be last month).
        string month;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            month = MineGuard.Platform.Time.ChinaTime.ToLocal(await db.Set<Patrol>().MaxAsync(p => p.StartedUtc)).ToString("yyyy-MM");
        }

        await page.GotoAsync($"{app.BaseUrl}/patrols?month={month}");
        await Assertions.Expect(page.Locator("#patrols tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#flagged")).ToContainTextAsync("同一张照片也用于");

        await page.Locator("#patrols tbody tr a").First.ClickAsync();
        await page.Locator("#patrol-map[data-ready='true']").WaitForAsync();
        Assert.True(await page.Locator("#patrol-map path.leaflet-interactive").CountAsync() >= 3, "track and check-in markers on the map");
        await Assertions.Expect(page.Locator(".check-ins .verdict").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "patrol-detail.png"), FullPage = true });

        await page.GotoAsync($"{app.BaseUrl}/patrols/compliance?month={month}&division=410325400");
        var team = page.Locator("#teams tbody tr").Filter(new() { HasText = "陶村林场巡查队" });
        await Assertions.Expect(team).ToHaveCountAsync(1);
        Assert.NotEqual("0", (await team.Locator(".patrols").InnerTextAsync()).Trim());
        await page.Locator("#blind-map[data-ready='true']").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "patrol-compliance.png"), FullPage = true });
        Assert.Empty(problems);
    }
}
