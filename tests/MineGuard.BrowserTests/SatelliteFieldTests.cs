using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Features.Satellite;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// 卫片图斑 verified in the field app offline (issue 20, "Done when"): the province imports a batch, the patch's check is
/// given to the patrol member; their phone downloads it, loses signal, records the finding with a photo standing inside
/// the patch, and when the signal is back the finding arrives once, proven on site, with the photo on the check. The adit
/// map draws the patches on their layer, coloured by state.
/// </summary>
public sealed class SatelliteFieldTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        return await work(db);
    }

    /// <summary>The province imports a batch of one 0.002° patch somewhere in 嵩县.</summary>
    private async Task<(Guid BatchId, double Lon, double Lat)> ImportAsync()
    {
        var key = "HA-B-" + Guid.NewGuid().ToString("N")[..8];
        var (lon, lat) = Spots.Songxian();
        var office = await app.NewPageAsync();
        await app.LoginAsync(office, "ha-office");
        var imported = await office.APIRequest.PostAsync($"{app.BaseUrl}/api/satellite/batches", new()
        {
            DataObject = new
            {
                batchId = key, province = "41", periodFrom = "2026-10-01", periodTo = "2026-10-31", crs = "wgs84",
                features = new
                {
                    type = "FeatureCollection",
                    features = new[]
                    {
                        new
                        {
                            type = "Feature", properties = new { id = key + "-1", changeType = "新增裸地" },
                            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { lon, lat }, new[] { lon + 0.002, lat }, new[] { lon + 0.002, lat + 0.002 }, new[] { lon, lat + 0.002 }, new[] { lon, lat } } } },
                        },
                    },
                },
            },
        });
        Assert.True(imported.Ok, await imported.TextAsync());
        var batchId = JsonSerializer.Deserialize<JsonElement>(await imported.TextAsync()).GetProperty("batch").GetProperty("id").GetGuid();
        return (batchId, lon, lat);
    }

    [BrowserFact]
    public async Task The_adit_map_shows_the_patches_by_state_on_their_layer()
    {
        await ImportAsync();
        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Responses);
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/map");
        await page.Locator(".leaflet-control-layers label", new() { HasText = "卫片图斑" }).Locator("input").CheckAsync();
        await Assertions.Expect(page.Locator("path.patch-checking").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "map-satellite-patches.png") });
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task A_patch_checked_offline_in_the_field_app_arrives_once_proven_on_site_with_its_photo()
    {
        var (batchId, lon, lat) = await ImportAsync();
        var (patchId, taskId) = await DbAsync(async db =>
        {
            var patrol = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();
            var patch = await db.Set<SatellitePatch>().SingleAsync(p => p.BatchId == batchId);
            await db.Set<Assignment>().Where(a => a.Id == patch.AssignmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResponsibleUserId, patrol).SetProperty(a => a.ResponsiblePersonId, (Guid?)null));
            return (patch.Id, patch.AssignmentId!.Value);
        });

        // The checker's phone, standing inside the patch: logged in and downloaded once, then no signal.
        var context = await app.NewContextAsync(new()
        {
            Locale = "zh-CN", ViewportSize = new() { Width = 400, Height = 800 }, IsMobile = true, HasTouch = true, ServiceWorkers = ServiceWorkerPolicy.Allow,
            Permissions = ["geolocation"], Geolocation = new() { Latitude = (float)(lat + 0.001), Longitude = (float)(lon + 0.001), Accuracy = 8 },
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
        await phone.Locator("#go-patches").ClickAsync();
        await phone.Locator($"#pt-list li[data-patch='{patchId}'] button").ClickAsync();
        await phone.Locator("#patch:not([hidden])").WaitForAsync();
        await Assertions.Expect(phone.Locator("#pt-place")).ToContainTextAsync("精度 8 米");
        await phone.Locator("input[name='pt-finding'][value='legal']").CheckAsync();
        await phone.Locator("#pt-note").FillAsync("村民平整耕地，已核实为耕地整理");
        await phone.Locator("#pt-photo").SetInputFilesAsync(new FilePayload { Name = "site.jpg", MimeType = "image/jpeg", Buffer = ExifJpeg.Plain() });
        await Assertions.Expect(phone.Locator("#pt-thumbs img")).ToHaveCountAsync(1);
        await phone.Locator("#pt-submit").ClickAsync();
        await phone.Locator("#home:not([hidden])").WaitForAsync();
        await phone.Locator("#go-queue").ClickAsync();
        await Assertions.Expect(phone.Locator("#queue-list li[data-kind='patch-finding']")).ToHaveCountAsync(1);
        await Assertions.Expect(phone.Locator("#queue-list li[data-kind='patch-photo']")).ToHaveCountAsync(1);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "field-patch-offline.png"), FullPage = true });
        Assert.Equal(0, await DbAsync(db => db.Set<PatchFieldFinding>().CountAsync(f => f.PatchId == patchId)));

        // Signal again: the finding arrives once, proven on site, and its photo is on the check.
        await context.SetOfflineAsync(false);
        await Assertions.Expect(phone.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        var stored = await DbAsync(db => db.Set<PatchFieldFinding>().Where(f => f.PatchId == patchId).ToListAsync());
        Assert.True(Assert.Single(stored).Proven, stored[0].ProofReasons);
        var patch = await DbAsync(db => db.Set<SatellitePatch>().SingleAsync(p => p.Id == patchId));
        Assert.Equal(PatchFinding.Legal, patch.Finding);
        Assert.True(patch.FindingProven);
        Assert.Equal(1, await DbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectId == taskId)));
        Assert.Empty(phoneProblems);
        await context.CloseAsync();
    }
}
