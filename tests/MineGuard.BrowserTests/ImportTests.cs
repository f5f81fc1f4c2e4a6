using Microsoft.Playwright;
using MineGuard.Platform.Excel;

namespace MineGuard.BrowserTests;

/// <summary>An office imports its own ledger in a real browser: unfamiliar headers, one wrong column fixed, bad rows explained.</summary>
public sealed class ImportTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_uploads_a_ledger_fixes_a_column_sees_the_bad_rows_and_imports_the_valid_ones()
    {
        var page = await app.NewPageAsync();
        await app.LoginAsync(page, "sx-office");
        await page.GetByRole(AriaRole.Link, new() { Name = "台账导入" }).ClickAsync();
        Assert.StartsWith("台账导入", (await page.Locator("h1").InnerTextAsync()).Trim());

        await page.Locator("#Input_File").SetInputFilesAsync(new FilePayload
        {
            Name = "嵩县矿硐排查台账.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = Ledger(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并预览" }).ClickAsync();
        await page.Locator("#mapping").WaitForAsync();
        Assert.StartsWith("核对导入：嵩县矿硐排查台账.xlsx", (await page.Locator("h1").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        // The headers found their fields by themselves, except 类型: this office means the mineral, not the adit's origin.
        Assert.Equal("Number", await page.Locator("#field-A").InputValueAsync());
        Assert.Equal("Township", await page.Locator("#field-B").InputValueAsync());
        Assert.Equal("Lon", await page.Locator("#field-C").InputValueAsync());
        Assert.Equal("Origin", await page.Locator("#field-H").InputValueAsync());
        Assert.Equal("0", await page.Locator("#valid-count").InnerTextAsync());

        await page.Locator("#field-H").SelectOptionAsync("Mineral");
        await page.GetByRole(AriaRole.Button, new() { Name = "按此对应重新校验" }).ClickAsync();
        await page.Locator("#remapped").WaitForAsync();
        Assert.Equal("Mineral", await page.Locator("#field-H").InputValueAsync());
        Assert.Equal("2", await page.Locator("#valid-count").InnerTextAsync());
        Assert.Equal("3", await page.Locator("#invalid-count").InnerTextAsync());
        var errors = await page.Locator("#errors tbody tr").AllInnerTextsAsync();
        Assert.Equal(3, errors.Count);
        Assert.Contains("第 5 行", errors[0], StringComparison.Ordinal);
        Assert.Contains("经度“待补测”", errors[0], StringComparison.Ordinal);
        Assert.Contains("第 6 行", errors[1], StringComparison.Ordinal);
        Assert.Contains("不在嵩县境内", errors[1], StringComparison.Ordinal);
        Assert.Contains("第 7 行", errors[2], StringComparison.Ordinal);
        Assert.Contains("与本表第 3 行的矿硐相距 5 米", errors[2], StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "import-check.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "导入有效行" }).ClickAsync();
        await page.Locator("#imported").WaitForAsync();
        Assert.Contains("已导入 2 行矿硐数据", await page.Locator("#imported").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("#rejected tbody tr").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "import-done.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "← 返回台账导入" }).ClickAsync();
        Assert.Contains("嵩县矿硐排查台账.xlsx", await page.Locator("#batches").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "imports.png"), FullPage = true });

        // The imported adits are on the map: 嵩县's 300 demo adits and these 2 (the imported seal with rocks was refused).
        await page.GetByRole(AriaRole.Link, new() { Name = "地图", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('map').dataset.state === 'idle'");
        Assert.Contains("当前范围内 302 处矿硐", await page.Locator("#map-count").InnerTextAsync(), StringComparison.Ordinal);

        // One of them is found broken open and sealed again; its timeline tells the story.
        await page.GotoAsync(app.BaseUrl + "/adits?q=SX-2024-001");
        await page.GetByRole(AriaRole.Link, new() { Name = "SX-2024-001" }).ClickAsync();
        await page.Locator("#timeline").WaitForAsync();
        var breach = page.Locator("#form-breach");
        await breach.Locator("input[name=HowFound]").FillAsync("群众举报");
        await breach.GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#message").WaitForAsync();
        await page.Locator("#form-reseal select[name=Method]").SelectOptionAsync("钢板焊封");
        await page.Locator("#form-reseal").GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#message").WaitForAsync();
        var timeline = await page.Locator("#timeline li").AllInnerTextsAsync();
        Assert.Equal(3, timeline.Count);
        Assert.Contains("2024-09-26 封堵", timeline[0], StringComparison.Ordinal);
        Assert.Contains("发现破坏/被盗采", timeline[1], StringComparison.Ordinal);
        Assert.Contains("重新封堵", timeline[2], StringComparison.Ordinal);
        Assert.Contains("钢板焊封", timeline[2], StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "import-then-timeline.png"), FullPage = true });
    }

    /// <summary>A ledger as 嵩县's office keeps it: a title row, its own column names, 类型 for the mineral.</summary>
    private static byte[] Ledger()
    {
        var random = new Random(7);
        (double, double) Spot() => (Math.Round(111.97 + (random.NextDouble() * 0.16), 6), Math.Round(33.96 + (random.NextDouble() * 0.13), 6));
        var (p1, p2, p3) = (Spot(), Spot(), Spot());
        var near = (Math.Round(p1.Item1 + (5 / (111_320 * Math.Cos(p1.Item2 * Math.PI / 180))), 7), p1.Item2);
        using var file = new MemoryStream();
        using (var sheet = XlsxWriter.Create(file, "台账", [new XlsxWriter.Column("嵩县废弃矿硐排查台账（2024年）", 30)]))
        {
            sheet.WriteRow(["矿硐编号", "所在乡镇", "东经", "北纬", "是否封堵", "封堵方式", "封堵时间", "类型", "包保责任人"]);
            sheet.WriteRow(["SX-2024-001", "城关镇", p1.Item1, p1.Item2, "是", "混凝土浇筑", new DateOnly(2024, 9, 26), "金", "sx-resp"]);
            sheet.WriteRow(["SX-2024-002", "陶村林场", p2.Item1, p2.Item2, "否", null, null, "萤石", null]);
            sheet.WriteRow(["SX-2024-003", "德亭镇", "待补测", p3.Item2, "否", null, null, "金", null]);
            sheet.WriteRow(["SX-2024-004", "德亭镇", 112.55, 34.05, "否", null, null, "金", null]);
            sheet.WriteRow(["SX-2024-005", "城关镇", near.Item1, near.Item2, "是", "石块堆砌", new DateOnly(2024, 10, 8), "金", null]);
        }
        return file.ToArray();
    }
}
