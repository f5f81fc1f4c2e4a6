using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Tips;

namespace MineGuard.BrowserTests;

/// <summary>
/// A villager's tip in a real browser, with JavaScript on (proof-of-work, position) and off (the plain form), followed
/// with the receipt code through a question from the office, verification, and the reward proposed, approved and paid.
/// </summary>
public sealed class TipsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<IPage> PhoneAsync(bool javaScript, List<string> problems)
    {
        var context = await app.NewContextAsync(new()
        {
            Locale = "zh-CN", JavaScriptEnabled = javaScript, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true,
            Geolocation = new() { Longitude = 110.1234f, Latitude = 27.2345f }, Permissions = ["geolocation"],
        });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error" && !m.Location.Contains("favicon", StringComparison.Ordinal)) problems.Add(m.Text + " " + m.Location); };
        page.PageError += (_, e) => problems.Add(e);
        return page;
    }

    private async Task<string> SubmitAsync(IPage page, string description, bool locate)
    {
        await page.GotoAsync(app.BaseUrl + "/report");
        await page.Locator("#division").SelectOptionAsync(new SelectOptionValue { Label = "洪江市 黔城镇" });
        await page.GetByLabel("有人挖矿、打洞").CheckAsync();
        await page.GetByLabel("发电机或私拉电线").CheckAsync();
        await page.Locator("#place").FillAsync("黔城镇老鸦岭北坡");
        await page.Locator("#seen").FillAsync("昨天夜里 11 点");
        await page.Locator("#description").FillAsync(description);
        if (locate)
        {
            await page.Locator("#locate").ClickAsync();
            await page.Locator("#position-text:has-text('已记录您的位置')").WaitForAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "提交举报" }).ClickAsync();
        var code = (await page.Locator("#receipt-code").InnerTextAsync()).Trim();
        Assert.Matches("^[2-9A-Z]{6}(-[2-9A-Z]{1,4}){5}$", code);
        return code;
    }

    private async Task OpenReceiptAsync(IPage page, string code)
    {
        await page.GotoAsync(app.BaseUrl + "/report/receipt");
        await page.Locator("#code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await page.Locator("#tip-status").WaitForAsync();
    }

    private Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        return work(db);
    }

    [BrowserFact]
    public async Task With_javascript_a_tip_is_followed_by_its_receipt_through_a_question_verification_and_a_paid_reward()
    {
        var problems = new List<string>();
        var phone = await PhoneAsync(javaScript: true, problems);
        var responses = new List<IResponse>();
        phone.Response += (_, r) => responses.Add(r);
        var marker = "浏览器举报 " + Guid.NewGuid().ToString("N")[..6];
        await phone.GotoAsync(app.BaseUrl + "/report", new() { WaitUntil = WaitUntilState.NetworkIdle });
        long bytes = 0;
        foreach (var r in responses.ToList()) bytes += (await r.BodyAsync()).Length;
        Assert.True(responses.Count <= 3, "requests: " + string.Join(", ", responses.Select(r => r.Url)));
        Assert.True(bytes < 100 * 1024, $"page weight {bytes} bytes");
        var code = await SubmitAsync(phone, marker + "：山后新开了一个洞，晚上有发电机声音", locate: true);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "tip-receipt.png"), FullPage = true });
        var tip = await DbAsync(db => db.Set<Tip>().SingleAsync(t => t.Description.StartsWith(marker)));
        Assert.Equal(TipChannel.Web, tip.Channel);
        Assert.Equal(110.1234, tip.Lon!.Value, 1e-3);

        await OpenReceiptAsync(phone, code);
        Assert.Contains("已收到", await phone.Locator("#tip-status").InnerTextAsync(), StringComparison.Ordinal);

        // The office asks a question.
        var office = await app.NewPageAsync();
        await app.LoginAsync(office, "hj-office");
        await office.GotoAsync(app.BaseUrl + "/tips");
        await office.Locator($"#tips tr:has-text('{marker}') a").First.ClickAsync();
        await office.Locator("#office-message").FillAsync("请问洞口在哪个山头？有几个人？");
        await office.Locator("#send-message").ClickAsync();
        // Sent to the tipster: asked first in the page (js/confirm.js).
        await office.Locator("#confirm-dialog #confirm-ok").ClickAsync();
        await office.Locator("#saved").WaitForAsync();

        // The tipster reads and answers it.
        await OpenReceiptAsync(phone, code);
        Assert.Contains("请问洞口在哪个山头", await phone.Locator("#messages").InnerTextAsync(), StringComparison.Ordinal);
        await phone.Locator("#answer").FillAsync("老鸦岭北坡电线杆旁边，三四个人");
        await phone.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
        await phone.Locator("#notice").WaitForAsync();

        // The office sees the answer, assigns and verifies: the reward is proposed by Hongjiang's rule.
        await office.ReloadAsync();
        Assert.Contains("三四个人", await office.Locator("#messages").InnerTextAsync(), StringComparison.Ordinal);
        await office.Locator("#assign").ClickAsync();
        await office.Locator("#saved").WaitForAsync();
        await office.Locator("#outcome").SelectOptionAsync("属实");
        await office.Locator("#evidence").FillAsync("现场发现新开硐口一处、发电机一台，已查封");
        await office.Locator("#verify").ClickAsync();
        await office.Locator("#saved").WaitForAsync();
        Assert.Contains("2000 元", await office.Locator("#rewards").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("拟奖励", await office.Locator("#rewards").InnerTextAsync(), StringComparison.Ordinal);
        await office.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "tip-office.png"), FullPage = true });

        // The tipster sees the proposed reward and claims it anonymously.
        await OpenReceiptAsync(phone, code);
        Assert.Contains("属实", await phone.Locator("#tip-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("拟奖励", await phone.Locator("#reward-status").InnerTextAsync(), StringComparison.Ordinal);
        await phone.Locator("#method").SelectOptionAsync("微信");
        await phone.Locator("#account").FillAsync("wx_villager_01");
        await phone.GetByRole(AriaRole.Button, new() { Name = "申领奖励" }).ClickAsync();
        await phone.Locator("#notice").WaitForAsync();

        // One reward officer approves; a second one pays (approval and payment are two people).
        var approver = await app.NewPageAsync();
        await app.LoginAsync(approver, "hj-reward");
        await approver.GotoAsync(app.BaseUrl + $"/tips/{tip.Id}");
        await approver.Locator("#approve").ClickAsync();
        await approver.Locator("#saved").WaitForAsync();
        var officer = await app.NewPageAsync();
        await app.LoginAsync(officer, "hj-reward2");
        await officer.GotoAsync(app.BaseUrl + $"/tips/{tip.Id}");
        await officer.Locator("#reveal-claim").ClickAsync();
        Assert.Contains("wx_villager_01", await officer.Locator("#claim").InnerTextAsync(), StringComparison.Ordinal);
        await officer.Locator("#pay-form [name=Method]").FillAsync("微信转账");
        await officer.Locator("#pay-form [name=Reference]").FillAsync("HJ-JB-0001");
        await officer.Locator("#pay").ClickAsync();
        await officer.Locator("#saved").WaitForAsync();
        Assert.Contains("已兑现", await officer.Locator("#rewards").InnerTextAsync(), StringComparison.Ordinal);

        await OpenReceiptAsync(phone, code);
        Assert.Contains("已兑现", await phone.Locator("#reward-status").InnerTextAsync(), StringComparison.Ordinal);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "tip-paid.png"), FullPage = true });
        Assert.True(problems.Count == 0, "browser errors:\n" + string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task Without_javascript_the_plain_form_is_accepted_and_the_receipt_works()
    {
        var problems = new List<string>();
        var phone = await PhoneAsync(javaScript: false, problems);
        var marker = "无脚本浏览器 " + Guid.NewGuid().ToString("N")[..6];
        // The JS-only position buttons are hidden; the place description is there.
        await phone.GotoAsync(app.BaseUrl + "/report");
        Assert.False(await phone.Locator("#locate").IsVisibleAsync());
        var code = await SubmitAsync(phone, marker + "：有车在拉矿石", locate: false);
        var tip = await DbAsync(db => db.Set<Tip>().SingleAsync(t => t.Description.StartsWith(marker)));
        Assert.Equal(TipChannel.WebNoScript, tip.Channel);
        Assert.Null(tip.Lon);
        Assert.Equal("黔城镇老鸦岭北坡", tip.Place);
        await OpenReceiptAsync(phone, code);
        Assert.Contains("已收到", await phone.Locator("#tip-status").InnerTextAsync(), StringComparison.Ordinal);
        await phone.Locator("#answer").FillAsync("补充：车牌湘N开头");
        await phone.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
        await phone.Locator("#notice").WaitForAsync();
        Assert.Contains("车牌湘N开头", await phone.Locator("#messages").InnerTextAsync(), StringComparison.Ordinal);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "tip-nojs.png"), FullPage = true });
        Assert.True(problems.Count == 0, "browser errors:\n" + string.Join("\n", problems));
        // An empty form is refused (a 400, which the browser reports in its console), with the reason beside the field.
        await phone.GotoAsync(app.BaseUrl + "/report");
        await phone.Locator("#division").SelectOptionAsync(new SelectOptionValue { Label = "洪江市 黔城镇" });
        await phone.GetByRole(AriaRole.Button, new() { Name = "提交举报" }).ClickAsync();
        Assert.Contains("请至少勾选", await phone.Locator("[data-for=Description]").InnerTextAsync(), StringComparison.Ordinal);
    }
}
