using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>
/// The API reference page (/api-docs, Scalar served from its package) renders the generated document in Chromium under
/// the app's CSP, with no request leaving the server (deployments have no internet).
/// </summary>
public sealed class ApiReferenceTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Staff_read_the_operations_with_their_chinese_summaries_offline()
    {
        var page = await app.NewPageAsync();
        var problems = new List<string>();
        var outside = new List<string>();
        page.PageError += (_, e) => problems.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) problems.Add(m.Text);
        };
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(app.BaseUrl, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)
                && !r.Url.StartsWith("blob:", StringComparison.Ordinal)) outside.Add(r.Url);
        };
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync($"{app.BaseUrl}/api-docs");

        // The sidebar lists the features by their Chinese names and, opened, the operations by their summaries.
        var ingest = page.GetByText("对接系统：监控事件接入").First;
        await Assertions.Expect(ingest).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ingest.ClickAsync();
        await Assertions.Expect(page.GetByText("推送一批监控事件").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("摄像头在已封堵矿硐发现人员").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "api-reference.png") });
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(outside.Count == 0, "Requests leaving the server:\n" + string.Join("\n", outside.Distinct()));
    }
}
