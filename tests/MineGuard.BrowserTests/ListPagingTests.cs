using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>The shared list way in a browser, on the petitions list: search by keyword, go to page 2, export link kept.</summary>
public sealed class ListPagingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_searches_petitions_pages_to_the_second_page_and_finds_the_export_of_the_search()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        var key = "K" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 51; i++)
        {
            var created = await page.Context.APIRequest.PostAsync(app.BaseUrl + "/api/petitions", new()
            {
                DataObject = new { divisionCode = "410325400", nature = "非法采矿", content = $"{key} 后山夜间采矿 {i:D2}" },
            });
            Assert.Equal(201, created.Status);
        }

        await page.GotoAsync(app.BaseUrl + "/petitions");
        await page.Locator("#petition-search input[name=q]").FillAsync(key);
        await page.Locator("#petition-search button").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"q={key}"));
        var rows = page.Locator("#petitions tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(page.Locator(".pager .page-of")).ToContainTextAsync("第 1 / 2 页");

        await page.Locator(".pager .page-next").ClickAsync();
        await Assertions.Expect(page.Locator(".pager .page-of")).ToContainTextAsync("第 2 / 2 页");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync(key);
        await Assertions.Expect(page.Locator("#petition-search input[name=q]")).ToHaveValueAsync(key);
        await Assertions.Expect(page.Locator("#export")).ToHaveAttributeAsync("href", $"/api/petitions/export.xlsx?q={key}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "petitions-page-2.png"), FullPage = true });
    }
}
