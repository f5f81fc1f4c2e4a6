using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>What a person sees in a real browser: the Chinese log-in, the dashboard and the jurisdiction map.</summary>
public sealed class DashboardTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_user_logs_in_and_sees_the_Chinese_dashboard_with_the_county_map()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/");
        Assert.EndsWith("/login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        Assert.Equal("登录 · 矿山打非治违平台", await page.TitleAsync());

        await app.LoginAsync(page, "sx-office");
        Assert.Equal("嵩县 工作台", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("嵩县打非办 王敏", (await page.Locator("#who").InnerTextAsync()).Trim());
        Assert.Contains("演示数据", await page.Locator(".demo-banner").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("河南省 / 洛阳市 / 嵩县", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        // The map draws the county outline from the product's own data: no tile server, no internet.
        await page.Locator("#map[data-ready=true]").WaitForAsync();
        // (The adits and township names drawn inside it are context: counted apart, in BaseMapTests.)
        var outline = page.Locator("#map path.scope-outline");
        Assert.Equal(1, await outline.CountAsync());
        var box = await outline.BoundingBoxAsync();
        Assert.True(box is { Width: > 200, Height: > 200 }, $"outline too small: {box?.Width}x{box?.Height}");
        Assert.Contains("嵩县边界", await page.Locator("#map-note").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "dashboard.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task Admin_sees_a_Chinese_message_beside_a_bad_field_and_then_creates_the_user()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "hj-admin");
        await page.Locator("#main-menu").GetByRole(AriaRole.Link, new() { Name = "用户管理" }).ClickAsync();
        await page.Locator("#Input_UserName").FillAsync("browser-user");
        await page.Locator("#Input_Password").FillAsync("short");
        await page.Locator("#Input_DisplayName").FillAsync("浏览器用户");
        // The scope is picked by name among the admin's own divisions: 嵩县 is not offered to a 洪江市 admin.
        Assert.Equal(0, await page.Locator("#Input_DivisionCode option[value='410325']").CountAsync());
        await Assertions.Expect(page.Locator("#Input_DivisionCode option[value='431281101']")).ToContainTextAsync("（431281101）");
        await page.Locator("#Input_DepartmentCode").SelectOptionAsync("forestry");
        await page.GetByLabel("巡查员").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();

        Assert.Contains("请选择行政区划", await page.Locator("[data-for='Input.DivisionCode']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("至少需要 10 个字符", await page.Locator("[data-valmsg-for='Input.Password']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("浏览器用户", await page.Locator("#Input_DisplayName").InputValueAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "user-form-errors.png"), FullPage = true });

        await page.Locator("#Input_DivisionCode").SelectOptionAsync("431281101");
        await page.Locator("#Input_Password").FillAsync("Tz9-kestrel-41q");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await page.Locator("#saved").WaitForAsync();
        Assert.Contains("browser-user", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }
}
