using Microsoft.Playwright;
using MineGuard.Platform.Excel;

namespace MineGuard.BrowserTests;

/// <summary>The ledger's words in a real browser: an unknown 封堵情况 value mapped once on the page, then imported.</summary>
public sealed class ImportValuesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_maps_an_unknown_seal_state_once_and_imports_the_rows_with_it()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.GotoAsync(app.BaseUrl + "/imports");
        var numbers = Enumerable.Range(1, 3).Select(i => $"BV-{Guid.NewGuid():N}"[..11].ToUpperInvariant() + i).ToArray();
        await page.Locator("#Input_File").SetInputFilesAsync(new FilePayload
        {
            Name = "嵩县封堵台账.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = Ledger(numbers),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并预览" }).ClickAsync();
        await page.Locator("#values").WaitForAsync();
        await Assertions.Expect(page.Locator("#valid-count")).ToHaveTextAsync("1");
        var word = page.Locator("#values tbody tr");
        await Assertions.Expect(word).ToHaveCountAsync(1);
        await Assertions.Expect(word.Locator(".value-word")).ToHaveTextAsync("封口被毁");
        await Assertions.Expect(word.Locator("td").Nth(2)).ToHaveTextAsync("2");

        await word.Locator("select").SelectOptionAsync("发现破坏");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存对应并重新校验" }).ClickAsync();
        await page.Locator("#values-mapped").WaitForAsync();
        await Assertions.Expect(page.Locator("#valid-count")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#values")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "import-values.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "导入有效行" }).ClickAsync();
        await page.Locator("#imported").WaitForAsync();
        await Assertions.Expect(page.Locator("#imported")).ToContainTextAsync("已导入 3 行矿硐数据");

        // The rows exist, with the mapped state.
        await page.GotoAsync(app.BaseUrl + "/adits?q=" + numbers[0]);
        var row = page.Locator("#adits tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = numbers[0] }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("发现破坏");

        // The mapping is remembered for the county, on the import page.
        await page.GotoAsync(app.BaseUrl + "/imports");
        await Assertions.Expect(page.Locator("#value-mappings")).ToContainTextAsync("封口被毁");
        await Assertions.Expect(page.Locator("#value-mappings")).ToContainTextAsync("发现破坏");
    }

    private static byte[] Ledger(string[] numbers)
    {
        var random = new Random();
        (double, double) Spot() => (Math.Round(111.96 + (random.NextDouble() * 0.13), 6), Math.Round(33.96 + (random.NextDouble() * 0.13), 6));
        var (p1, p2, p3) = (Spot(), Spot(), Spot());
        using var file = new MemoryStream();
        using (var sheet = XlsxWriter.Create(file, "台账", [.. new[] { "矿硐编号", "所在乡镇", "东经", "北纬", "封堵情况", "封堵方式", "封堵时间" }.Select(h => new XlsxWriter.Column(h))]))
        {
            sheet.WriteRow([numbers[0], "城关镇", p1.Item1, p1.Item2, "封口被毁", "混凝土浇筑", new DateOnly(2024, 9, 26)]);
            sheet.WriteRow([numbers[1], "德亭镇", p2.Item1, p2.Item2, "封口被毁", "浆砌石", new DateOnly(2024, 10, 8)]);
            sheet.WriteRow([numbers[2], "城关镇", p3.Item1, p3.Item2, "否", null, null]);
        }
        return file.ToArray();
    }
}
