using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>
/// Each role's home page and the menu grouped by task, on a desktop (1366×800) and a phone (390×844). Screenshots of
/// every role's home go to bin/…/artifacts/home-*.png.
/// </summary>
public sealed class HomeAndMenuTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly (int Width, int Height, string Name)[] Screens = [(1366, 800, "desktop"), (390, 844, "phone")];

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string user, int width, int height)
    {
        var context = await app.NewContextAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = width, Height = height }, IsMobile = width < 500, HasTouch = width < 500 });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await app.LoginAsync(page, user);
        return (page, errors);
    }

    [BrowserFact]
    public async Task Every_role_has_a_home_of_its_own_work_on_a_desktop_and_a_phone()
    {
        foreach (var (user, section) in new[]
                 {
                     ("sx-office", "#home-office"), ("sx-leader", "#home-leader"), ("sx-patrol", "#home-patrol"), ("sx-resp", "#home-responsible"),
                     ("sx-reward", "#home-reward"), ("hj-petitions", "#home-department"), ("sx-police", "#home-department"), ("sx-admin", "#home-admin"),
                 })
        {
            foreach (var (width, height, screen) in Screens)
            {
                var (page, errors) = await OpenAsync(user, width, height);
                await Assertions.Expect(page.Locator(section)).ToBeVisibleAsync();
                if (user == "sx-leader")
                {
                    // ECharts draws both trend charts on canvases, under the product's CSP.
                    await page.Locator("#trends[data-ready=true]").WaitForAsync();
                    Assert.Equal(2, await page.Locator(".chart canvas").CountAsync());
                    var box = await page.Locator("#chart-cases canvas").First.BoundingBoxAsync();
                    Assert.True(box is { Width: > 250, Height: > 200 }, $"chart too small: {box?.Width}x{box?.Height}");
                }
                if (user == "sx-patrol") await Assertions.Expect(page.Locator("#open-field")).ToBeVisibleAsync();
                // Nothing wider than the screen: no sideways scrolling on a phone.
                var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
                Assert.True(scrollWidth <= width, $"{user} on {screen}: page is {scrollWidth}px wide");
                Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
                await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, $"home-{user}-{screen}.png"), FullPage = true });
                await page.Context.CloseAsync();
            }
        }
    }

    [BrowserFact]
    public async Task The_menu_groups_tasks_shows_what_the_role_may_open_and_fits_a_1366_screen()
    {
        var (page, _) = await OpenAsync("sx-admin", 1366, 800);
        var menu = page.Locator("#main-menu");
        Assert.Equal(["台账", "巡查", "举报信访", "预警监测", "统计", "系统管理"], (await menu.Locator(".menu-heading").AllInnerTextsAsync()).Select(t => t.Trim()));
        foreach (var name in new[] { "信访", "监测设备", "预警规则", "巡查考核", "用户管理", "审计日志", "督办事项", "我的待办" })
            await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        // The old follow-up items are assignments now: their menu item is gone.
        Assert.Equal(0, await menu.Locator("a[href='/follow-ups']").CountAsync());
        // Every label on one line, and the top bar one line high.
        foreach (var link in await menu.Locator("a").AllAsync())
        {
            if (!await link.IsVisibleAsync()) continue; // 修改密码/帮助 join the menu on a phone only (top bar on a desktop)
            var box = await link.BoundingBoxAsync();
            Assert.True(box is { Height: < 36 }, $"'{await link.InnerTextAsync()}' wraps: {box?.Height}px");
        }
        Assert.True((await page.Locator(".topbar").BoundingBoxAsync())!.Height < 60);
        await menu.GetByRole(AriaRole.Link, new() { Name = "监测设备" }).ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/devices");
        await Assertions.Expect(page.Locator("#main-menu a.active")).ToHaveTextAsync("监测设备");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "menu-admin-desktop.png") });

        // The petitions office: 信访 in its menu, no administration, no SMS outbox.
        var (petitions, _) = await OpenAsync("hj-petitions", 1366, 800);
        await Assertions.Expect(petitions.Locator("#main-menu").GetByRole(AriaRole.Link, new() { Name = "信访", Exact = true })).ToBeVisibleAsync();
        Assert.Equal(0, await petitions.Locator("#main-menu [data-group=admin]").CountAsync());
        Assert.Equal(0, await petitions.Locator("#main-menu a[href='/sms-outbox']").CountAsync());
        Assert.Equal(0, await petitions.Locator("#main-menu a[href='/imports']").CountAsync());
        await petitions.Locator("#main-menu").GetByRole(AriaRole.Link, new() { Name = "信访", Exact = true }).ClickAsync();
        await petitions.WaitForURLAsync(app.BaseUrl + "/petitions");
    }

    [BrowserFact]
    public async Task On_a_phone_the_menu_folds_behind_a_button_and_the_top_bar_keeps_notifications_and_log_out_in_view()
    {
        var (page, _) = await OpenAsync("sx-office", 390, 844);
        var menu = page.Locator("#main-menu");
        var toggle = page.Locator("#menu-toggle");
        await Assertions.Expect(menu).ToBeHiddenAsync();
        Assert.True((await page.Locator(".topbar").BoundingBoxAsync())!.Height < 70);
        foreach (var visible in new[] { page.Locator("#menu-toggle"), page.Locator(".topbar a[href='/notifications']"), page.GetByRole(AriaRole.Button, new() { Name = "退出" }) })
        {
            var box = await visible.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390 && box.Y + box.Height <= 70, $"cut off: {box?.X},{box?.Y} {box?.Width}x{box?.Height}");
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "menu-office-phone-closed.png") });

        await toggle.ClickAsync();
        await Assertions.Expect(menu).ToBeVisibleAsync();
        Assert.Equal("true", await toggle.GetAttributeAsync("aria-expanded"));
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "预警台" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "我的待办" })).ToBeVisibleAsync();
        var open = await menu.BoundingBoxAsync();
        Assert.True(open!.Height < 700, $"open menu is {open.Height}px tall");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "menu-office-phone-open.png") });
        await toggle.ClickAsync();
        await Assertions.Expect(menu).ToBeHiddenAsync();

        await toggle.ClickAsync();
        await menu.GetByRole(AriaRole.Link, new() { Name = "信访", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/petitions");
        await Assertions.Expect(menu).ToBeHiddenAsync();
    }
}
