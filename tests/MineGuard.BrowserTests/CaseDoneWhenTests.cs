using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Platform.People;
using MineGuard.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace MineGuard.BrowserTests;

/// <summary>
/// Issue 14's done-when in the browser: an officer files a case from a verified clue (the clue made over HTTP), adds a
/// party, an evidence photo and a seizure, records the notice and the decision, and prints the 行政处罚决定书: the PDF the
/// button links to, fetched with the page's cookies, carries the case number, the party, the letterhead and the fine.
/// </summary>
public sealed class CaseDoneWhenTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static async Task<JsonElement> OkAsync(Task<IAPIResponse> call)
    {
        var r = await call;
        var body = await r.TextAsync();
        Assert.True(r.Ok, $"{r.Status} {r.Url}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private async Task<Guid> CadreAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = Person.Create("410325400", "核查干部" + Guid.NewGuid().ToString("N")[..4], phone, "陶村林场", "包村干部", null, null, db.Clock.GetUtcNow().UtcDateTime);
        db.Add(p);
        await db.SaveChangesAsync();
        return p.Id;
    }

    [BrowserFact(NeedsPdfFont = true)]
    public async Task An_officer_files_a_case_from_a_clue_records_it_and_prints_the_penalty_decision()
    {
        // Two officers of the natural-resources department, made by the administrator; a clue verified true, over HTTP.
        var admin = await app.NewPageAsync();
        await app.LoginAsync(admin, "sx-admin");
        var officers = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var name = "bcase" + Guid.NewGuid().ToString("N")[..8];
            await OkAsync(admin.APIRequest.PostAsync($"{app.BaseUrl}/api/admin/users", new()
            {
                DataObject = new
                {
                    userName = name, displayName = "办案员" + name[^4..], password = MineGuard.Features.Demo.DemoData.Password, divisionCode = "410325",
                    departmentCode = "natural-resources", roles = new[] { "department" },
                },
            }));
            officers.Add(name);
        }
        var office = await app.NewPageAsync();
        await app.LoginAsync(office, "sx-office");
        var summary = $"浏览器立案测试 {Guid.NewGuid():N}：陶村林场后山夜间有人盗采";
        var clue = (await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/clues", new()
        {
            DataObject = new { sourceType = "media", summary, divisionCode = "410325400", departmentCode = "natural-resources" },
        }))).GetProperty("id").GetGuid();
        await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/clues/{clue}/assign", new() { DataObject = new { verifierPersonId = await CadreAsync() } }));
        await OkAsync(office.APIRequest.PostAsync($"{app.BaseUrl}/api/clues/{clue}/verify", new() { DataObject = new { finding = "true", evidence = "现场有新渣和钻机" } }));

        // The officer files the case from the clue's 立案 form.
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, officers[0]);
        await page.GotoAsync($"{app.BaseUrl}/cases/new?clue={clue}");
        await page.Locator("#type").SelectOptionAsync("unlicensed");
        var title = "陶村林场后山无证开采金矿 " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#title").FillAsync(title);
        await page.Locator("#division").FillAsync("410325400");
        await page.Locator("#department").SelectOptionAsync("natural-resources");
        var values = new List<string>();
        foreach (var officer in officers)
            values.Add((await page.Locator("#officers option", new() { HasText = "办案员" + officer[^4..] }).GetAttributeAsync("value"))!);
        await page.Locator("#officers").SelectOptionAsync(values.ToArray());
        await page.Locator("#facts").FillAsync("2026年10月起，当事人在陶村林场后山废弃矿硐内使用钻机无证开采金矿。");
        await page.Locator("#file-button").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已立案");
        var number = (await page.Locator("h1").InnerTextAsync()).Split(' ', '\n')[0].Trim();
        Assert.Contains("自然资立", number, StringComparison.Ordinal);

        // A party.
        var party = "郑某" + Guid.NewGuid().ToString("N")[..3];
        await page.Locator("summary", new() { HasText = "添加当事人" }).ClickAsync();
        await page.Locator("#add-party [name=Name]").FillAsync(party);
        await page.Locator("#add-party [name=Role]").FillAsync("组织者");
        await page.Locator("#add-party button").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已添加当事人");
        await Assertions.Expect(page.Locator("#parties")).ToContainTextAsync(party);

        // An evidence photo.
        await page.Locator("summary", new() { HasText = "登记证据" }).ClickAsync();
        await page.Locator("#add-evidence [name=Title]").FillAsync("现场照片");
        await page.Locator("#add-evidence [name=CollectedBy]").FillAsync("办案员" + officers[0][^4..]);
        await page.Locator("#add-evidence [name=Place]").FillAsync("陶村林场后山");
        await page.Locator("#add-evidence [name=Upload]").SetInputFilesAsync(new FilePayload { Name = "scene.jpg", MimeType = "image/jpeg", Buffer = ExifJpeg.Plain() });
        await page.Locator("#add-evidence button").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已登记证据");
        await Assertions.Expect(page.Locator("#evidence")).ToContainTextAsync("scene.jpg");

        // A seizure of ore.
        await page.Locator("summary", new() { HasText = "登记涉案财物" }).ClickAsync();
        await page.Locator("#add-seizure [name=Kind]").SelectOptionAsync("ore");
        await page.Locator("#add-seizure [name=Description]").FillAsync("金矿石");
        await page.Locator("#add-seizure [name=Weight]").FillAsync("850");
        await page.Locator("#add-seizure [name=ValueYuan]").FillAsync("25500");
        await page.Locator("#add-seizure [name=ValuedBy]").FillAsync("市场询价");
        await page.Locator("#add-seizure [name=StoragePlace]").FillAsync("县局罚没物品库");
        await page.Locator("#add-seizure [name=Keeper]").FillAsync("王强");
        await page.Locator("#add-seizure button").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("已登记涉案财物");
        await Assertions.Expect(page.Locator("#seizures")).ToContainTextAsync("金矿石");

        // The notice, then the decision; the 决定书 button appears only then.
        await Assertions.Expect(page.Locator("[data-document=penalty-decision]")).ToHaveCountAsync(0);
        await page.Locator("#steps [name=Text]").First.FillAsync("拟没收违法开采的矿产品，并处罚款 43,210 元");
        await page.GetByRole(AriaRole.Button, new() { Name = "送达处罚告知书" }).ClickAsync();
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("处罚告知");
        var decision = page.Locator("#steps form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "作出处罚决定" }) });
        await decision.Locator("[name=Text]").FillAsync("没收违法开采的矿产品，责令停止开采");
        await decision.Locator("[name=FineYuan]").FillAsync("43210");
        await decision.GetByRole(AriaRole.Button, new() { Name = "作出处罚决定" }).ClickAsync();
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("已作出处罚决定");

        // Print: the link the button opens, fetched with the page's cookies, read with PdfPig.
        var print = page.Locator("[data-document=penalty-decision]");
        await Assertions.Expect(print).ToHaveTextAsync("打印处罚决定书");
        var href = await print.GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(app.BaseUrl + href);
        Assert.True(response.Ok, $"{response.Status} {await response.TextAsync()}");
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        using var pdf = PdfDocument.Open(await response.BodyAsync());
        var text = string.Concat(pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.Value)).Replace(" ", "", StringComparison.Ordinal);
        foreach (var expected in new[] { "行政处罚决定书", number, party, "嵩县自然资源局", "罚款人民币43,210元", "没收违法开采的矿产品", "六十日内", "六个月内" })
            Assert.Contains(expected, text, StringComparison.Ordinal);
    }
}
