using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;

namespace MineGuard.BrowserTests;

/// <summary>The alert desk in a real browser: a new alert appears by itself, is acknowledged on the list and closed on its page.</summary>
public sealed class AlertDeskTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>A camera at a sealed demo adit, sending through a new key: returns the key and the camera's code.</summary>
    private async Task<(string Key, string Camera, string AditNumber)> CameraAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var (key, plain) = ApiKey.Create("浏览器测试平台", "410325", null, now);
        db.ApiKeys.Add(key);
        var adit = await db.Adits().Where(a => a.CountyCode == "410325" && a.State == SealState.Accepted).OrderByDescending(a => a.Number).FirstAsync();
        var code = $"BR-CAM-{Guid.NewGuid():N}"[..16];
        db.Add(Device.Register(new Device.Spec(DeviceKind.Camera, code, "浏览器测试摄像头", key.Id, adit.DivisionCode, adit.Id, null, null,
            adit.Lon, adit.Lat, null, null, 30), now));
        await db.SaveChangesAsync();
        return (plain, code, adit.Number);
    }

    [BrowserFact]
    public async Task Office_sees_a_new_alert_arrive_on_the_desk_acknowledges_it_and_closes_it_as_a_false_alarm()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.GetByRole(AriaRole.Link, new() { Name = "预警台" }).ClickAsync();
        await page.Locator("#alerts").WaitForAsync();

        // An integration reports a person at a sealed adit while the desk is open: the row appears without a reload.
        var (key, camera, number) = await CameraAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var posted = await http.PostAsJsonAsync("/api/ingest/events", new
        {
            events = new[] { new { id = Guid.NewGuid().ToString("N"), type = "camera.detection", deviceId = camera, occurredAt = DateTimeOffset.Now.ToString("o"), subject = "person" } },
        });
        posted.EnsureSuccessStatusCode();
        var row = page.Locator("#alerts tr", new() { HasText = number });
        await row.WaitForAsync(new() { Timeout = 25_000 });
        Assert.Contains("已刷新", await page.Locator("#refreshed").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("严重", await row.InnerTextAsync(), StringComparison.Ordinal);
        var markers = int.Parse(await page.Locator("#alert-map").GetAttributeAsync("data-markers") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(markers >= 1, "the map shows the alerts");
        Assert.True(await page.Locator("#alert-map path.leaflet-interactive").CountAsync() >= 1);

        await row.GetByRole(AriaRole.Button, new() { Name = "签收" }).ClickAsync();
        await page.Locator("#message").WaitForAsync();
        Assert.Contains("已签收", await page.Locator("#message").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("已签收待核实", await page.Locator("#alerts tr", new() { HasText = number }).InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("#alerts tr", new() { HasText = number }).GetByRole(AriaRole.Link, new() { Name = "处置" }).ClickAsync();
        await page.Locator("#close-form").WaitForAsync();
        // Closing as a false alarm without a reason is refused beside the field.
        await page.GetByLabel("误报", new() { Exact = true }).CheckAsync();
        await page.Locator("#close").ClickAsync();
        Assert.Contains("误报须选择原因", await page.Locator("[data-for='Input.Reason']").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("误报", new() { Exact = true }).CheckAsync();
        await page.Locator("#reason").SelectOptionAsync("animal");
        await page.Locator("#note").FillAsync("野猪经过洞口");
        await page.Locator("#close").ClickAsync();
        await page.Locator("#alert-outcome").WaitForAsync();
        Assert.Contains("已关闭", await page.Locator("#alert-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("动物", await page.Locator("#alert-outcome").InnerTextAsync(), StringComparison.Ordinal);
        var timeline = await page.Locator("#timeline").InnerTextAsync();
        Assert.Contains("收到信号", timeline, StringComparison.Ordinal);
        Assert.Contains("已签收", timeline, StringComparison.Ordinal);
        Assert.Contains("核实为误报（动物）", timeline, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "alert-closed.png"), FullPage = true });

        await page.GotoAsync(app.BaseUrl + "/alerts");
        Assert.Equal(0, await page.Locator("#alerts tr", new() { HasText = number }).CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "alert-desk.png"), FullPage = true });
    }
}
