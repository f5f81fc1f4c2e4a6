using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace MineGuard.BrowserTests;

/// <summary>
/// 登记事件事故 (issue 19): the county office records the Songxian "9·26"-like incident from the seed's investigation report
/// through the page — timeline with each report upward, people, losses, causes and accountability — sees a wrong line
/// refused beside the field with nothing typed lost, and prints the summary as PDF.
/// </summary>
public sealed class IncidentRecordTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact(NeedsPdfFont = true)]
    public async Task The_office_records_the_songxian_like_incident_and_prints_its_summary()
    {
        var spot = Spots.Songxian();
        Guid id;
        var number = Spots.Unique("IN-");
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            var adit = Adit.Register(number, new Adit.Place("410325", "410325400", null, null), spot.Lon, spot.Lat,
                new Adit.Details("小石门沟废弃矿硐", null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), db.Clock.GetUtcNow().UtcDateTime);
            db.Add(adit);
            // A villager of the township, to receive the safety notice.
            db.Add(MineGuard.Platform.People.Person.Create("410325400", "陶村村民" + number[^4..], "139" + Random.Shared.Next(10_000_000, 99_999_999),
                null, null, null, null, db.Clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync();
            id = adit.Id;
        }
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.Locator("#who").WaitForAsync();
        await page.GotoAsync($"{app.BaseUrl}/adits/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "登记事件事故" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Input_Adit")).ToHaveValueAsync(number);

        var title = "嵩县“9·26”废弃矿洞盗采中毒窒息事件（" + number + "）";
        await page.Locator("#Input_OccurredAt").FillAsync("2024-09-26 11:00");
        await page.Locator("#Input_Kind").SelectOptionAsync("poisoning");
        await page.Locator("#Input_Title").FillAsync(title);
        await page.Locator("#Input_Summary").FillAsync("附近村民重新打开自然垮塌的废弃金矿硐盗采，在硐内使用汽油发电机，造成一氧化碳中毒窒息。");
        // 2 dead, 7 injured of 9; the 6 who went in without equipment are counted among them. Typed wrong first: 9 ≠ 2 + 6.
        await page.Locator("#Input_Involved").FillAsync("9");
        await page.Locator("#Input_Dead").FillAsync("2");
        await page.Locator("#Input_Injured").FillAsync("6");
        await page.Locator("#Input_Unharmed").FillAsync("0");
        await page.Locator("#Input_Rescued").FillAsync("9");
        await page.Locator("#Input_BlindRescuers").FillAsync("6");
        await page.Locator("#Input_BlindRescuerDead").FillAsync("1");
        await page.Locator("#Input_BlindRescuerInjured").FillAsync("5");
        await page.Locator("#Input_OreKg").FillAsync("540.69");
        await page.Locator("#Input_DirectLoss").FillAsync("194000");

        (string At, string Kind, string What, string By, string To)[] timeline =
        [
            ("2024-09-26 11:00", "event", "硐内汽油发电机运行，一氧化碳聚集，人员中毒", "", ""),
            ("2024-09-26 11:20", "event", "一人爬出矿洞，电话通知家属联系村民施救", "", ""),
            ("2024-09-26 11:50", "event", "家属发现硐内 6 人失联，拨打 120 求救", "", ""),
            ("2024-09-26 12:30", "report", "城关镇向县应急管理局报告", "城关镇", "嵩县应急管理局"),
            ("2024-09-26 13:20", "rescue", "救援人员在井底平巷发现第 1 名被困人员并救出", "", ""),
            ("2024-09-26 20:01", "rescue", "救出最后 2 人，获救 9 人送嵩县人民医院救治", "", ""),
        ];
        // The rows on the page: 8 to start; the 9th line comes from 添加一行.
        for (var i = 0; i < timeline.Length; i++)
        {
            var (at, kind, what, by, to) = timeline[i];
            await page.Locator($"#Input_Timeline_{i}__At").FillAsync(at);
            await page.Locator($"#Input_Timeline_{i}__Kind").SelectOptionAsync(kind);
            await page.Locator($"#Input_Timeline_{i}__What").FillAsync(what);
            await page.Locator($"#Input_Timeline_{i}__By").FillAsync(by);
            await page.Locator($"#Input_Timeline_{i}__To").FillAsync(to);
        }
        await page.Locator("[data-add-row=timeline-rows]").ClickAsync();
        await Assertions.Expect(page.Locator("#timeline-rows tbody tr")).ToHaveCountAsync(9);
        // A line typed out of order (on the added 9th row): refused by its own row.
        await page.Locator("#Input_Timeline_8__At").FillAsync("2024-09-26 09:00");
        await page.Locator("#Input_Timeline_8__What").FillAsync("县政府启动应急预案");

        await page.Locator("#Input_Findings_0__Kind").SelectOptionAsync("direct");
        await page.Locator("#Input_Findings_0__What").FillAsync("在废弃矿硐内使用汽油发电机，一氧化碳中毒窒息；家属和村民盲目施救扩大伤亡");
        await page.Locator("#Input_Findings_1__Kind").SelectOptionAsync("indirect");
        await page.Locator("#Input_Findings_1__What").FillAsync("废弃矿硐底数不清，封堵仅用石块堆砌，巡查流于形式");
        await page.Locator("#Input_Findings_2__Kind").SelectOptionAsync("unit");
        await page.Locator("#Input_Findings_2__Unit").FillAsync("城关镇人民政府");
        await page.Locator("#Input_Findings_2__What").FillAsync("对辖区废弃矿硐排查不彻底，未建立长期跟踪台账");
        await page.Locator("#Input_Findings_3__Kind").SelectOptionAsync("lesson");
        await page.Locator("#Input_Findings_3__What").FillAsync("严禁盲目施救，废弃矿硐按标准彻底封堵，做到“三清两断”");
        await page.Locator("#Input_Accountability_0__Unit").FillAsync("城关镇人民政府");
        await page.Locator("#Input_Accountability_0__Official").FillAsync("某某");
        await page.Locator("#Input_Accountability_0__Post").FillAsync("分管副镇长");
        await page.Locator("#Input_Accountability_0__What").FillAsync("对废弃矿硐排查整治不力，建议给予政务处分");
        await page.Locator("#Input_Accountability_0__Referred").SelectOptionAsync("yes");

        await page.Locator("#record").ClickAsync();
        // Both wrong things are named beside their fields; everything typed is still there.
        await Assertions.Expect(page.Locator("[data-for='Input.Involved']")).ToContainTextAsync("伤亡人数对不上");
        await Assertions.Expect(page.Locator("[data-for='Input.Timeline[8].At']")).ToContainTextAsync("早于上一条");
        await Assertions.Expect(page.Locator("#Input_Title")).ToHaveValueAsync(title);
        await Assertions.Expect(page.Locator("#Input_Timeline_5__What")).ToHaveValueAsync(timeline[5].What);
        await Assertions.Expect(page.Locator("#Input_Accountability_0__Referred")).ToHaveValueAsync("yes");

        await page.Locator("#Input_Injured").FillAsync("7");
        await page.Locator("#Input_Timeline_8__At").FillAsync("2024-09-26 20:30");
        await page.Locator("#record").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("已登记");
        await Assertions.Expect(page.Locator("#title")).ToContainTextAsync(title);
        await Assertions.Expect(page.Locator("#people")).ToContainTextAsync("死亡 2 人，受伤 7 人");
        await Assertions.Expect(page.Locator("#people")).ToContainTextAsync("盲目施救 6 人");
        await Assertions.Expect(page.Locator("#losses")).ToContainTextAsync("540.69 公斤");
        await Assertions.Expect(page.Locator("#timeline tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("城关镇 → 嵩县应急管理局");
        await Assertions.Expect(page.Locator("#accountability")).ToContainTextAsync("城关镇人民政府");
        // The first report upward came 1½ hours after the incident, against the 1-hour rule.
        await Assertions.Expect(page.Locator("#report-status")).ToContainTextAsync("迟报");
        // The lessons' work is opened: the re-seal to standard and the safety notice to the villages.
        await Assertions.Expect(page.Locator("#links")).ToContainTextAsync("按标准重新封堵矿硐 " + number);
        await Assertions.Expect(page.Locator("#links")).ToContainTextAsync("安全警示");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "incident-recorded.png"), FullPage = true });

        var pdf = await page.APIRequest.GetAsync(app.BaseUrl + await page.Locator("#summary-pdf").GetAttributeAsync("href"));
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        using var document = PdfDocument.Open(await pdf.BodyAsync());
        var text = string.Concat(document.GetPages().SelectMany(p => p.Letters).Select(l => l.Value)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("9·26", text, StringComparison.Ordinal);
        Assert.Contains("540.69", text, StringComparison.Ordinal);
        Assert.Contains("城关镇人民政府", text, StringComparison.Ordinal);
        Assert.Contains("盲目施救", text, StringComparison.Ordinal);

        // The lesson's notice: issued from the incident to the adit's township (ticked already), which settles its work item.
        var incidentUrl = page.Url;
        await page.Locator("#issue-notice").ClickAsync();
        await Assertions.Expect(page.Locator("#places input[value='410325400']")).ToBeCheckedAsync();
        await page.Locator("#issue-button").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已发布“严禁盲目施救”");
        await page.GotoAsync(incidentUrl);
        await Assertions.Expect(page.Locator("#links li").Filter(new() { HasText = "安全警示" })).ToContainTextAsync("已办结");
    }
}
