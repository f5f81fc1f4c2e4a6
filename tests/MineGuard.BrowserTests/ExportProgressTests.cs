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
        var key = await PetitionsAsync(page, "K");

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

    /// <summary>取消 beside the progress line: the job is cancelled on the server and nothing is downloaded.</summary>
    [BrowserFact]
    public async Task The_cancel_button_stops_a_background_export()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        var key = await PetitionsAsync(page, "C");
        // The progress requests are held until the button was used, so the job cannot be seen finishing first.
        var held = new TaskCompletionSource();
        await page.RouteAsync("**/api/exports/*", async route =>
        {
            if (route.Request.Method == "GET") await held.Task;
            await route.ContinueAsync();
        });
        var downloads = 0;
        page.Download += (_, _) => downloads++;

        await page.GotoAsync(app.BaseUrl + $"/petitions?q={key}");
        await Assertions.Expect(page.Locator("#petitions tbody tr")).ToHaveCountAsync(3);
        var started = await page.RunAndWaitForResponseAsync(() => page.Locator("#export").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/api/petitions/export.xlsx", StringComparison.Ordinal));
        Assert.Equal(202, started.Status);
        var id = (await started.JsonAsync())!.Value.GetProperty("id").GetString();
        await page.Locator(".export-cancel").ClickAsync();
        await Assertions.Expect(page.Locator(".export-progress")).ToHaveTextAsync("已取消");
        await Assertions.Expect(page.Locator(".export-cancel")).ToHaveCountAsync(0);
        held.SetResult();

        var job = await page.Context.APIRequest.GetAsync(app.BaseUrl + $"/api/exports/{id}");
        Assert.Equal("已取消", (await job.JsonAsync())!.Value.GetProperty("stateName").GetString());
        Assert.Equal(409, (await page.Context.APIRequest.GetAsync(app.BaseUrl + $"/api/exports/{id}/file")).Status);
        Assert.Equal(0, downloads);
    }

    /// <summary>Three petitions whose text holds a new key, to export by it.</summary>
    private async Task<string> PetitionsAsync(IPage page, string prefix)
    {
        var key = prefix + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            var created = await page.Context.APIRequest.PostAsync(app.BaseUrl + "/api/petitions", new()
            {
                DataObject = new { divisionCode = "410325400", nature = "非法采矿", content = $"{key} 后山夜间采矿 {i}" },
            });
            Assert.Equal(201, created.Status);
        }
        return key;
    }
}
