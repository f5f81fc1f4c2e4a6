using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// Issue 11: 修改密码 from the user menu (the change, the message, the new password at the next log-in), and the print
/// layout of a detail page (打印 prints; on paper no menu, no buttons, the record itself).
/// </summary>
public sealed class AccountAndPrintTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string First = "steady rain over hills";
    private const string Second = "quiet river at dawn 7";

    private async Task<string> NewUserAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var name = "pw" + Guid.NewGuid().ToString("N")[..10];
        var user = new AppUser
        {
            UserName = name, DisplayName = "改密测试", DivisionCode = "410325", DepartmentCode = "natural-resources",
            CreatedUtc = db.Clock.GetUtcNow().UtcDateTime,
        };
        Assert.True((await users.CreateAsync(user, First)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Patrol)).Succeeded);
        return name;
    }

    private async Task LoginAsync(IPage page, string name, string password)
    {
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.Locator("#UserName").FillAsync(name);
        await page.Locator("#Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    [BrowserFact]
    public async Task A_user_changes_their_password_from_the_user_menu_and_logs_in_with_the_new_one()
    {
        var name = await NewUserAsync();
        var page = await app.NewPageAsync();
        await LoginAsync(page, name, First);
        await page.Locator("#password-link").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("修改密码");

        // A mismatch is shown beside the confirmation, and nothing typed elsewhere decides anything.
        await page.Locator("#CurrentPassword").FillAsync(First);
        await page.Locator("#NewPassword").FillAsync(Second);
        await page.Locator("#ConfirmPassword").FillAsync(Second + "x");
        await page.Locator("#password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for=ConfirmPassword]")).ToHaveTextAsync("两次输入的新密码不一致");

        await page.Locator("#CurrentPassword").FillAsync(First);
        await page.Locator("#NewPassword").FillAsync(Second);
        await page.Locator("#ConfirmPassword").FillAsync(Second);
        await page.Locator("#password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#password-changed")).ToContainTextAsync("密码已修改");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "password-changed.png") });
        // Still signed in on this browser.
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("改密测试");

        var other = await app.NewPageAsync();
        await LoginAsync(other, name, First);
        await Assertions.Expect(other.Locator(".validation-summary-errors, [role=alert]").First).ToContainTextAsync("用户名或密码不正确");
        await LoginAsync(other, name, Second);
        await Assertions.Expect(other.Locator("#who")).ToHaveTextAsync("改密测试");
    }

    [BrowserFact]
    public async Task A_detail_page_prints_without_menu_or_buttons()
    {
        Guid id;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            var (lon, lat) = Spots.Songxian();
            var adit = Adit.Register(Spots.Unique("PR-"), new Adit.Place("410325", "410325400", null, null), lon, lat,
                new Adit.Details("打印测试硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), db.Clock.GetUtcNow().UtcDateTime);
            db.Add(adit);
            await db.SaveChangesAsync();
            id = adit.Id;
        }
        var page = await app.NewPageAsync();
        // The browser's print dialog is replaced by a flag (Playwright's init script is not bound by the page's CSP).
        await page.AddInitScriptAsync("window.print = () => { window.__printed = (window.__printed || 0) + 1; };");
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync(new() { Timeout = 60_000 });
        await page.GotoAsync($"{app.BaseUrl}/adits/{id}");
        var print = page.Locator("[data-print]");
        await Assertions.Expect(print).ToBeVisibleAsync();
        await print.ClickAsync();
        await page.WaitForFunctionAsync("() => window.__printed === 1");

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("#main-menu")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("header.topbar")).ToBeHiddenAsync();
        await Assertions.Expect(print).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("打印测试硐");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "adit-print.png"), FullPage = true });

        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Assertions.Expect(page.Locator("#main-menu")).ToBeVisibleAsync();
    }
}
