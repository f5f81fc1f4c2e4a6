using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;

namespace MineGuard.BrowserTests;

/// <summary>
/// The one confirmation mechanism (js/confirm.js + ConfirmTagHelper) under the product's own CSP: 停用 asks in a dialog,
/// 取消 does nothing, 停用 retires, 撤销 puts the device back (issue 11); without JavaScript a required checkbox stands in.
/// </summary>
public sealed class ConfirmTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<(Guid Id, string Code)> DeviceAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var (key, _) = ApiKey.Create("确认测试平台", "410325", null, now);
        db.ApiKeys.Add(key);
        var code = $"CF-{Guid.NewGuid():N}"[..14];
        var device = Device.Register(new Device.Spec(DeviceKind.Camera, code, "确认测试摄像头", key.Id, "410325100", null, null, null,
            112.05, 34.13, null, null, 0), now);
        db.Add(device);
        await db.SaveChangesAsync();
        return (device.Id, code);
    }

    private async Task<DateTime?> RetiredAsync(Guid id)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        return await db.Devices().Where(d => d.Id == id).Select(d => d.RetiredUtc).SingleAsync();
    }

    [BrowserFact]
    public async Task Retiring_a_device_asks_first_cancel_does_nothing_confirm_retires_and_undo_restores()
    {
        var (id, code) = await DeviceAsync();
        var page = await app.NewPageAsync();
        // window.confirm must not be what asks (the CSP blocks the inline handler that used it).
        var problems = page.WatchProblems(Watch.Errors | Watch.Console | Watch.Dialogs);
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync(new() { Timeout = 60_000 });
        await page.GotoAsync(app.BaseUrl + "/devices");
        var row = page.Locator($"#devices tr[data-id='{id}']");

        await row.Locator("button.retire").ClickAsync();
        var dialog = page.Locator("#confirm-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("#confirm-text")).ToContainTextAsync(code);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "confirm-retire.png") });
        await dialog.Locator("#confirm-cancel").ClickAsync();
        await Assertions.Expect(dialog).Not.ToBeVisibleAsync();
        Assert.Null(await RetiredAsync(id));

        await row.Locator("button.retire").ClickAsync();
        await Assertions.Expect(dialog.Locator("#confirm-ok")).ToHaveTextAsync("停用");
        await dialog.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已停用设备");
        Assert.NotNull(await RetiredAsync(id));
        await Assertions.Expect(page.Locator($"#devices tr[data-id='{id}']")).ToContainTextAsync("已停用");

        await page.Locator("#undo").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已恢复使用设备");
        Assert.Null(await RetiredAsync(id));
        await Assertions.Expect(page.Locator($"#devices tr[data-id='{id}'] button.retire")).ToBeVisibleAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task Without_javascript_retiring_needs_the_confirmation_checkbox()
    {
        var (id, _) = await DeviceAsync();
        var context = await app.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync(new() { Timeout = 60_000 });
        await page.GotoAsync(app.BaseUrl + "/devices");
        var row = page.Locator($"#devices tr[data-id='{id}']");
        var box = row.Locator("input[name=confirmed]");
        await Assertions.Expect(box).ToBeVisibleAsync();
        // The browser refuses to send the form until the box is ticked.
        await row.Locator("button.retire").ClickAsync();
        await page.WaitForTimeoutAsync(500);
        Assert.Null(await RetiredAsync(id));
        await box.CheckAsync();
        await row.Locator("button.retire").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已停用设备");
        Assert.NotNull(await RetiredAsync(id));
        await context.CloseAsync();
    }
}
