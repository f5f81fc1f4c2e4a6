using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Clues;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// The office's path through the clue and assignment pages (issue 12): a confirmed alert, a patrol finding and a hotline
/// tip at one adit arrive from outside (over HTTP, as a sensor, a patrol member's phone and the hotline would send them);
/// everything after that is done in the pages as a person clicks.
/// </summary>
public sealed class CluePathTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly object SealBroken = new
    {
        sealBroken = true, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false,
    };

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        return await work(db);
    }

    /// <summary>A sealed adit of 陶村林场 at a spot of its own, with a camera sending through a new integration key.</summary>
    private Task<(Guid Id, string Number, double Lat, double Lon, string Key, string Camera)> SealedAditWithCameraAsync() => DbAsync(async db =>
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var (lon, lat) = Spots.Songxian();
        var adit = Adit.Register(Spots.Unique("XS-"), new Adit.Place("410325", "410325400", null, null), lon, lat,
            new Adit.Details("线索测试硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
        adit.Seal(new Adit.SealWork(DateOnly.FromDateTime(ChinaTime.ToLocal(now)).AddDays(-20), SealMethod.Concrete, null, "施工队", null, null), null, now);
        db.Add(adit);
        var (key, plain) = ApiKey.Create(Spots.Unique("线索测试平台"), "410325", null, now);
        db.ApiKeys.Add(key);
        var camera = Spots.Unique("CLUE-CAM-");
        db.Add(Device.Register(new Device.Spec(DeviceKind.Camera, camera, "线索测试摄像头", key.Id, adit.DivisionCode, adit.Id, null, null,
            adit.Lon, adit.Lat, null, null, 30), now));
        await db.SaveChangesAsync();
        return (adit.Id, adit.Number, adit.Lat, adit.Lon, plain, camera);
    });

    /// <summary>A township cadre who has no account: a person record with a phone, nothing else.</summary>
    private Task<(Guid Id, string Name, string Phone, string Label)> CadreAsync() => DbAsync(async db =>
    {
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = "核查干部" + Guid.NewGuid().ToString("N")[..4];
        var p = Person.Create("410325400", name, phone, "陶村林场", "包村干部", null, null, db.Clock.GetUtcNow().UtcDateTime);
        db.Add(p);
        await db.SaveChangesAsync();
        return (p.Id, name, phone, $"{name}（陶村林场 包村干部）");
    });

    private static async Task<JsonElement> OkAsync(Task<IAPIResponse> call)
    {
        var r = await call;
        var body = await r.TextAsync();
        Assert.True(r.Ok, $"{r.Status} {r.Url}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>The camera sees a person at the adit; the alert is routed and the office confirms it (a clue opens).</summary>
    private async Task ConfirmedAlertAsync(IPage office, Guid aditId, string key, string camera)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var posted = await http.PostAsJsonAsync("/api/ingest/events", new
        {
            events = new[] { new { id = Guid.NewGuid().ToString("N"), type = EventTypes.Camera, deviceId = camera, occurredAt = DateTimeOffset.Now.ToString("o"), subject = "person" } },
        });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        // The hosted loop routes events on its own; running a round here only saves waiting for its next tick.
        Guid? alertId = null;
        for (var round = 0; round < 20 && alertId is null; round++)
        {
            await app.Services.GetRequiredService<AlertJobs>().RunOnceAsync(CancellationToken.None);
            alertId = await DbAsync(db => db.Alerts().Where(a => a.AditId == aditId).Select(a => (Guid?)a.Id).FirstOrDefaultAsync());
        }
        Assert.NotNull(alertId);
        await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/alerts/{alertId}/close", new() { DataObject = new { outcome = "confirmed", note = "洞口有人" } }));
    }

    /// <summary>A patrol member's phone sends a check-in at the adit: the seal is broken (a finding opens a clue).</summary>
    private async Task PatrolFindingAsync((Guid Id, double Lat, double Lon) adit)
    {
        var context = await app.NewContextAsync(new() { Locale = "zh-CN" });
        var phone = await context.NewPageAsync();
        await app.LoginAsync(phone, "sx-patrol");
        var teamId = await DbAsync(db => db.Set<PatrolTeam>().Where(t => t.Name == "陶村林场巡查队").Select(t => t.Id).SingleAsync());
        var (patrolId, checkInId) = (Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        var headers = new Dictionary<string, string> { ["X-Device-Time"] = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await OkAsync(phone.APIRequest.PutAsync($"{app.BaseUrl}/api/field/patrols/{patrolId}", new()
        {
            Headers = headers, DataObject = new { teamId, startedAt = now.AddMinutes(-30).ToString("o") },
        }));
        await OkAsync(phone.APIRequest.PutAsync($"{app.BaseUrl}/api/field/check-ins/{checkInId}", new()
        {
            Headers = headers,
            DataObject = new { patrolId, aditId = adit.Id, at = now.AddMinutes(-5).ToString("o"), lat = adit.Lat, lon = adit.Lon, accuracy = 8.0, answers = SealBroken, answerFormat = 2 },
        }));
        await context.CloseAsync();
        // The patrol goes on: the server judges the check-in (and the finding opens its clue) a few seconds after the
        // phone's last upload (PatrolJudgeJob).
        for (var waited = 0; waited < 20_000; waited += 250)
        {
            if (await DbAsync(db => db.Set<CheckIn>().AsNoTracking().AnyAsync(c => c.Id == checkInId && c.EvaluatedUtc != null))) break;
            await Task.Delay(250);
        }
    }

    /// <summary>A villager calls the hotline; the office records the tip, names the adit and triages it (a clue opens).</summary>
    private async Task HotlineTipAsync(IPage office, string aditNumber)
    {
        var tip = await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/tips", new()
        {
            DataObject = new { channel = "Phone", divisionCode = "410325400", kinds = new[] { "digging" }, description = $"热线：{aditNumber} 附近夜里有人挖矿" },
        }));
        var tipId = tip.GetProperty("tip").GetProperty("id").GetGuid();
        await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/tips/{tipId}/adit", new() { DataObject = new { aditNumber } }));
        await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/tips/{tipId}/triage", new() { DataObject = new { note = "值得核查" } }));
    }

    private static FilePayload Photo(string name) => new() { Name = name, MimeType = "image/jpeg", Buffer = ExifJpeg.Plain() };

    [BrowserFact]
    public async Task Office_merges_three_sources_has_a_cadre_without_account_verify_and_closes_the_clue_through_a_verified_assignment()
    {
        var problems = new List<string>();
        var office = await app.NewPageAsync();
        office.WatchProblems(Watch.Errors | Watch.Responses, problems);
        await app.LoginAsync(office, "sx-office");

        // Three sources at one adit arrive from outside.
        var adit = await SealedAditWithCameraAsync();
        await ConfirmedAlertAsync(office, adit.Id, adit.Key, adit.Camera);
        await PatrolFindingAsync((adit.Id, adit.Lat, adit.Lon));
        await HotlineTipAsync(office, adit.Number);
        var cadre = await CadreAsync();

        // The office finds three clues at the adit on the list, each marked as a probable duplicate, and opens the alert's.
        await office.GotoAsync(app.BaseUrl + "/clues");
        var rows = office.Locator("#clues tbody tr", new() { HasText = adit.Number });
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Filter(new() { HasText = "可能重复" })).ToHaveCountAsync(3);
        await rows.Filter(new() { HasText = "监控预警" }).GetByRole(AriaRole.Link).First.ClickAsync();

        // The two others are proposed as duplicates (same adit); the office merges both into this clue.
        var sameAdit = office.Locator("#duplicates li", new() { HasText = "同一矿硐" });
        await Assertions.Expect(sameAdit).ToHaveCountAsync(2);
        await Assertions.Expect(sameAdit.Filter(new() { HasText = "巡查发现" })).ToHaveCountAsync(1);
        await Assertions.Expect(sameAdit.Filter(new() { HasText = "群众举报" })).ToHaveCountAsync(1);
        var clueUrl = office.Url;
        await sameAdit.First.GetByRole(AriaRole.Button, new() { Name = "合并到本线索" }).ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("已合并");
        Assert.StartsWith(clueUrl, office.Url, StringComparison.Ordinal);
        await Assertions.Expect(sameAdit).ToHaveCountAsync(1);
        await sameAdit.First.GetByRole(AriaRole.Button, new() { Name = "合并到本线索" }).ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("已合并");
        await Assertions.Expect(sameAdit).ToHaveCountAsync(0);
        await Assertions.Expect(office.Locator("#sources li")).ToHaveCountAsync(3);
        foreach (var type in new[] { "监控预警", "巡查发现", "群众举报" })
            await Assertions.Expect(office.Locator("#sources li", new() { HasText = type })).ToHaveCountAsync(1);
        var clueId = Guid.Parse(new Uri(office.Url).AbsolutePath.Split('/').Last());

        // Assigning without choosing anyone is refused beside the field; then the cadre without an account is looked up and chosen.
        await office.Locator("#assign-button").ClickAsync();
        await Assertions.Expect(office.Locator("[data-for=VerifierPersonId]")).ToContainTextAsync("请选择核查人");
        await office.Locator("#find-who").FillAsync(cadre.Name);
        await office.Locator("#find-people").GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        await Assertions.Expect(office.Locator("#people-found")).ToContainTextAsync("找到 1 人");
        await Assertions.Expect(office.Locator("#verifier-person option")).ToHaveCountAsync(2);
        await office.Locator("#verifier-person").SelectOptionAsync(new SelectOptionValue { Label = cadre.Label });
        await office.Locator("#assign-button").ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("已指定核查人");
        await Assertions.Expect(office.Locator("#state")).ToHaveTextAsync("核查中");
        await Assertions.Expect(office.Locator("#verifier")).ToContainTextAsync(cadre.Name);
        var verifyBy = DateOnly.FromDateTime(ChinaTime.ToLocal(DateTime.UtcNow)).AddDays(ClueDesk.DefaultVerifyDays).ToString("yyyy-MM-dd");
        await Assertions.Expect(office.Locator("#verifier")).ToContainTextAsync($"期限 {verifyBy}");

        // The cadre's SMS is in the outbox (the fake gateway at the edge keeps what would be sent).
        await office.GotoAsync(app.BaseUrl + "/sms-outbox");
        await Assertions.Expect(office.Locator("#outbox tbody tr", new() { HasText = cadre.Phone })).ToHaveCountAsync(1);
        await Assertions.Expect(office.Locator("#outbox tbody tr", new() { HasText = cadre.Phone })).ToContainTextAsync("核查");

        // The office records what the cadre found, with two photos. Forgetting the finding keeps what was typed.
        await office.GotoAsync($"{app.BaseUrl}/clues/{clueId}");
        await office.Locator("#evidence").FillAsync("封堵墙被凿开，洞内有新渣");
        await office.Locator("#verify-button").ClickAsync();
        await Assertions.Expect(office.Locator("[data-for=Finding]")).ToContainTextAsync("核查结论");
        await Assertions.Expect(office.Locator("#evidence")).ToHaveValueAsync("封堵墙被凿开，洞内有新渣");
        await office.Locator("#finding-select").SelectOptionAsync("true");
        await office.Locator("#photos").SetInputFilesAsync(new[] { Photo("现场一.jpg"), Photo("现场二.jpg") });
        await office.Locator("#verify-button").ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("已登记核查结果");
        await Assertions.Expect(office.Locator("#finding")).ToContainTextAsync("属实");
        await Assertions.Expect(office.Locator("#finding")).ToContainTextAsync($"签字：{cadre.Name}");
        await Assertions.Expect(office.Locator("#files li")).ToHaveCountAsync(2);

        // Closed into a rectification assignment for the cadre.
        var due = DateOnly.FromDateTime(ChinaTime.ToLocal(DateTime.UtcNow)).AddDays(10).ToString("yyyy-MM-dd");
        await office.Locator("#outcome-select").SelectOptionAsync("rectification");
        await office.Locator("#responsible-person").SelectOptionAsync(new SelectOptionValue { Label = cadre.Label });
        await office.Locator("#rectify-due").FillAsync(due);
        await office.Locator("#close-button").ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("已办结");
        await Assertions.Expect(office.Locator("#state")).ToHaveTextAsync("已办结");
        await Assertions.Expect(office.Locator("#outcome")).ToContainTextAsync("转整改");
        await office.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "clue-closed.png"), FullPage = true });
        await office.Locator("#assignment-link").ClickAsync();

        // The assignment: done with measures and a photo; the same person cannot verify it.
        await Assertions.Expect(office.Locator("#status")).ToHaveTextAsync("办理中");
        await Assertions.Expect(office.Locator("#source")).ToHaveTextAsync("线索");
        await Assertions.Expect(office.Locator("#responsible")).ToContainTextAsync(cadre.Name);
        var assignmentUrl = office.Url.Split('?')[0];
        await office.Locator("#measures-text").FillAsync("已回填封堵，拆除洞口设施");
        await office.Locator("#complete-photos").SetInputFilesAsync(Photo("回填后.jpg"));
        await office.Locator("#complete-button").ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("已报告完成");
        await Assertions.Expect(office.Locator("#status")).ToHaveTextAsync("待验收");
        await Assertions.Expect(office.Locator("#files li")).ToHaveCountAsync(1);
        await office.Locator("#resolution-text").FillAsync("同意销号");
        await office.Locator("#verify-button").ClickAsync();
        await Assertions.Expect(office.Locator("#problem")).ToContainTextAsync("另一人");
        await Assertions.Expect(office.Locator("#status")).ToHaveTextAsync("待验收");

        // A second person verifies and closes it.
        var second = await app.NewPageAsync();
        second.WatchProblems(Watch.Errors | Watch.Responses, problems);
        await app.LoginAsync(second, "sx-admin");
        await second.GotoAsync(assignmentUrl);
        await second.Locator("#resolution-text").FillAsync("现场核实，同意销号");
        await second.Locator("#verify-button").ClickAsync();
        await Assertions.Expect(second.Locator("#message")).ToContainTextAsync("已验收销号");
        await Assertions.Expect(second.Locator("#status")).ToHaveTextAsync("已销号");
        await Assertions.Expect(second.Locator("#resolution")).ToContainTextAsync("现场核实，同意销号");
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "assignment-closed.png"), FullPage = true });

        // The clue's history tells the whole story.
        await office.GotoAsync($"{app.BaseUrl}/clues/{clueId}");
        var history = office.Locator("#entries");
        await Assertions.Expect(history).ToContainTextAsync("合并了");
        await Assertions.Expect(history).ToContainTextAsync($"指定核查人 {cadre.Name}");
        await Assertions.Expect(history).ToContainTextAsync("核查结论：属实");
        await Assertions.Expect(history).ToContainTextAsync("办结：转整改");
        Assert.Equal(ClueState.Closed, await DbAsync(db => db.Set<Clue>().Where(c => c.Id == clueId).Select(c => c.State).SingleAsync()));
        Assert.True(problems.Count == 0, "browser errors:\n" + string.Join("\n", problems));
    }
}
