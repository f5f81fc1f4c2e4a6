using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Time;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using MineGuard.Tests.Platform.Excel;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Cases;

/// <summary>
/// Finding cases (each key of the search, the filters, bad input, who finds what) and the county's statistics (each
/// figure, its link to the list, the page, the export, who sees what). The cases are filed on a day of their own long
/// ago, so the statistics of that day count this test's cases only while other tests file cases in the same county.
/// </summary>
public sealed class CaseSearchStatsTests
{
    private static DateOnly Today(TestApp app) => DateOnly.FromDateTime(ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));

    /// <summary>A day between three and twenty years ago that no other test files a case on.</summary>
    private static DateOnly OwnDay(TestApp app) => Today(app).AddDays(-1000 - Random.Shared.Next(0, 5000));

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    private static async Task<(Guid Id, string Number)> FileAsync(HttpClient client, IEnumerable<Guid> officers, string type, DateOnly filedOn, Guid[]? adits = null)
    {
        var c = await OkAsync(client.PostAsJsonAsync("/api/cases", new
        {
            type, title = $"统计测试 {Guid.NewGuid():N}", divisionCode = "410325400", departmentCode = "public-security", officerIds = officers.ToArray(),
            sourceNote = "市打非办交办〔2026〕9号", filedOn = D(filedOn), aditIds = adits ?? [],
        }));
        return (c.GetProperty("id").GetGuid(), c.GetProperty("number").GetString()!);
    }

    private static async Task<JsonElement> PageAsync(HttpClient client, string query) => await OkAsync(client.GetAsync("/api/cases?" + query));

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query) =>
        (await PageAsync(client, query)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    private static string Plate() => "豫C" + Random.Shared.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory, OnSqlite, OnPostgres]
    public async Task Cases_are_found_by_name_id_digits_adit_plate_and_number_and_filtered(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var officers = (await OfficersAsync(app, "public-security")).Select(o => o.Id).ToList();
        var (aditId, aditNumber) = await KeyPersonFixtures.AditAsync(app);
        var day = OwnDay(app);
        var (id, number) = await FileAsync(office, officers, "beyond-boundary", day, [aditId]);
        var (other, _) = await FileAsync(office, officers, "unlicensed", day);
        var name = "搜索" + Guid.NewGuid().ToString("N")[..6];
        var idNumber = TestIds.Next();
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/parties", new { name, idNumber, role = "实际控制人" }));
        var plate = Plate();
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/seizures",
            new { kind = "vehicle", description = "自卸车", plate, storagePlace = "县局停车场", keeper = "王敏" }));

        // Each key finds the case; the other case of the same day is not found by them.
        foreach (var q in new[] { name, name[..4], idNumber[^4..], aditNumber, plate, plate[2..], number })
        {
            var found = await IdsAsync(office, "q=" + Uri.EscapeDataString(q) + "&from=" + D(day) + "&to=" + D(day));
            Assert.True(found.Contains(id), $"q={q}");
            Assert.DoesNotContain(other, found);
        }
        // The whole ID number is not what is stored: it finds nothing.
        Assert.Empty(await IdsAsync(office, "q=" + idNumber));

        // Filters: stage, type, department, overdue (the investigation's 90 days ran out long ago), division, dates.
        var range = $"from={D(day)}&to={D(day)}";
        Assert.Equal([id], await IdsAsync(office, $"{range}&type=beyond-boundary"));
        Assert.Equal(2, (await IdsAsync(office, $"{range}&stage=investigation")).Count);
        Assert.Empty(await IdsAsync(office, $"{range}&stage=closed"));
        Assert.Equal(2, (await IdsAsync(office, $"{range}&department=public-security")).Count);
        Assert.Empty(await IdsAsync(office, $"{range}&department=natural-resources"));
        Assert.Equal(2, (await IdsAsync(office, $"{range}&overdue=true&division=410325400")).Count);
        Assert.Empty(await IdsAsync(office, $"{range}&division=410325100"));
        Assert.Empty(await IdsAsync(office, $"from={D(day.AddDays(1))}&to={D(day.AddDays(1))}&q={Uri.EscapeDataString(name)}"));
        var page = await PageAsync(office, $"{range}&stage=open");
        Assert.Equal(2, page.GetProperty("total").GetInt32());

        // Who finds it: the handling department's officer and the office; not another department, not 洪江市.
        Assert.Contains(id, await IdsAsync(await app.LoginAsync("sx-police"), "q=" + Uri.EscapeDataString(name)));
        Assert.Empty(await IdsAsync(await app.LoginAsync("sx-discipline"), "q=" + Uri.EscapeDataString(name)));
        Assert.Empty(await IdsAsync(await app.LoginAsync("hj-office"), "q=" + Uri.EscapeDataString(name)));
        Assert.Empty(await IdsAsync(await app.LoginAsync("hj-office"), "q=" + Uri.EscapeDataString(number)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/cases?q=" + Uri.EscapeDataString(name))).StatusCode);

        // Bad input: 400 naming the field, in Chinese.
        Assert.Contains("50", await ErrorOf(await office.GetAsync("/api/cases?q=" + new string('矿', 51)), "q"), StringComparison.Ordinal);
        Assert.Contains("阶段", await ErrorOf(await office.GetAsync("/api/cases?stage=finished"), "stage"), StringComparison.Ordinal);
        Assert.Contains("案件类型", await ErrorOf(await office.GetAsync("/api/cases?type=theft"), "type"), StringComparison.Ordinal);
        Assert.Contains("部门", await ErrorOf(await office.GetAsync("/api/cases?department=army"), "department"), StringComparison.Ordinal);
        Assert.Contains("overdue", await ErrorOf(await office.GetAsync("/api/cases?overdue=yes"), "overdue"), StringComparison.Ordinal);
        Assert.Contains("区划代码", await ErrorOf(await office.GetAsync("/api/cases?division=嵩县"), "division"), StringComparison.Ordinal);
        Assert.Contains("开始日期", await ErrorOf(await office.GetAsync("/api/cases?from=昨天"), "from"), StringComparison.Ordinal);
        Assert.Contains("不能早于", await ErrorOf(await office.GetAsync($"/api/cases?from={D(day)}&to={D(day.AddDays(-1))}"), "to"), StringComparison.Ordinal);
        Assert.Contains("has", await ErrorOf(await office.GetAsync("/api/cases?has=money"), "has"), StringComparison.Ordinal);

        // The page: the same search, and a bad filter said on the page (not a 500).
        var html = await (await office.GetAsync("/cases?q=" + Uri.EscapeDataString(name))).Content.ReadAsStringAsync();
        Assert.Contains(number, html, StringComparison.Ordinal);
        var bad = await office.GetAsync("/cases?type=theft");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("filter-error", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Three cases on one day: one decided and executed with ore seized, one transferred and refused then appealed, one in investigation.</summary>
    private static async Task<(Guid Executed, Guid Transferred, Guid Open)> ThreeCasesAsync(TestApp app, HttpClient office, DateOnly day)
    {
        var officers = (await OfficersAsync(app, "public-security")).Select(o => o.Id).ToList();
        var (a, _) = await FileAsync(office, officers, "unlicensed", day);
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{a}/seizures", new
        {
            kind = "ore", description = "金矿石", weight = 1500.5, unit = "kg", valueYuan = 30000, valuedBy = "价格认定", storagePlace = "县局仓库", keeper = "王敏",
        }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{a}/notice", new { noticeOn = D(day.AddDays(5)), text = "拟罚款 50000 元，没收矿产品" }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{a}/decision", new { decidedOn = D(day.AddDays(20)), text = "罚款 50000 元", fineYuan = 50000 }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{a}/execution", new { executedOn = D(day.AddDays(30)), note = "已缴纳" }));

        var (b, _) = await FileAsync(office, officers, "stolen-ore-trade", day);
        await TransferredAsync(app, office, b, "refused", "嵩公回〔2026〕1号");
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{b}/transfer/appeal", new { reason = "证据确实充分" }));

        var (c, _) = await FileAsync(office, officers, "unlicensed", day);
        return (a, b, c);
    }

    private static double Figure(JsonElement stats, string label, int column = 0) =>
        stats.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("label").GetString() == label).GetProperty("values")[column].GetDouble();

    [Theory, OnSqlite, OnPostgres]
    public async Task The_countys_statistics_count_its_cases_and_every_figure_opens_its_list(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var day = OwnDay(app);
        var (executed, transferred, open) = await ThreeCasesAsync(app, office, day);
        var range = $"from={D(day)}&to={D(day)}";

        var stats = await OkAsync(office.GetAsync($"/api/cases/stats?division=410325&{range}"));
        Assert.Equal("嵩县", stats.GetProperty("divisionName").GetString());
        Assert.Equal(["410325"], stats.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList());
        Assert.Equal(3, Figure(stats, "案件总数"));
        Assert.Equal(2, Figure(stats, "无证开采"));
        Assert.Equal(1, Figure(stats, "收购/运输/销售盗采矿产品"));
        Assert.Equal(0, Figure(stats, "越界开采"));
        Assert.Equal(1, Figure(stats, "调查取证"));
        Assert.Equal(1, Figure(stats, "已执行"));
        Assert.Equal(1, Figure(stats, "复议中"));
        Assert.Equal(1, Figure(stats, "已移送公安机关"));
        Assert.Equal(0, Figure(stats, "公安机关立案"));
        Assert.Equal(1, Figure(stats, "公安机关不予立案"));
        Assert.Equal(1, Figure(stats, "提请复议"));
        Assert.Equal(50000, Figure(stats, "作出罚款决定"));
        Assert.Equal(50000, Figure(stats, "罚款已执行"));
        Assert.Equal(1500.5, Figure(stats, "重量"));
        Assert.Equal(30000, Figure(stats, "价值"));

        // Every figure's link opens the list of exactly the cases behind it.
        var expected = new Dictionary<string, Guid[]>
        {
            ["案件总数"] = [executed, transferred, open], ["无证开采"] = [executed, open], ["收购/运输/销售盗采矿产品"] = [transferred], ["调查取证"] = [open],
            ["已执行"] = [executed], ["复议中"] = [transferred], ["已移送公安机关"] = [transferred], ["公安机关不予立案"] = [transferred],
            ["提请复议"] = [transferred], ["作出罚款决定"] = [executed], ["罚款已执行"] = [executed], ["重量"] = [executed], ["价值"] = [executed],
            ["公安机关立案"] = [], ["越界开采"] = [],
        };
        var rows = stats.GetProperty("rows").EnumerateArray().ToList();
        foreach (var row in rows.Where(r => r.GetProperty("group").GetString() != "人不漏案"))
        {
            var label = row.GetProperty("label").GetString()!;
            var query = row.GetProperty("queries")[0].GetString()!;
            var listed = await IdsAsync(office, query);
            if (row.GetProperty("unit").GetString() == "件") Assert.Equal((int)row.GetProperty("values")[0].GetDouble(), listed.Count);
            if (expected.TryGetValue(label, out var ids)) Assert.True(ids.Order().SequenceEqual(listed.Order()), $"{label}: {query}");
        }
        var gaps = rows.Single(r => r.GetProperty("group").GetString() == "人不漏案");
        Assert.Equal("/api/cases/gaps?county=410325", gaps.GetProperty("gapLinks")[0].GetString());

        // The page shows the figures, each a link to the list with the same filter.
        var page = await office.GetAsync($"/cases/stats?division=410325&{range}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("50,000", html, StringComparison.Ordinal);
        Assert.Contains("1,500.5", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cases?division=410325&amp;{range.Replace("&", "&amp;", StringComparison.Ordinal)}&amp;has=fined\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/cases/gaps?county=410325\"", html, StringComparison.Ordinal);
        Assert.Contains("/help/cases", html, StringComparison.Ordinal);

        // The city's leader: the counties side by side, then 合计.
        var city = await OkAsync((await app.LoginAsync("ly-leader")).GetAsync($"/api/cases/stats?{range}"));
        var columns = city.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        Assert.Contains("410325", columns);
        Assert.Null(columns[^1]);
        Assert.Equal(3, Figure(city, "案件总数", columns.IndexOf("410325")));
        Assert.Equal(3, Figure(city, "案件总数", columns.Count - 1));

        // Another department sees only its share (none of these); 洪江市 gets a 404 for 嵩县 and its own county otherwise.
        Assert.Equal(0, Figure(await OkAsync((await app.LoginAsync("sx-discipline")).GetAsync($"/api/cases/stats?division=410325&{range}")), "案件总数"));
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/cases/stats?division=410325&{range}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/cases/stats.xlsx?division=410325&{range}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/cases/stats?division=410325&{range}")).StatusCode);
        var own = await OkAsync(hj.GetAsync($"/api/cases/stats?{range}"));
        Assert.Equal("431281", own.GetProperty("division").GetString());
        Assert.Equal(0, Figure(own, "案件总数"));

        // Anonymous: 401; bad input: 400 naming the field.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/cases/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/cases/stats.xlsx")).StatusCode);
        Assert.Contains("区划", await ErrorOf(await office.GetAsync("/api/cases/stats?division=songxian"), "division"), StringComparison.Ordinal);
        Assert.Contains("开始日期", await ErrorOf(await office.GetAsync("/api/cases/stats?from=2026-02-30"), "from"), StringComparison.Ordinal);
        Assert.Contains("不能早于", await ErrorOf(await office.GetAsync("/api/cases/stats?from=2026-03-02&to=2026-03-01"), "to"), StringComparison.Ordinal);
        Assert.Contains("xlsx", await ErrorOf(await office.GetAsync("/api/cases/stats.xlsx?format=pdf"), "format"), StringComparison.Ordinal);
        var badPage = await office.GetAsync("/cases/stats?from=昨天");
        Assert.Equal(HttpStatusCode.OK, badPage.StatusCode);
        Assert.Contains("stats-error", await badPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_statistics_export_as_xlsx_and_csv_cell_for_cell(string provider)
    {
        // Its own app: the two downloads are compared cell for cell, and the 人不漏案 row counts the whole county.
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var day = OwnDay(app);
        await ThreeCasesAsync(app, office, day);
        var range = $"division=410325&from={D(day)}&to={D(day)}";
        var stats = await OkAsync(office.GetAsync($"/api/cases/stats?{range}"));

        var xlsx = await office.GetAsync($"/api/cases/stats.xlsx?{range}");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(ExportFormat.Xlsx.ContentType, xlsx.Content.Headers.ContentType?.MediaType);
        var sheet = SheetReader.Read(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), "s.xlsx").ToList();
        var csvResponse = await office.GetAsync($"/api/cases/stats.xlsx?{range}&format=csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        var csv = ExportTests.ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));

        Assert.Equal(["分组", "指标", "单位", "嵩县"], csv[0]);
        var rows = stats.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(rows.Count + 1, csv.Count);
        Assert.Equal(csv.Count, sheet.Count);
        for (var r = 0; r < csv.Count; r++)
        {
            for (var c = 0; c < csv[r].Count; c++) Assert.Equal(sheet[r].Cell(c), csv[r][c]);
        }
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(rows[r].GetProperty("label").GetString(), csv[r + 1][1]);
            Assert.Equal(rows[r].GetProperty("values")[0].GetDouble(), double.Parse(csv[r + 1][3], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal("50000", csv.Single(r => r[1] == "作出罚款决定")[3]);
        Assert.Equal("1500.5", csv.Single(r => r[1] == "重量")[3]);
        Assert.Equal("3", csv.Single(r => r[1] == "案件总数")[3]);
    }
}
