using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Patrols;

namespace MineGuard.BrowserTests;

/// <summary>
/// The field app on a phone-sized Chromium with GPS and camera emulated: it loads, the network is cut, a patrol runs with
/// two check-ins (one at the adit, one claimed at an adit 2 km away), the network comes back and both arrive once.
/// </summary>
public sealed class FieldAppTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    // 陶村林场, inside 嵩县; B is 2 km north of A.
    private const double ALat = 34.0000, ALon = 112.0200, BLat = 34.0180;

    [BrowserFact]
    public async Task A_patrol_recorded_offline_arrives_once_with_the_genuine_check_in_verified_and_the_distant_one_not()
    {
        var (a, b) = await SeedAsync();
        var context = await app.NewContextAsync(new()
        {
            Locale = "zh-CN", ViewportSize = new() { Width = 400, Height = 800 }, IsMobile = true, HasTouch = true,
            Permissions = ["geolocation", "camera"], Geolocation = new() { Latitude = (float)(ALat - 0.0027), Longitude = (float)ALon, Accuracy = 8 },
            ServiceWorkers = ServiceWorkerPolicy.Allow,
        });
        var page = await context.NewPageAsync();
        // The phone's clock starts three minutes back and runs on by itself; the walk below jumps it forward as a walk of
        // a few minutes would, so the track approaches the adit from 300 m at a walker's pace and the clock ends near the
        // server's (within the rules' tolerance).
        await page.Clock.InstallAsync(new() { TimeDate = DateTime.UtcNow.AddMinutes(-3) });
        // Every question is asked in the page (js/confirm.js), never by window.confirm.
        var problems = page.WatchProblems(Watch.Errors | Watch.Dialogs);

        // Log in once; the app downloads the bundle and its service worker keeps the shell.
        await page.GotoAsync(app.BaseUrl + "/field");
        await page.GetByLabel("用户名").FillAsync("sx-patrol");
        await page.GetByLabel("密码").FillAsync(MineGuard.Features.Demo.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await LoggedInAsync(page);
        await Assertions.Expect(page.Locator("#bundle-info")).ToContainTextAsync("已下载");
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");

        // No signal from here on: the app must open from the phone alone.
        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator("body[data-ready='true']").WaitForAsync();
        await Assertions.Expect(page.Locator("#net")).ToHaveTextAsync("离线");
        await page.Locator("#plan").SelectOptionAsync("");
        await page.Locator("#start").ClickAsync();
        await page.Locator("#patrol:not([hidden])").WaitForAsync();

        // Walk 300 m north to adit A (the approach the rules ask for), a fix every 20–30 s of the phone's clock.
        for (var i = 1; i <= 10; i++)
        {
            await page.Clock.FastForwardAsync((19 + (i * 7 % 11)) * 1000);
            await context.SetGeolocationAsync(new() { Latitude = (float)(ALat - 0.0027 + i * 0.00027), Longitude = (float)(ALon + (i % 3) * 0.00002), Accuracy = 6 + i % 4 });
            await page.WaitForTimeoutAsync(300);
        }

        await Assertions.Expect(page.Locator("#points")).Not.ToHaveTextAsync("0");
        await FieldAppSteps.CheckInAsync(page, a.Id, videoSeconds: 0.5, expectNear: true);
        // Still standing at A, the member claims a check-in at B.
        await FieldAppSteps.CheckInAsync(page, b.Id, videoSeconds: 2.0, expectNear: false);
        await page.Locator("#end").ClickAsync();
        await page.Locator("#confirm-dialog #confirm-ok").ClickAsync();
        await page.Locator("#home:not([hidden])").WaitForAsync();

        await page.Locator("#go-queue").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#queue-list li[data-kind]').length >= 7", null, new() { Timeout = 10_000 });
        var waiting = await page.Locator("#queue-list li[data-kind]").CountAsync();
        Assert.True(waiting >= 7, $"expected the patrol, track, two check-ins, two photos and the end waiting; saw {waiting}");
        Assert.Contains("签到", await page.Locator("#queue-list").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "field-queue-offline.png"), FullPage = true });

        // Signal again: the queue empties by itself, the check-ins, their photos and the track in one request (POST
        // /api/field/sync), not one request each.
        var sent = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/field/", StringComparison.Ordinal)) sent.Enqueue($"{r.Method} {new Uri(r.Url).AbsolutePath}");
        };
        await context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        Assert.Contains("POST /api/field/sync", sent);
        Assert.DoesNotContain(sent, s => s.StartsWith("PUT /api/field/check-ins/", StringComparison.Ordinal)
            || s.StartsWith("PUT /api/field/photos/", StringComparison.Ordinal) || s.Contains("/track", StringComparison.Ordinal));

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var checkIns = await db.Set<CheckIn>().Where(c => c.AditId == a.Id || c.AditId == b.Id).ToListAsync();
        Assert.Equal(2, checkIns.Count);
        var genuine = checkIns.Single(c => c.AditId == a.Id);
        var distant = checkIns.Single(c => c.AditId == b.Id);
        Assert.Equal(genuine.PatrolId, distant.PatrolId);
        Assert.Equal(1, await db.Set<Patrol>().CountAsync(p => p.Id == genuine.PatrolId && p.EndedUtc != null));
        Assert.Equal(2, await db.Set<CheckInPhoto>().CountAsync(p => p.CheckInId == genuine.Id || p.CheckInId == distant.Id));
        // The app's own captures, signed with the patrol's key (the canvas capture has no EXIF position: it counts signed).
        Assert.NotNull(await db.Set<Patrol>().Where(p => p.Id == genuine.PatrolId).Select(p => p.CaptureKey).SingleAsync());
        Assert.Equal(2, await db.Set<CheckInPhoto>().CountAsync(p => (p.CheckInId == genuine.Id || p.CheckInId == distant.Id) && p.AppCaptured));
        Assert.True(genuine.Verified, genuine.Reasons);
        Assert.Null(genuine.Flags);
        Assert.False(distant.Verified);
        Assert.Contains("签到定位距矿硐 20", distant.Reasons, StringComparison.Ordinal);

        // The member sees the outcome on the phone.
        await page.Locator(".back >> visible=true").ClickAsync();
        await page.Locator("#go-history").ClickAsync();
        await Assertions.Expect(page.Locator($"li[data-checkin='{genuine.Id}'] .state")).ToHaveTextAsync("已核验到位", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator($"li[data-checkin='{distant.Id}'] .state")).ToHaveTextAsync("未核验");
        await Assertions.Expect(page.Locator($"li[data-checkin='{distant.Id}'] .reason").First).ToContainTextAsync("签到定位距矿硐");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "field-history.png"), FullPage = true });
        Assert.Empty(problems);
    }

    /// <summary>
    /// Back on /field after the log-in form. The address is polled rather than awaited as a navigation: waiting for the
    /// page's load event timed out twice on a loaded machine while the app itself had started (photos being cached).
    /// </summary>
    private async Task LoggedInAsync(IPage page)
    {
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/field", new() { Timeout = 60_000 });
        await page.Locator("body[data-ready='true']").WaitForAsync();
    }

    [BrowserFact]
    public async Task Answering_无_everywhere_records_no_problem_and_a_problem_is_confirmed_in_the_page_before_it_is_sent()
    {
        var (a, b) = await SeedAsync(sealA: true, lon: ALon + 0.012);
        var context = await app.NewContextAsync(new()
        {
            Locale = "zh-CN", ViewportSize = new() { Width = 400, Height = 800 }, IsMobile = true, HasTouch = true,
            // Beside its own adits (never the other test's spot: identical coordinates are flagged as suspicious).
            Permissions = ["geolocation", "camera"], Geolocation = new() { Latitude = (float)(ALat + 0.00013), Longitude = (float)(ALon + 0.012), Accuracy = 8 },
        });
        var page = await context.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Dialogs);
        await page.GotoAsync(app.BaseUrl + "/field");
        await page.GetByLabel("用户名").FillAsync("sx-patrol");
        await page.GetByLabel("密码").FillAsync(MineGuard.Features.Demo.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await LoggedInAsync(page);
        // Download again (the adits seeded for this test): the button is busy until the new bundle is in, and starting a
        // patrol waits for it (a plan chosen on the old bundle once hid this test's adits on a slow machine).
        await page.Locator("#download").ClickAsync();
        await Assertions.Expect(page.Locator("#download")).ToBeEnabledAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#bundle-info")).ToContainTextAsync("已下载");
        await page.Locator("#plan").SelectOptionAsync("");
        await page.Locator("#start").ClickAsync();
        await page.Locator("#patrol:not([hidden])").WaitForAsync();
        // The list shows the nearest adits once the phone has a fix.
        await Assertions.Expect(page.Locator("#fix")).ToContainTextAsync("米", new() { Timeout = 60_000 });
        await page.Locator($"button[data-adit='{a.Id}']").WaitForAsync(new() { Timeout = 60_000 });

        // The sealed adit: eight checks, the seal first, each with 无 and 有; 无 everywhere sends without a question.
        await page.Locator($"button[data-adit='{a.Id}']").ClickAsync();
        await page.Locator("#checkin:not([hidden])").WaitForAsync();
        var questions = page.Locator("#questions .q");
        await Assertions.Expect(questions).ToHaveCountAsync(8);
        await Assertions.Expect(questions.First.Locator(".text")).ToContainTextAsync("封堵被破坏");
        await Assertions.Expect(page.Locator("#questions-hint")).ToContainTextAsync("没有这种情况点“无”");
        for (var i = 0; i < 8; i++)
        {
            await Assertions.Expect(questions.Nth(i).Locator("button")).ToHaveTextAsync(["无", "有"]);
            await questions.Nth(i).Locator("button.no").ClickAsync();
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "field-checks-no-problem.png"), FullPage = true });
        // No photo here (the emulated camera's frames would match the other test's photos): the app asks about that,
        // in the page, and about nothing else.
        var dialog = page.Locator("#confirm-dialog");
        await page.Locator("#ci-submit").ClickAsync();
        await Assertions.Expect(dialog.Locator("#confirm-text")).ToContainTextAsync("没有拍照");
        await dialog.Locator("#confirm-ok").ClickAsync();
        await page.Locator("#patrol:not([hidden])").WaitForAsync();
        await Assertions.Expect(dialog).Not.ToBeVisibleAsync();

        // The unsealed adit: no seal to ask about. 有 for digging asks first; 取消 stays on the form, 确认上报 sends.
        await page.Locator($"button[data-adit='{b.Id}']").ClickAsync();
        await page.Locator("#checkin:not([hidden])").WaitForAsync();
        await Assertions.Expect(questions).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("#questions")).Not.ToContainTextAsync("封堵");
        for (var i = 0; i < 7; i++) await questions.Nth(i).Locator(i == 0 ? "button.yes" : "button.no").ClickAsync();
        await page.Locator("#ci-submit").ClickAsync();
        await Assertions.Expect(dialog.Locator("#confirm-text")).ToContainTextAsync("没有拍照");
        await dialog.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(dialog.Locator("#confirm-text")).ToContainTextAsync("新开挖痕迹");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "field-confirm-finding.png") });
        await dialog.Locator("#confirm-cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#checkin")).ToBeVisibleAsync();
        await page.Locator("#ci-submit").ClickAsync();
        await Assertions.Expect(dialog.Locator("#confirm-text")).ToContainTextAsync("没有拍照");
        await dialog.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(dialog.Locator("#confirm-text")).ToContainTextAsync("新开挖痕迹");
        await dialog.Locator("#confirm-ok").ClickAsync();
        await page.Locator("#patrol:not([hidden])").WaitForAsync();
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 30_000 });

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        // The patrol goes on: the server judges its check-ins (and opens the finding's assignment) a few seconds after the
        // phone's last upload (PatrolJudgeJob), as the member's 核验中 says meanwhile.
        for (var waited = 0; waited < 20_000; waited += 250)
        {
            if (await db.Set<CheckIn>().AsNoTracking().CountAsync(c => (c.AditId == a.Id || c.AditId == b.Id) && c.EvaluatedUtc != null) == 2) break;
            await Task.Delay(250);
        }

        var atA = await db.Set<CheckIn>().SingleAsync(c => c.AditId == a.Id);
        Assert.Equal([false, false, false, false, false, false, false, false], atA.Answers.ProblemsPresent.Select(p => p!.Value));
        Assert.Null(atA.AssignmentId);
        Assert.False(atA.BreachRecorded);
        Assert.Equal(SealState.Sealed, await db.Adits().Where(x => x.Id == a.Id).Select(x => x.State).SingleAsync());
        Assert.Equal(0, await db.Set<MineGuard.Platform.Notifications.SmsMessage>().CountAsync(m => m.SourceId == atA.Id));
        var atB = await db.Set<CheckIn>().SingleAsync(c => c.AditId == b.Id);
        Assert.Null(atB.SealIntact);
        Assert.True(atB.FreshDigging);
        Assert.NotNull(atB.AssignmentId);
        Assert.Empty(problems);
        await context.CloseAsync();
        // Same member, same minutes, 1 km from the other test's adits: leave no check-ins that would flag its
        // check-ins as an impossible hop.
        await db.Set<CheckIn>().Where(c => c.AditId == a.Id || c.AditId == b.Id).ExecuteDeleteAsync();
    }

    private async Task<((Guid Id, string Number) A, (Guid Id, string Number) B)> SeedAsync(bool sealA = false, double lon = ALon)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var commands = scope.ServiceProvider.GetRequiredService<AditCommands>();
        async Task<(Guid, string)> Create(double lat)
        {
            var (adit, errors) = await commands.RegisterAsync(new AditInput
            {
                Name = "浏览器测试硐", County = "410325", Township = "陶村林场", Lon = lon.ToString("F5"), Lat = lat.ToString("F5"), Mineral = "金", Origin = "盗采点",
            }, CancellationToken.None);
            Assert.True(adit is not null, string.Join("；", errors.SelectMany(e => e.Value)));
            return (adit!.Id, adit.Number);
        }

        var a = await Create(ALat);
        if (sealA)
        {
            var adit = await db.Adits().SingleAsync(x => x.Id == a.Item1);
            var (_, errors) = await commands.SealAsync(adit, new SealInput(DateTime.UtcNow.AddHours(8).AddDays(-10).ToString("yyyy-MM-dd"), "浆砌石", null, "施工队", null, null),
                CancellationToken.None);
            Assert.True(errors.Ok, string.Join("；", errors.SelectMany(e => e.Value)));
        }

        return (a, await Create(BLat));
    }
}
