using System.Net;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>The alert desk's pages as the office uses them (the browser test drives the same pages with JavaScript).</summary>
public sealed class MonitoringPagesTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_desk_lists_an_alert_its_page_acknowledges_it_and_another_county_gets_a_404(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (adit, id) = await TamperedSealAlertAsync(app, office);

        Assert.Contains(adit.Number, await office.GetStringAsync("/alerts?severity=high"), StringComparison.Ordinal);
        Assert.Contains(adit.Number, await office.GetStringAsync("/alerts?handler=Rows"), StringComparison.Ordinal);
        Assert.Contains("只能是", await office.GetStringAsync("/alerts?status=burning"), StringComparison.Ordinal);
        var page = await office.GetStringAsync($"/alerts/{id}");
        Assert.Contains("电子封条", page, StringComparison.Ordinal);
        Assert.Contains("id=\"acknowledge\"", page, StringComparison.Ordinal);
        var token = await TestApp.AntiForgeryTokenAsync(office, $"/alerts/{id}");
        var acked = await office.PostAsync($"/alerts/{id}?handler=Acknowledge", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Contains("已签收待核实", await acked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var refused = await office.PostAsync($"/alerts/{id}?handler=Close", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Outcome"] = "false-alarm", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("误报须选择原因", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/alerts/{id}")).StatusCode);
        Assert.DoesNotContain(adit.Number, await hongjiang.GetStringAsync("/alerts"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Devices_rules_outbox_and_notifications_pages_show_what_is_in_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var devices = await office.GetStringAsync("/devices");
        Assert.Contains("SX-CAM-001", devices, StringComparison.Ordinal);
        Assert.DoesNotContain("HJ-CAM-001", devices, StringComparison.Ordinal);
        var token = await TestApp.AntiForgeryTokenAsync(office, "/devices");
        var bad = await office.PostAsync("/devices", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Kind"] = "camera", ["Input.Code"] = "", ["Input.Name"] = "页面摄像头", ["Input.AditNumber"] = "NO-SUCH-ADIT", ["__RequestVerificationToken"] = token,
        }));
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("未找到该编号的矿硐", html, StringComparison.Ordinal);
        Assert.Contains("已封堵矿硐摄像头发现人员或车辆", await office.GetStringAsync("/alert-rules"), StringComparison.Ordinal);
        Assert.Contains("短信发件箱", await office.GetStringAsync("/sms-outbox"), StringComparison.Ordinal);
        Assert.Contains("我的通知", await office.GetStringAsync("/notifications"), StringComparison.Ordinal);
        Assert.Contains("逾期未处置预警", await office.GetStringAsync("/"), StringComparison.Ordinal);
        var patrol = await app.LoginAsync("sx-patrol");
        var outbox = await patrol.GetAsync("/sms-outbox");
        Assert.True(outbox.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden);
    }
}
