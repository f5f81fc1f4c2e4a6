using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Excel;

/// <summary>
/// The reports that are small by nature (举报统计, 巡查考核, an import's 错误报告) go through the same export loop as
/// every list: each answers <c>format=csv</c> (UTF-8 with BOM, the same Chinese header) as well as .xlsx, and refuses
/// another format by name.
/// </summary>
public sealed class ReportExportTests
{
    private static async Task<List<List<string>>> CsvAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        return ExportTests.ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    private static async Task<List<SheetRow>> XlsxAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExportFormat.Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        return [.. SheetReader.Read(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), "x.xlsx")];
    }

    private static async Task BadFormatAsync(HttpClient client, string url)
    {
        var bad = await client.GetAsync(url + (url.Contains('?') ? "&" : "?") + "format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("导出格式只能是 xlsx（Excel）或 csv", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("format")[0].GetString());
    }

    /// <summary>The csv has the xlsx's header and cells, row for row.</summary>
    private static async Task<List<List<string>>> BothAsync(HttpClient client, string url)
    {
        var xlsx = await XlsxAsync(client, url);
        var csv = await CsvAsync(client, url + (url.Contains('?') ? "&" : "?") + "format=csv");
        Assert.Equal(xlsx.Count, csv.Count);
        for (var r = 0; r < csv.Count; r++)
        {
            for (var c = 0; c < csv[r].Count; c++) Assert.Equal(xlsx[r].Cell(c), csv[r][c]);
        }
        await BadFormatAsync(client, url);
        return csv;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Tip_statistics_export_as_csv_and_xlsx(string provider)
    {
        // Its own app: the two downloads are compared cell for cell, and tests running beside it on the shared app add
        // tips in the same county between them.
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var csv = await BothAsync(office, "/api/tips/stats.xlsx?from=2026-01-01");
        Assert.Equal(["维度", "分类", "线索数", "已核查", "属实及部分属实", "平均核查天数", "平均兑现天数", "奖励逾期"], csv[0]);
        Assert.Equal("合计", csv[1][0]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/tips/stats.xlsx?format=csv")).StatusCode);
        // A bad date and a bad format are named together.
        var both = await (await office.GetAsync("/api/tips/stats.xlsx?from=昨天&format=doc")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(both.GetProperty("errors").TryGetProperty("format", out _));
        Assert.True(both.GetProperty("errors").TryGetProperty("from", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Patrol_compliance_exports_as_csv_and_xlsx(string provider)
    {
        // Its own app, as above: tests beside it on the shared app add teams in 嵩县 between the two downloads.
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var teams = await BothAsync(office, "/api/patrols/compliance.xlsx?month=2026-11&division=410325");
        Assert.Equal("巡查队", teams[0][0]);
        var members = await BothAsync(office, "/api/patrols/compliance.xlsx?month=2026-11&division=410325&part=members");
        Assert.NotEqual(teams[0], members[0]);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync("/api/patrols/compliance.xlsx?month=2026-11&division=410325&format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/patrols/compliance.xlsx?month=2026-11&format=csv")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_imports_error_report_exports_as_csv_and_xlsx(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var spot = Spots.Songxian();
        var number = Spots.Unique("EC");
        string[] headers = ["序号", "乡镇（林场）", "硐口编号", "东经", "北纬"];
        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(headers, [[1, "不存在镇", number, spot.Lon, spot.Lat]]), "报告.xlsx");
        var url = $"/api/imports/sessions/{session.GetProperty("id").GetString()}/errors.xlsx";
        var csv = await BothAsync(office, url);
        Assert.Equal([.. headers, "错误原因"], csv[0]);
        Assert.Equal(number, csv[1][2]);
        Assert.Contains("乡镇（林场）：乡镇“不存在镇”不在", csv[1][5], StringComparison.Ordinal);
        var response = await office.GetAsync(url + "?format=csv");
        Assert.Equal("报告-错误报告.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync(url + "?format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(url + "?format=csv")).StatusCode);
    }
}
