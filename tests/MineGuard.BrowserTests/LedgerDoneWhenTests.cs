using Microsoft.Playwright;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>
/// Issue 13's "done when", in one piece: an office uploads its own adit ledger (a title row, its own headers, short
/// village names of 田湖镇, two new 包保责任人 with phones, a 封堵情况 word the product does not know, one bad row); maps
/// the word once; imports every valid row; finds the new persons with their phones on /persons; downloads the error
/// report and reads its own headers plus 错误原因 with the bad row's reason.
/// </summary>
public sealed class LedgerDoneWhenTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string[] Headers =
        ["矿硐编号", "乡镇（林场）", "村（组）", "硐口东经", "硐口北纬", "封堵情况", "封堵方式", "封堵时间", "包保责任人", "联系电话"];

    [BrowserFact]
    public async Task Office_imports_its_own_ledger_maps_a_word_once_finds_the_new_people_and_reads_the_error_report()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var numbers = Enumerable.Range(1, 5).Select(i => Spots.Unique("DW") + i).ToArray();
        var (personA, personB) = ("包保甲" + tag, "包保乙" + tag);
        var (phoneA, phoneB) = (Phone(), Phone());
        // Unknown to the product (and to this county's remembered words): asked once on the values step.
        var word = "封口被挖开" + tag[..2];
        var spots = Enumerable.Range(0, 4).Select(_ => Spots.Songxian()).ToArray();
        object?[][] rows =
        [
            [numbers[0], "田湖镇", "田湖村", spots[0].Lon, spots[0].Lat, "已封堵", "混凝土浇筑", new DateOnly(2024, 9, 26), personA, phoneA],
            [numbers[1], "田湖镇", "樊店村", spots[1].Lon, spots[1].Lat, word, "浆砌石", new DateOnly(2024, 10, 8), personB, phoneB],
            [numbers[2], "田湖镇", "屏凤庄村", spots[2].Lon, spots[2].Lat, word, "混凝土浇筑", new DateOnly(2024, 10, 9), personA, phoneA],
            [numbers[3], "田湖镇", "杨湾村", spots[3].Lon, spots[3].Lat, "否", null, null, null, null],
            [numbers[4], "田湖镇", "张庄", "待补测", spots[3].Lat, "否", null, null, null, null],
        ];

        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/imports");
        await page.Locator("#Input_File").SetInputFilesAsync(new FilePayload
        {
            Name = $"田湖镇矿硐台账{tag}.xlsx", MimeType = ExportFormat.Xlsx.ContentType, Buffer = Ledger(rows),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并预览" }).ClickAsync();

        // The headers found their fields; the unknown word is asked about once, with its two rows.
        await page.Locator("#values").WaitForAsync();
        await Assertions.Expect(page.Locator("#field-C")).ToHaveValueAsync("Village");
        await Assertions.Expect(page.Locator("#field-I")).ToHaveValueAsync("Responsible");
        await Assertions.Expect(page.Locator("#field-J")).ToHaveValueAsync("ResponsiblePhone");
        await Assertions.Expect(page.Locator("#valid-count")).ToHaveTextAsync("2");
        var asked = page.Locator("#values tbody tr");
        await Assertions.Expect(asked).ToHaveCountAsync(1);
        await Assertions.Expect(asked.Locator(".value-word")).ToHaveTextAsync(word);
        await Assertions.Expect(asked.Locator("td").Nth(2)).ToHaveTextAsync("2");
        await asked.Locator("select").SelectOptionAsync("发现破坏");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存对应并重新校验" }).ClickAsync();
        await page.Locator("#values-mapped").WaitForAsync();
        await Assertions.Expect(page.Locator("#valid-count")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#invalid-count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#errors tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#errors tbody tr")).ToContainTextAsync("第 7 行");

        await page.GetByRole(AriaRole.Button, new() { Name = "导入有效行" }).ClickAsync();
        await page.Locator("#imported").WaitForAsync();
        await Assertions.Expect(page.Locator("#imported")).ToContainTextAsync("已导入 4 行矿硐数据");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "ledger-done-when-imported.png"), FullPage = true });

        // The error report: the office's own header row plus 错误原因, and the bad row with its reason.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#error-report").ClickAsync());
        Assert.Equal($"田湖镇矿硐台账{tag}-错误报告.xlsx", download.SuggestedFilename);
        var path = Path.Combine(BrowserApp.Artifacts, $"ledger-done-when-{tag}.xlsx");
        await download.SaveAsAsync(path);
        List<SheetRow> report;
        await using (var file = File.OpenRead(path)) report = [.. SheetReader.Read(file, "report.xlsx")];
        Assert.Equal([.. Headers, "错误原因"], report[0].Cells);
        Assert.Equal(2, report.Count);
        Assert.Equal([numbers[4], "田湖镇", "张庄", "待补测"], report[1].Cells[..4]);
        Assert.Contains("硐口东经：", report[1].Cells[^1], StringComparison.Ordinal);
        Assert.Contains("“待补测”", report[1].Cells[^1], StringComparison.Ordinal);

        // Every valid row is in the ledger, the mapped word as 发现破坏.
        foreach (var (number, state) in new[] { (numbers[0], "已封堵"), (numbers[1], "发现破坏"), (numbers[2], "发现破坏"), (numbers[3], "未封堵") })
        {
            await page.GotoAsync(app.BaseUrl + "/adits?q=" + number);
            var row = page.Locator("#adits tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = number }) });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync(state);
        }

        // The two new 包保责任人 are in the register with their phones, once each.
        foreach (var (name, phone) in new[] { (personA, phoneA), (personB, phoneB) })
        {
            await page.GotoAsync(app.BaseUrl + "/persons?q=" + Uri.EscapeDataString(name));
            var person = page.Locator("#persons tbody tr");
            await Assertions.Expect(person).ToHaveCountAsync(1);
            await Assertions.Expect(person.Locator("td").Nth(0)).ToHaveTextAsync(name);
            await Assertions.Expect(person.Locator("td").Nth(1)).ToHaveTextAsync(phone);
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "ledger-done-when-persons.png"), FullPage = true });
    }

    private static string Phone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The office's file: a title in row 1, its headers in row 2, written with the product's own writer.</summary>
    private static byte[] Ledger(IEnumerable<object?[]> rows)
    {
        using var file = new MemoryStream();
        using (var sheet = XlsxWriter.Create(file, "矿硐台账", [new XlsxWriter.Column("嵩县田湖镇废弃矿硐排查台账（2025年）")]))
        {
            sheet.WriteRow(Headers);
            foreach (var row in rows) sheet.WriteRow(row);
        }
        return file.ToArray();
    }
}
