using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>The adit ledger in a real browser: find an adit, record a breach and a re-seal, read its timeline.</summary>
public sealed class AditLedgerTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_records_a_breach_and_a_reseal_and_sees_the_timeline()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.GetByRole(AriaRole.Link, new() { Name = "矿硐台账" }).ClickAsync();
        await page.Locator("#adits tbody tr").First.WaitForAsync();
        Assert.Contains("共 300 处", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "adit-list.png"), FullPage = false });

        // Accepted adits can be found broken: filter to them and open the first.
        await page.Locator("select[name=state]").SelectOptionAsync("已验收");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.Locator("#adits tbody tr td a").First.ClickAsync();
        await page.Locator("#timeline").WaitForAsync();
        var before = await page.Locator("#timeline li").CountAsync();

        var breach = page.Locator("#form-breach");
        await breach.Locator("input[name=FoundBy]").FillAsync("巡查员李强");
        await breach.Locator("input[name=HowFound]").FillAsync("巡查发现");
        await breach.GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#message").WaitForAsync();
        Assert.Contains("发现破坏", await page.Locator("h1 .state").InnerTextAsync(), StringComparison.Ordinal);

        // A re-seal without a method is refused beside the field, in Chinese.
        var reseal = page.Locator("#form-reseal");
        await reseal.GetByRole(AriaRole.Button).ClickAsync();
        Assert.Contains("请选择封堵方式", await page.Locator("[data-for='Seal.Method']").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#form-reseal select[name=Method]").SelectOptionAsync("混凝土浇筑");
        await page.Locator("#form-reseal").GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#message").WaitForAsync();

        var items = page.Locator("#timeline li");
        Assert.Equal(before + 2, await items.CountAsync());
        Assert.Contains("发现破坏/被盗采", await items.Nth(before).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("重新封堵", await items.Nth(before + 1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("已封堵", await page.Locator("h1 .state").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#mini-map .leaflet-interactive").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "adit-detail.png"), FullPage = true });
    }
}
