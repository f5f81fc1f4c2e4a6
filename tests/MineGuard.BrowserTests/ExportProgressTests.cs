using Microsoft.Playwright;
using MineGuard.Platform.Excel;

namespace MineGuard.BrowserTests;

/// <summary>The app with the background export path forced: any export of more than 2 rows is a job.</summary>
public sealed class SmallJobsBrowserApp : BrowserApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Exports:JobAboveRows", "2")];
}

/// <summary>导出 on a list page when the export is large: a progress line, then the file downloads (issue 13).</summary>
public sealed class ExportProgressTests(SmallJobsBrowserApp app) : IClassFixture<SmallJobsBrowserApp>
{
    [BrowserFact]
    public async Task The_export_button_shows_progress_of_a_background_export_and_downloads_the_file()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        var key = "K" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            var created = await page.Context.APIRequest.PostAsync(app.BaseUrl + "/api/petitions", new()
            {
                DataObject = new { divisionCode = "410325400", nature = "非法采矿", content = $"{key} 后山夜间采矿 {i}" },
            });
            Assert.Equal(201, created.Status);
        }

        await page.GotoAsync(app.BaseUrl + $"/petitions?q={key}");
        await Assertions.Expect(page.Locator("#petitions tbody tr")).ToHaveCountAsync(3);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync(), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator(".export-progress")).ToContainTextAsync("已导出 3 / 3 条");
        Assert.StartsWith("信访事项-", download.SuggestedFilename);
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var path = Path.Combine(BrowserApp.Artifacts, $"export-{key}.xlsx");
        await download.SaveAsAsync(path);
        await using var file = File.OpenRead(path);
        var rows = SheetReader.Read(file, "export.xlsx").ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows.Skip(1), r => Assert.Contains(key, r.Cell(5)));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "export-progress.png"), FullPage = true });
    }
}
