using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Playwright;
using MineGuard.Platform.Time;
using UglyToad.PdfPig;

namespace MineGuard.BrowserTests;

/// <summary>
/// 阶段报告 (issue 18): the city asks 嵩县 for its report; the county office writes and generates it, the county's leader
/// signs it off, the office sends it, the city receives it; the PDF's text and the Excel's cells are read back.
/// </summary>
public sealed class StageReportTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private string Day(int offset) =>
        DateOnly.FromDateTime(ChinaTime.ToLocal(DateTime.UtcNow)).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<IPage> AsAsync(string user)
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, user);
        return page;
    }

    [BrowserFact(NeedsPdfFont = true)]
    public async Task The_city_asks_the_county_writes_the_leader_signs_and_the_city_receives_the_printed_report()
    {
        // The city office asks 嵩县 for its report by a day.
        var city = await AsAsync("ly-office");
        await city.GotoAsync(app.BaseUrl + "/reports");
        await city.Locator("#request-division").SelectOptionAsync("410325");
        await city.Locator("#request-from").FillAsync(Day(-30));
        await city.Locator("#request-to").FillAsync(Day(0));
        await city.Locator("#request-due").FillAsync(Day(7));
        await city.Locator("#request-button").ClickAsync();
        await city.WaitForURLAsync(app.BaseUrl + "/reports");
        var link = city.Locator("#reports a").Filter(new() { HasText = "嵩县" }).First;
        var href = await link.GetAttributeAsync("href");
        Assert.NotNull(href);

        // The county office writes its text and generates the report from the data.
        var office = await AsAsync("sx-office");
        await office.GotoAsync(app.BaseUrl + href);
        var narrative = "本期排查矿硐" + Guid.NewGuid().ToString("N")[..6] + "处，回头看发现问题已全部整改。";
        await office.Locator("#narrative").FillAsync(narrative);
        await office.Locator("#generate-button").ClickAsync();
        await Assertions.Expect(office.Locator("#message")).ToContainTextAsync("待本级领导签发");
        await Assertions.Expect(office.Locator("table[data-section=ledger]")).ToContainTextAsync("合计（嵩县）");
        Assert.Equal(0, await office.Locator("#sign-button").CountAsync());

        // The county's leader signs it off; the office sends it up.
        var leader = await AsAsync("sx-leader");
        await leader.GotoAsync(app.BaseUrl + href);
        await leader.Locator("#sign-button").ClickAsync();
        await Assertions.Expect(leader.Locator("#state")).ToHaveTextAsync("已签发");
        await office.GotoAsync(app.BaseUrl + href);
        await office.Locator("#send-button").ClickAsync();
        await Assertions.Expect(office.Locator("#state")).ToHaveTextAsync("已报送");

        // The city receives it and prints it.
        await city.GotoAsync(app.BaseUrl + href);
        await city.Locator("#receive-button").ClickAsync();
        await Assertions.Expect(city.Locator("#state")).ToHaveTextAsync("已接收");
        await city.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "stage-report.png"), FullPage = true });

        var pdfUrl = app.BaseUrl + await city.Locator("#pdf").GetAttributeAsync("href");
        var pdf = await city.APIRequest.GetAsync(pdfUrl);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        using (var document = PdfDocument.Open(await pdf.BodyAsync()))
        {
            var text = string.Concat(document.GetPages().SelectMany(p => p.Letters).Select(l => l.Value)).Replace(" ", "", StringComparison.Ordinal);
            Assert.Contains(narrative, text, StringComparison.Ordinal);
            Assert.Contains("签发人：嵩县分管副县长陈静", text, StringComparison.Ordinal);
            Assert.Contains("合计（嵩县）", text, StringComparison.Ordinal);
        }

        var xlsx = await city.APIRequest.GetAsync(app.BaseUrl + await city.Locator("#xlsx").GetAttributeAsync("href"));
        using var book = SpreadsheetDocument.Open(new MemoryStream(await xlsx.BodyAsync()), false);
        var sheets = book.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Contains(sheets, s => s.Name == "矿硐台账");
        var cover = (WorksheetPart)book.WorkbookPart.GetPartById(sheets[0].Id!);
        var cells = cover.Worksheet.Descendants<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList();
        Assert.Contains(narrative, cells);
        Assert.Contains("嵩县分管副县长 陈静", cells);
    }
}
