using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using MineGuard.Features.Adits;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Web;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Lists;

/// <summary>
/// The shared list way (issue 11): a keyword box, 50 a page with links that keep the filters, "暂无" when nothing
/// matches, and "导出Excel" of exactly the filtered rows of the user's jurisdiction — on petitions, tips and the blind
/// spots of the patrol compliance page. Each test filters by a keyword of its own, so demo rows never count.
/// </summary>
public sealed class ListSearchTests
{
    private static readonly HtmlParser Parser = new();

    internal static List<SheetRow> Read(byte[] xlsx) => [.. SheetReader.Read(new MemoryStream(xlsx), "export.xlsx")];

    internal static string Key() => "K" + Guid.NewGuid().ToString("N")[..8];

    internal static async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    internal static async Task<List<SheetRow>> ExportAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExportFormat.Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        return Read(await response.Content.ReadAsByteArrayAsync());
    }

    internal static async Task AssertBadKeywordAsync(HttpClient client, string url)
    {
        var bad = await client.GetAsync(url + new string('矿', 51));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("搜索词不能超过 50 个字", errors.GetProperty("q")[0].GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Petitions_search_page_by_50_and_export_the_filtered_rows_of_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var key = Key();
        for (var i = 0; i < 51; i++)
        {
            var created = await sx.PostAsJsonAsync("/api/petitions", new { divisionCode = "410325400", nature = "非法采矿", content = $"{key} 后山夜间采矿 {i:D2}",
                petitioner = "群众", contact = "13900001111" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var other = Key();
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/petitions", new { divisionCode = "410325400", nature = "毁坏林地", content = $"{other} 林地被毁" })).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.Created, (await hj.PostAsJsonAsync("/api/petitions", new { divisionCode = "431281101", nature = "非法采矿", content = $"{key} 洪江" })).StatusCode);

        // The page: 50 of the keyword's 51, then the 51st on page 2, whose links keep the keyword.
        var first = await PageAsync(sx, $"/petitions?q={key}");
        var rows = first.QuerySelectorAll("#petitions tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Contains(key, r.TextContent));
        Assert.DoesNotContain(other, first.QuerySelector("#petitions")!.TextContent);
        Assert.DoesNotContain("洪江", first.QuerySelector("#petitions")!.TextContent);
        Assert.Equal($"/petitions?q={key}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        Assert.Equal($"/api/petitions/export.xlsx?q={key}", first.QuerySelector("#export")!.GetAttribute("href"));
        var second = await PageAsync(sx, $"/petitions?q={key}&p=2");
        Assert.Single(second.QuerySelectorAll("#petitions tbody tr"));
        Assert.Contains("第 2 / 2 页", second.QuerySelector(".pager")!.TextContent);
        Assert.Equal($"/petitions?q={key}", second.QuerySelector(".pager .page-prev")!.GetAttribute("href"));
        var none = await PageAsync(sx, $"/petitions?q={Key()}");
        Assert.Equal(EmptyRowTagHelper.Text, none.QuerySelector("#petitions tbody tr.empty")!.TextContent);
        Assert.Null(none.QuerySelector(".pager"));

        // The API pages the same way.
        var api = await sx.GetFromJsonAsync<JsonElement>($"/api/petitions?q={other}");
        Assert.Equal(1, api.GetArrayLength());

        // The export: all 51 rows, not the other petition, not 洪江's, never the contact.
        var sheet = await ExportAsync(sx, $"/api/petitions/export.xlsx?q={key}");
        Assert.Equal("编号", sheet[0].Cells[0]);
        Assert.Equal(51, sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.Contains(key, r.Cell(5)));
        Assert.DoesNotContain(sheet, r => r.Cells.Any(c => c.Contains("13900001111", StringComparison.Ordinal)));
        var hjSheet = await ExportAsync(hj, $"/api/petitions/export.xlsx?q={key}");
        Assert.Equal([$"{key} 洪江"], hjSheet.Skip(1).Select(r => r.Cell(5)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/petitions/export.xlsx?q={key}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/petitions/export.xlsx?q=");
        var bad = await sx.GetAsync("/api/petitions/export.xlsx?status=shiny");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("状态不正确", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("status")[0].GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Tips_search_page_by_50_and_export_without_the_tipster(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var key = Key();
        for (var i = 0; i < 51; i++)
        {
            var created = await sx.PostAsJsonAsync("/api/tips", new { channel = "Phone", divisionCode = "410325400", kinds = new[] { "transport" },
                description = $"热线 {key} 夜间有车运矿 {i:D2}", name = "王举报", phone = "13912345678" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var other = Key();
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/tips", new { channel = "Phone", divisionCode = "410325400", kinds = new[] { "transport" },
            description = $"热线 {other} 另一处" })).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.Created, (await hj.PostAsJsonAsync("/api/tips", new { channel = "Phone", divisionCode = "431281103", kinds = new[] { "transport" },
            description = $"热线 {key} 洪江" })).StatusCode);

        var first = await PageAsync(sx, $"/tips?q={key}&status=");
        Assert.Equal(50, first.QuerySelectorAll("#tips tbody tr").Length);
        Assert.DoesNotContain(other, first.QuerySelector("#tips")!.TextContent);
        Assert.DoesNotContain("洪江", first.QuerySelector("#tips")!.TextContent);
        Assert.Equal($"/tips?q={key}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        var second = await PageAsync(sx, $"/tips?q={key}&p=2");
        Assert.Single(second.QuerySelectorAll("#tips tbody tr"));
        var none = await PageAsync(sx, $"/tips?q={Key()}");
        Assert.Equal(EmptyRowTagHelper.Text, none.QuerySelector("#tips tbody tr.empty")!.TextContent);
        Assert.Equal($"/api/tips/export.xlsx?q={key}&status=New", (await PageAsync(sx, $"/tips?q={key}&status=New")).QuerySelector("#export")!.GetAttribute("href"));

        var sheet = await ExportAsync(sx, $"/api/tips/export.xlsx?q={key}");
        Assert.Equal("收到时间", sheet[0].Cells[0]);
        Assert.Equal(51, sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.Contains(key, r.Cell(3)));
        Assert.DoesNotContain(sheet, r => r.Cells.Any(c => c.Contains("13912345678", StringComparison.Ordinal) || c.Contains("王举报", StringComparison.Ordinal)));
        // A filter narrows the export as it narrows the list.
        Assert.Single((await ExportAsync(sx, $"/api/tips/export.xlsx?q={other}")).Skip(1));
        Assert.Empty((await ExportAsync(sx, $"/api/tips/export.xlsx?q={key}&flag=verify-overdue")).Skip(1));
        var hjSheet = await ExportAsync(hj, $"/api/tips/export.xlsx?q={key}");
        Assert.Equal(["洪江"], hjSheet.Skip(1).Select(r => r.Cell(3).Split(' ')[^1]));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/tips/export.xlsx?q={key}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/tips/export.xlsx?q=");
        var bad = await sx.GetAsync("/api/tips/export.xlsx?flag=odd");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("筛选条件不正确", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("flag")[0].GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Compliance_blind_spots_search_page_by_50_and_export_the_filtered_ones(string provider)
    {
        var app = await TestApp.Shared(provider);
        var key = Spots.Unique("B");
        await app.WithDbAsync(async db =>
        {
            var commands = new AditCommands(db);
            for (var i = 0; i < 51; i++)
            {
                var spot = Spots.Songxian();
                var (_, errors) = await commands.RegisterAsync(new AditInput
                {
                    Number = $"{key}-{i:D2}", County = "410325", Township = "陶村林场", Lon = $"{spot.Lon:F6}", Lat = $"{spot.Lat:F6}",
                }, default);
                Assert.True(errors.Ok, string.Join("；", errors.Values.SelectMany(v => v)));
            }
            return 0;
        });
        var sx = await app.LoginAsync("sx-office");
        var url = $"/patrols/compliance?month=2026-11&division=410325400&q={key}";
        var first = await PageAsync(sx, url);
        var rows = first.QuerySelectorAll("#blind tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.StartsWith(key, r.QuerySelector("td")!.TextContent));
        Assert.Equal($"{url}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        var second = await PageAsync(sx, $"{url}&p=2");
        Assert.Equal([$"{key}-50"], second.QuerySelectorAll("#blind tbody tr").Select(r => r.QuerySelector("td")!.TextContent));
        var none = await PageAsync(sx, $"/patrols/compliance?month=2026-11&division=410325400&q={Key()}");
        Assert.Equal(EmptyRowTagHelper.Text, none.QuerySelector("#blind tbody tr.empty")!.TextContent);
        Assert.Equal($"/api/patrols/compliance.xlsx?month=2026-11&division=410325400&part=blind&q={key}",
            first.QuerySelector("#export-blind")!.GetAttribute("href"));

        var sheet = await ExportAsync(sx, $"/api/patrols/compliance.xlsx?month=2026-11&division=410325400&part=blind&q={key}");
        Assert.Equal(Enumerable.Range(0, 51).Select(i => $"{key}-{i:D2}").Order(), sheet.Skip(1).Select(r => r.Cells[0]).Order());
        // 洪江's office exports its own county: none of 嵩县's adits.
        var hj = await app.LoginAsync("hj-office");
        Assert.Empty((await ExportAsync(hj, $"/api/patrols/compliance.xlsx?month=2026-11&part=blind&q={key}")).Skip(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/patrols/compliance.xlsx?month=2026-11&part=blind&q={key}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/patrols/compliance.xlsx?month=2026-11&part=blind&q=");
        var page = await PageAsync(sx, $"/patrols/compliance?month=2026-11&division=410325400&q={new string('矿', 51)}");
        Assert.Contains("搜索词不能超过 50 个字", page.QuerySelector(".alert-danger")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Alerts_search_by_adit_number_page_and_export_the_filtered_ones(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var (adit, id) = await MineGuard.Tests.Features.Monitoring.MonitoringFixtures.TamperedSealAlertAsync(app, sx);
        var (otherAdit, _) = await MineGuard.Tests.Features.Monitoring.MonitoringFixtures.TamperedSealAlertAsync(app, sx);

        var page = await PageAsync(sx, $"/alerts?status=all&q={adit.Number}");
        Assert.Equal([id.ToString()], page.QuerySelectorAll("#alerts tbody tr[data-id]").Select(r => r.GetAttribute("data-id")));
        Assert.Equal($"/api/alerts/export.xlsx?status=all&q={adit.Number}", page.QuerySelector("#export")!.GetAttribute("href"));
        var none = await PageAsync(sx, $"/alerts?status=all&q={Key()}");
        Assert.Equal(EmptyRowTagHelper.Text, none.QuerySelector("#alerts tbody tr.empty")!.TextContent);

        // Both test alerts share the "MON-" numbers with others: a page of one, page 2 is the next one, never the same.
        var prefix = "MON-";
        var p1 = await sx.GetFromJsonAsync<JsonElement>($"/api/alerts?status=all&q={prefix}&take=1");
        var p2 = await sx.GetFromJsonAsync<JsonElement>($"/api/alerts?status=all&q={prefix}&take=1&p=2");
        Assert.True(p1.GetProperty("total").GetInt32() >= 2);
        Assert.Equal(2, p2.GetProperty("page").GetInt32());
        Assert.NotEqual(p1.GetProperty("items")[0].GetProperty("id").GetGuid(), p2.GetProperty("items")[0].GetProperty("id").GetGuid());

        var sheet = await ExportAsync(sx, $"/api/alerts/export.xlsx?status=all&q={adit.Number}");
        Assert.Equal("级别", sheet[0].Cells[0]);
        Assert.Equal([adit.Number], sheet.Skip(1).Select(r => r.Cell(3)));
        Assert.Contains(otherAdit.Number, (await ExportAsync(sx, $"/api/alerts/export.xlsx?status=all&q={otherAdit.Number}"))[1].Cells);
        var hj = await app.LoginAsync("hj-office");
        Assert.Empty((await ExportAsync(hj, $"/api/alerts/export.xlsx?status=all&q={adit.Number}")).Skip(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/alerts/export.xlsx")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/alerts/export.xlsx?q=");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Assignments_search_page_by_50_and_export_the_filtered_rows_of_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var key = Key();
        for (var i = 0; i < 51; i++)
        {
            var created = await sx.PostAsJsonAsync("/api/assignments", new { divisionCode = "410325400", kind = "rectification", title = $"{key} 整改 {i:D2}", dueOn = "2026-12-31" });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        var other = Key();
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/assignments", new { divisionCode = "410325400", kind = "rectification", title = $"{other} 整改", dueOn = "2026-12-31" })).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.Created, (await hj.PostAsJsonAsync("/api/assignments", new { divisionCode = "431281101", kind = "rectification", title = $"{key} 洪江", dueOn = "2026-12-31" })).StatusCode);

        var first = await PageAsync(sx, $"/assignments?q={key}");
        var rows = first.QuerySelectorAll("#assignments tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Contains(key, r.TextContent));
        Assert.DoesNotContain("洪江", first.QuerySelector("#assignments")!.TextContent);
        Assert.Equal($"/assignments?q={key}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        Assert.Equal($"/api/assignments/export.xlsx?q={key}", first.QuerySelector("#export")!.GetAttribute("href"));
        Assert.Single((await PageAsync(sx, $"/assignments?q={key}&p=2")).QuerySelectorAll("#assignments tbody tr"));
        Assert.Equal(EmptyRowTagHelper.Text, (await PageAsync(sx, $"/assignments?q={Key()}")).QuerySelector("#assignments tbody tr.empty")!.TextContent);

        var sheet = await ExportAsync(sx, $"/api/assignments/export.xlsx?q={key}");
        Assert.Equal("事项", sheet[0].Cells[0]);
        Assert.Equal(51, sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.StartsWith(key, r.Cells[0]));
        Assert.Equal([$"{other} 整改"], (await ExportAsync(sx, $"/api/assignments/export.xlsx?q={other}")).Skip(1).Select(r => r.Cells[0]));
        Assert.Equal([$"{key} 洪江"], (await ExportAsync(hj, $"/api/assignments/export.xlsx?q={key}")).Skip(1).Select(r => r.Cells[0]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/assignments/export.xlsx")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/assignments/export.xlsx?q=");
    }
}
