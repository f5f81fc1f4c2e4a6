using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>A licensed mine registered in a real browser, and its boundary drawn on the detail page's map.</summary>
public sealed class MinesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_registers_a_mine_from_corner_coordinates_and_sees_its_boundary_on_the_map()
    {
        var page = await app.NewPageAsync();
        var problems = new List<string>();
        // A CSP refusal or a script error shows up here; the app has no favicon, which is not this test's business.
        page.Console += (_, m) => { if (m.Type == "error" && !m.Location.Contains("favicon", StringComparison.Ordinal)) problems.Add(m.Text + " " + m.Location); };
        page.PageError += (_, e) => problems.Add(e);
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/mines/new");

        // First a licence pasted as projected X/Y in metres: refused with what to do, nothing lost.
        await page.Locator("#Input_Boundary").FillAsync("1 3765432.12 38456789.01\n2 3765432.12 38457789.01\n3 3766432.12 38457789.01");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        Assert.Contains("请先换算为经纬度", await page.Locator("[data-for='Input.Boundary']").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "mine-form-errors.png"), FullPage = true });

        await page.Locator("#Input_Name").FillAsync("浏览器萤石矿");
        await page.Locator("#Input_RightsHolder").FillAsync("嵩县某矿业有限公司");
        await page.Locator("#Input_LicenceNumber").FillAsync("C4103002024016120000001");
        await page.Locator("#Input_Mineral").SelectOptionAsync("萤石");
        await page.Locator("#Input_Status").SelectOptionAsync("停产");
        await page.Locator("#Input_Township").SelectOptionAsync(new SelectOptionValue { Label = "饭坡镇" });
        await page.Locator("#Input_ValidFrom").FillAsync("2024年1月31日");
        await page.Locator("#Input_ValidTo").FillAsync("2029/1/30");
        await page.Locator("#Input_Boundary").FillAsync("序号 X Y\n1 34°03′00″ 112°03′00″\n2 34°03′00″ 112°03′36″\n3 34°03′36″ 112°03′36″\n4 34°03′36″ 112°03′00″");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        await page.Locator("#saved").WaitForAsync();
        Assert.Contains("浏览器萤石矿", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#mine-map[data-ready=true]").WaitForAsync();
        var boundary = page.Locator("#mine-map path.leaflet-interactive");
        Assert.Equal(1, await boundary.CountAsync());
        var box = await boundary.BoundingBoxAsync();
        Assert.True(box is { Width: > 100, Height: > 100 }, $"boundary too small: {box?.Width}x{box?.Height}");
        Assert.Contains("矿区范围", await page.Locator("#map-note").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "mine-detail.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "返回列表" }).ClickAsync();
        Assert.Contains("浏览器萤石矿", await page.Locator("#mines").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "mine-list.png"), FullPage = true });
        Assert.True(problems.Count == 0, "browser errors:\n" + string.Join("\n", problems));
    }
}
