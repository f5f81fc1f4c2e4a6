using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Sweeps;
using MineGuard.Platform.Excel;
using MineGuard.Platform.People;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// The sweep's path (issue 17): the office opens a sweep; a patrol member inspects a coal yard with the field app while
/// the phone has no signal, and the inspection arrives once when it comes back; the office sees the area reported, lists
/// the problem for rectification, reports it done with a photo, a second person closes it (销号) and the ledger exports.
/// </summary>
public sealed class SweepPathTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        return await work(db);
    }

    private static FilePayload Photo(string name) => new() { Name = name, MimeType = "image/jpeg", Buffer = ExifJpeg.Plain() };

    [BrowserFact]
    public async Task A_sweep_inspected_offline_in_the_field_app_is_rectified_closed_by_a_second_person_and_exported()
    {
        var mark = "B" + Guid.NewGuid().ToString("N")[..6];
        var problems = new List<string>();
        var office = await app.NewPageAsync();
        office.WatchProblems(Watch.Errors | Watch.Responses, problems);
        await app.LoginAsync(office, "sx-office");
        var today = DateTime.UtcNow.AddHours(8);
        var created = await office.APIRequest.PostAsync($"{app.BaseUrl}/api/sweeps", new()
        {
            DataObject = new
            {
                name = $"{mark} 煤场专项排查", from = today.AddDays(-1).ToString("yyyy-MM-dd"), to = today.AddDays(20).ToString("yyyy-MM-dd"),
                areas = new object[] { new { code = "410325400", assignees = "陶村林场巡查队" } },
            },
        });
        Assert.True(created.Ok, await created.TextAsync());
        var sweepId = JsonSerializer.Deserialize<JsonElement>(await created.TextAsync()).GetProperty("id").GetGuid();
        await office.GotoAsync($"{app.BaseUrl}/sweeps/{sweepId}");
        await Assertions.Expect(office.Locator("#unreported")).ToContainTextAsync("陶村林场");

        // The patrol member's phone: logged in and downloaded once, then no signal.
        var context = await app.NewContextAsync(new()
        {
            Locale = "zh-CN", ViewportSize = new() { Width = 400, Height = 800 }, IsMobile = true, HasTouch = true, ServiceWorkers = ServiceWorkerPolicy.Allow,
        });
        var phone = await context.NewPageAsync();
        var phoneProblems = phone.WatchProblems(Watch.Errors | Watch.Dialogs);
        await phone.GotoAsync(app.BaseUrl + "/field");
        await phone.GetByLabel("用户名").FillAsync("sx-patrol");
        await phone.GetByLabel("密码").FillAsync(MineGuard.Features.Demo.DemoData.Password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(phone).ToHaveURLAsync(app.BaseUrl + "/field", new() { Timeout = 60_000 });
        await phone.Locator("body[data-ready='true']").WaitForAsync();
        await phone.Locator("#download").ClickAsync();
        await Assertions.Expect(phone.Locator("#download")).ToHaveTextAsync("下载 / 更新巡查数据");
        await phone.EvaluateAsync("() => navigator.serviceWorker.ready");

        await context.SetOfflineAsync(true);
        await phone.ReloadAsync();
        await phone.Locator("body[data-ready='true']").WaitForAsync();
        await phone.Locator("#go-inspect").ClickAsync();
        await phone.Locator("#inspect:not([hidden])").WaitForAsync();
        await phone.Locator("#in-sweep").SelectOptionAsync(sweepId.ToString());
        await phone.Locator("#in-kind").SelectOptionAsync("coal-yard");
        await phone.Locator("#in-area").SelectOptionAsync("410325400");
        await phone.Locator("#in-place").FillAsync($"{mark} 河滩煤场");
        await phone.Locator("#in-questions .q[data-key='spoil'] button.yes").ClickAsync();
        await phone.Locator("#in-problem").FillAsync($"{mark} 无证堆放矿石约 30 吨");
        await phone.Locator("#in-class").SelectOptionAsync("transport");
        await phone.Locator("#in-add").ClickAsync();
        await Assertions.Expect(phone.Locator("#in-problems li")).ToHaveCountAsync(1);
        await phone.Locator("#in-signer").FillAsync("李强");
        await phone.Locator("#in-photo").SetInputFilesAsync(Photo("煤场.jpg"));
        await Assertions.Expect(phone.Locator("#in-thumbs img")).ToHaveCountAsync(1);
        await phone.Locator("#in-submit").ClickAsync();
        await phone.Locator("#home:not([hidden])").WaitForAsync();
        await phone.Locator("#go-queue").ClickAsync();
        await Assertions.Expect(phone.Locator("#queue-list li[data-kind='inspection']")).ToHaveCountAsync(1);
        await Assertions.Expect(phone.Locator("#queue-list li[data-kind='inspection-photo']")).ToHaveCountAsync(1);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "field-inspection-offline.png"), FullPage = true });

        // Signal again: sent once, even when the outbox sends it a second time.
        await context.SetOfflineAsync(false);
        await Assertions.Expect(phone.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        var inspectionId = await DbAsync(db => db.Set<Inspection>().Where(i => i.SweepId == sweepId).Select(i => i.Id).SingleAsync());
        // Its photo, queued after it in the same outbox, is on it once.
        Assert.Equal(1, await DbAsync(db => db.Set<MineGuard.Features.Assignments.EvidenceFile>()
            .CountAsync(f => f.SubjectType == Inspection.FileSubject && f.SubjectId == inspectionId && f.ClientId != null)));
        Assert.Empty(phoneProblems);
        await context.CloseAsync();

        // The office: the area reported, the problem in the ledger, listed for rectification.
        await office.GotoAsync($"{app.BaseUrl}/sweeps/{sweepId}");
        await Assertions.Expect(office.Locator("#unreported")).ToContainTextAsync("各区域均已上报");
        await office.GotoAsync($"{app.BaseUrl}/rectifications/problems?q={mark}");
        await office.Locator("#ledger tbody a").ClickAsync();
        var cadre = await DbAsync(async db =>
        {
            var phoneNumber = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            db.Add(Person.Create("410325400", "整改干部" + mark[..4], phoneNumber, "陶村林场", "包村干部", null, null, db.Clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync();
            return phoneNumber;
        });
        await office.Locator("#requirement").FillAsync("清运矿石，恢复原状");
        await office.Locator("#measures").FillAsync("没收清运");
        await office.Locator("#unit").FillAsync("陶村林场");
        await office.Locator("#responsible-person").FillAsync(cadre);
        await office.Locator("#due").FillAsync(today.AddDays(10).ToString("yyyy-MM-dd"));
        await office.Locator("#rectify-button").ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToHaveTextAsync("已列入整改台账");
        await Assertions.Expect(office.Locator("#status")).ToHaveTextAsync("整改中");
        var problemUrl = office.Url.Split('?')[0];

        // Reported done with a photo; the one who reported cannot close it; a second person does.
        await office.Locator("#completion-text").FillAsync("矿石已全部清运，场地已平整");
        await office.Locator("#complete-photos").SetInputFilesAsync(Photo("清运后.jpg"));
        await office.Locator("#complete-button").ClickAsync();
        await Assertions.Expect(office.Locator("#status")).ToHaveTextAsync("待验收");
        await office.Locator("#resolution-text").FillAsync("同意");
        await office.Locator("#verify-button").ClickAsync();
        await Assertions.Expect(office.Locator("#problem")).ToBeVisibleAsync();
        await Assertions.Expect(office.Locator("#status")).ToHaveTextAsync("待验收");

        var second = await app.NewPageAsync();
        await app.LoginAsync(second, "sx-admin");
        await second.GotoAsync(problemUrl);
        await second.Locator("#resolution-text").FillAsync("现场核验到位，同意销号");
        await second.Locator("#verify-button").ClickAsync();
        await Assertions.Expect(second.Locator("#status")).ToHaveTextAsync("已销号");
        await Assertions.Expect(second.Locator("#closed")).ToContainTextAsync("系统管理员");
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "rectification-closed.png"), FullPage = true });

        // The rectification ledger in the upward layout.
        await office.GotoAsync($"{app.BaseUrl}/rectifications?q={mark}");
        await Assertions.Expect(office.Locator("#ledger tbody tr")).ToHaveCountAsync(1);
        var download = await office.RunAndWaitForDownloadAsync(() => office.Locator("#export").ClickAsync(), new() { Timeout = 60_000 });
        Assert.StartsWith("整改台账", download.SuggestedFilename);
        var path = Path.Combine(BrowserApp.Artifacts, $"rectifications-{mark}.xlsx");
        await download.SaveAsAsync(path);
        await using var file = File.OpenRead(path);
        var rows = SheetReader.Read(file, "export.xlsx").ToList();
        Assert.Equal("问题描述", rows[0].Cell(1));
        var row = Assert.Single(rows.Skip(1));
        Assert.Contains(mark, row.Cell(1), StringComparison.Ordinal);
        Assert.Contains("已销号", row.Cell(9), StringComparison.Ordinal);
        Assert.Contains("系统管理员", row.Cell(10), StringComparison.Ordinal);
        Assert.Empty(problems);
    }
}
