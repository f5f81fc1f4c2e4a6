using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>Issue 11: from the petitions list to one petition's page, replied to there.</summary>
public sealed class PetitionDetailTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task The_office_opens_a_petition_from_the_list_and_replies_on_its_page()
    {
        var content = "反映后山有人夜里运矿石 " + Guid.NewGuid().ToString("N")[..8];
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync();
        await page.GotoAsync(app.BaseUrl + "/petitions");
        await page.Locator("#p-division").SelectOptionAsync("410325");
        await page.Locator("#p-nature").SelectOptionAsync("IllegalMining");
        await page.Locator("#p-content").FillAsync(content);
        await page.Locator("#petition-form button").ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToBeVisibleAsync();

        await page.Locator("#petition-search input[name=q]").FillAsync(content);
        await page.Locator("#petition-search button").ClickAsync();
        var row = page.Locator("#petitions tbody tr", new() { HasText = content });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#content")).ToHaveTextAsync(content);
        await Assertions.Expect(page.Locator("#department")).ToHaveTextAsync("自然资源");
        await Assertions.Expect(page.Locator("[data-print]")).ToBeVisibleAsync();

        await page.Locator("#Reply").FillAsync("已组织核查，已告知信访人");
        await page.Locator("#reply-form button").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("已记录答复");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("答复信访人：已组织核查，已告知信访人");
        await Assertions.Expect(page.Locator("#archive-form")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "petition-detail.png"), FullPage = true });
    }
}
