using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>错误报告: the refused rows go back as an .xlsx in the office's own layout with a last column 错误原因.</summary>
public sealed class LedgerErrorReportTests
{
    private static readonly string[] Headers = ["序号", "乡镇（林场）", "硐口编号", "东经", "北纬", "包保责任人", "联系电话", "填表人"];

    private static string Url(JsonElement session) => $"/api/imports/sessions/{session.GetProperty("id").GetString()}/errors.xlsx";

    private static async Task<List<SheetRow>> DownloadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(ExportFormat.Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        return [.. SheetReader.Read(new MemoryStream(body), "report.xlsx")];
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_refused_rows_come_back_in_the_files_own_columns_with_every_reason(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (a, c, d) = (Spots.Songxian(), Spots.Songxian(), Spots.Songxian());
        var lat = Spots.Songxian().Lat;
        string[] numbers = [Spots.Unique("ER"), Spots.Unique("ER"), Spots.Unique("ER"), Spots.Unique("ER")];
        var file = Ledger.Xlsx(Headers,
        [
            [1, "陶村林场", numbers[0], a.Lon, a.Lat, null, null, "甲"],
            [2, "陶村林场", numbers[1], "东经一百一十二度", lat, "测" + numbers[1], "12345", "乙"],
            [3, "陶村林场", numbers[2], c.Lon, c.Lat, null, null, "丙"],
            [4, "不存在镇", numbers[3], d.Lon, d.Lat, null, null, "丁"],
        ], title: "嵩县废弃矿硐台账（2025年）");

        var session = await Ledger.SessionAsync(office, file, "嵩县台账.xlsx");
        Assert.Equal(Url(session), session.GetProperty("errorReportUrl").GetString());
        var report = await DownloadAsync(office, Url(session));

        Assert.Equal([.. Headers, "错误原因"], report[0].Cells);
        Assert.Equal(3, report.Count);
        var (two, four) = (report[1], report[2]);
        Assert.Equal(["2", "陶村林场", numbers[1], "东经一百一十二度"], two.Cells[..4]);
        Assert.Equal(["测" + numbers[1], "12345", "乙"], two.Cells[5..8]);
        Assert.Contains("东经：经度“东经一百一十二度”", two.Cells[8], StringComparison.Ordinal);
        Assert.Contains("联系电话：联系电话“12345”不是有效的电话号码", two.Cells[8], StringComparison.Ordinal);
        Assert.Equal(["4", "不存在镇", numbers[3]], four.Cells[..3]);
        Assert.Contains("乡镇（林场）：乡镇“不存在镇”不在", four.Cells[8], StringComparison.Ordinal);
        Assert.DoesNotContain("联系电话", four.Cells[8], StringComparison.Ordinal);

        // After the import, the report is the import's own: the same rows with the same reasons, linked from the result.
        var batch = (await Ledger.ConfirmAsync(office, session)).GetProperty("id").GetString();
        var after = await DownloadAsync(office, Url(session));
        Assert.Equal(report.Select(r => r.Cells), after.Select(r => r.Cells));
        Assert.Contains(Url(session), await office.GetStringAsync($"/imports/batches/{batch}"), StringComparison.Ordinal);
        var sessionId = session.GetProperty("id").GetString();
        Assert.True(await app.WithDbAsync(db => db.AuditRecords.AnyAsync(r => r.EntityId == sessionId && r.Action == "export")));

        // The report uploaded again: its 错误原因 column is not imported, and a second report has one 错误原因.
        var again = await Ledger.SessionAsync(office, await (await office.GetAsync(Url(session))).Content.ReadAsByteArrayAsync(), "改正.xlsx");
        var columns = again.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, columns[^1].GetProperty("field").ValueKind);
        var second = await DownloadAsync(office, Url(again));
        Assert.Equal([.. Headers, "错误原因"], second[0].Cells);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_report_needs_a_writer_of_the_county_who_may_use_the_kind(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var spot = Spots.Songxian();
        var adits = await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, [[1, "不存在镇", Spots.Unique("EA"), spot.Lon, spot.Lat, null, null, null]]), "a.xlsx");
        var keyPersons = await Ledger.UploadAsync(office,
            Ledger.Xlsx(["人员姓名", "公民身份号码", "所在乡镇", "等级"], [["测试", "123", "饭坡镇", "重点"]]), "k.xlsx", "key-persons");
        Assert.Equal(HttpStatusCode.Created, keyPersons.StatusCode);
        var keySession = JsonDocument.Parse(await keyPersons.Content.ReadAsStringAsync()).RootElement.Clone();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url(adits))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync(Url(adits))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).GetAsync(Url(adits))).StatusCode);
        // The county's administrator writes adits but holds no key persons' share.
        var admin = await app.LoginAsync("sx-admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(Url(keySession))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Url(adits))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/imports/sessions/{Guid.NewGuid()}/errors.xlsx")).StatusCode);

        // Nothing kept, nothing to send back: a cancelled upload's file is gone (409 in Chinese, not a 500).
        Assert.Equal(HttpStatusCode.NoContent, (await office.PostAsync($"/api/imports/sessions/{adits.GetProperty("id").GetString()}/cancel", null)).StatusCode);
        var gone = await office.GetAsync(Url(adits));
        Assert.Equal(HttpStatusCode.Conflict, gone.StatusCode);
        Assert.Contains("原文件已删除", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
