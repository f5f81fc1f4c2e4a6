using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Time;
using MineGuard.Tests.Features.Cases;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Supervision;

/// <summary>
/// 阶段报告 (issue 18): the city asks Songxian for its report by a day (an assignment on the one clock); the county office
/// generates it, its leader signs it off, the office sends it, the city receives it (or returns it with comments); the
/// PDF's text and the Excel's cells are what was generated; scope, roles and bad input.
/// </summary>
public sealed class StageReportsTests
{
    private static string Day(TestApp app, int offset) =>
        DateOnly.FromDateTime(ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime)).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private static async Task<string> RuleAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body).GetProperty("code").GetString()!;
    }

    private static Task<Deadline?> OpenDeadlineAsync(TestApp app, Guid assignment) =>
        app.WithDbAsync(db => db.Deadlines().AsNoTracking().FirstOrDefaultAsync(d => d.SubjectId == assignment && d.ClosedUtc == null));

    /// <summary>The city's request for Songxian's report: the report and its deadline's assignment id.</summary>
    private static async Task<(Guid Report, Guid Assignment)> RequestAsync(TestApp app, HttpClient city)
    {
        var requested = await OkAsync(await city.PostAsJsonAsync("/api/reports/requests", new
        {
            division = "410325", from = Day(app, -30), to = Day(app, 0), dueOn = Day(app, 5), clientId = Guid.NewGuid(),
        }), HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("state").GetString());
        return (requested.GetProperty("id").GetGuid(), requested.GetProperty("assignmentId").GetGuid());
    }

    /// <summary>Sheet name → rows of cell texts, read with the OpenXML SDK (as Excel would).</summary>
    private static Dictionary<string, List<List<string>>> Sheets(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var book = doc.WorkbookPart!;
        var result = new Dictionary<string, List<List<string>>>();
        foreach (var sheet in book.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)book.GetPartById(sheet.Id!);
            result[sheet.Name!] = part.Worksheet.Descendants<Row>()
                .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList()).ToList();
        }
        return result;
    }

    [PdfTheory, OnSqlite, OnPostgres]
    public async Task The_city_asks_the_county_signs_and_sends_the_city_receives_and_the_deadline_closes(string provider)
    {
        var app = await TestApp.Shared(provider);
        var city = await app.LoginAsync("ly-office");
        var county = await app.LoginAsync("sx-office");
        var leader = await app.LoginAsync("sx-leader");
        var (id, assignment) = await RequestAsync(app, city);

        // The deadline is the county's assignment (kind report), running on the one clock.
        var task = await OkAsync(await county.GetAsync($"/api/assignments/{assignment}"));
        Assert.Equal("report", task.GetProperty("kind").GetString());
        Assert.Equal(Day(app, 5), task.GetProperty("dueOn").GetString());
        Assert.NotNull(await OpenDeadlineAsync(app, assignment));

        // The county writes and generates it; the city sees the request but not a draft's content.
        var narrative = "本期组织排查矿硐" + Guid.NewGuid().ToString("N")[..6] + "处，全部登记入账。";
        var draft = await OkAsync(await county.PutAsJsonAsync($"/api/reports/{id}", new { narrative }));
        Assert.Equal("draft", draft.GetProperty("state").GetString());
        var board = draft.GetProperty("content").GetProperty("board");
        Assert.Equal("410325", board.GetProperty("division").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, (await OkAsync(await city.GetAsync($"/api/reports/{id}"))).GetProperty("content").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await city.GetAsync($"/api/reports/{id}.pdf")).StatusCode);

        // Only the county's leader signs; only a signed report goes up.
        Assert.Equal("ReportNotSigned", await RuleAsync(await county.PostAsync($"/api/reports/{id}/send", null)));
        Assert.Equal("ReportSignerNotLeader", await RuleAsync(await county.PostAsync($"/api/reports/{id}/sign-off", null)));
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsJsonAsync($"/api/reports/{id}", new { narrative = "改" })).StatusCode);
        var signed = await OkAsync(await leader.PostAsync($"/api/reports/{id}/sign-off", null));
        Assert.Equal("signed", signed.GetProperty("state").GetString());
        Assert.Equal("ReportNotEditable", await RuleAsync(await county.PutAsJsonAsync($"/api/reports/{id}", new { narrative = "改" })));

        var sent = await OkAsync(await county.PostAsync($"/api/reports/{id}/send", null));
        Assert.Equal("sent", sent.GetProperty("state").GetString());
        Assert.Equal("completed", (await OkAsync(await county.GetAsync($"/api/assignments/{assignment}"))).GetProperty("status").GetString());
        Assert.Null(await OpenDeadlineAsync(app, assignment));

        // Another county, a department officer and the county itself cannot receive it; the city does.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/api/reports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-police")).GetAsync($"/api/reports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("ly-discipline")).GetAsync($"/api/reports/{id}")).StatusCode);
        Assert.Equal("ReportNotUpper", await RuleAsync(await county.PostAsync($"/api/reports/{id}/receive", null)));
        var received = await OkAsync(await city.PostAsync($"/api/reports/{id}/receive", null));
        Assert.Equal("received", received.GetProperty("state").GetString());
        Assert.Equal("closed", (await OkAsync(await city.GetAsync($"/api/assignments/{assignment}"))).GetProperty("status").GetString());

        // The PDF and the Excel are what was generated, whatever was added after.
        var known = received.GetProperty("content").GetProperty("board").GetProperty("sections")[0].GetProperty("measures")[0].GetProperty("total").GetProperty("value").GetInt32();
        var spot = Spots.Songxian();
        await OkAsync(await county.PostAsJsonAsync("/api/adits", new
        {
            township = "陶村林场", lon = spot.Lon.ToString("F6", CultureInfo.InvariantCulture), lat = spot.Lat.ToString("F6", CultureInfo.InvariantCulture), mineral = "金", origin = "盗采点",
        }), HttpStatusCode.Created);
        var live = await OkAsync(await county.GetAsync($"/api/dashboard?division=410325&from={Day(app, -30)}&to={Day(app, 0)}"));
        // At least the one added here (other tests of the shared app add adits in the county too).
        Assert.True(live.GetProperty("sections")[0].GetProperty("measures")[0].GetProperty("total").GetProperty("value").GetInt32() > known);

        var pdf = await city.GetAsync($"/api/reports/{id}.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = CaseDocumentsTests.TextOf(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains(narrative, text, StringComparison.Ordinal);
        Assert.Contains("签发人：嵩县分管副县长陈静", text, StringComparison.Ordinal);
        foreach (var heading in new[] { "一、工作开展情况", "二、主要数据", "矿硐台账", "线索核查", "整改销号", "三、逾期未办事项", "四、问责线索" })
            Assert.Contains(heading, text, StringComparison.Ordinal);

        var sheets = Sheets(await city.GetByteArrayAsync($"/api/reports/{id}.xlsx"));
        Assert.Equal(["封面", "矿硐台账", "线索核查", "线索来源与处理", "整改销号", "群众举报", "案件查处", "预警处置", "巡查考核", "问责线索统计", "逾期未办事项", "问责线索"], sheets.Keys.ToList());
        Assert.Equal(narrative, sheets["封面"].Single(r => r[0] == "工作开展情况")[1]);
        var ledger = sheets["矿硐台账"];
        Assert.Equal(["区划", "已登记矿硐"], ledger[0].Take(2).ToList());
        Assert.Equal("合计（嵩县）", ledger[^1][0]);
        Assert.Equal(known.ToString(CultureInfo.InvariantCulture), ledger[^1][1]);
        // The children's rows add up to the total.
        Assert.Equal(known, ledger.Skip(1).SkipLast(1).Sum(r => int.Parse(r[1], CultureInfo.InvariantCulture)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_returned_report_reopens_its_deadline_and_needs_a_new_sign_off(string provider)
    {
        var app = await TestApp.Shared(provider);
        var city = await app.LoginAsync("ly-office");
        var county = await app.LoginAsync("sx-office");
        var leader = await app.LoginAsync("sx-leader");
        var (id, assignment) = await RequestAsync(app, city);
        await OkAsync(await county.PutAsJsonAsync($"/api/reports/{id}", new { narrative = "初稿" }));
        await OkAsync(await leader.PostAsync($"/api/reports/{id}/sign-off", null));
        await OkAsync(await county.PostAsync($"/api/reports/{id}/send", null));

        var errors = await Problems.ErrorsAsync(await city.PostAsJsonAsync($"/api/reports/{id}/return", new { comment = " " }));
        Assert.True(errors.TryGetProperty("comment", out _), errors.ToString());
        var returned = await OkAsync(await city.PostAsJsonAsync($"/api/reports/{id}/return", new { comment = "请补充回头看情况" }));
        Assert.Equal("returned", returned.GetProperty("state").GetString());
        Assert.Equal("请补充回头看情况", returned.GetProperty("returnComment").GetString());
        Assert.Equal("open", (await OkAsync(await county.GetAsync($"/api/assignments/{assignment}"))).GetProperty("status").GetString());
        Assert.NotNull(await OpenDeadlineAsync(app, assignment));

        var revised = await OkAsync(await county.PutAsJsonAsync($"/api/reports/{id}", new { narrative = "修改稿：已补充回头看情况" }));
        Assert.Equal("draft", revised.GetProperty("state").GetString());
        Assert.Equal(2, revised.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, revised.GetProperty("signedByName").ValueKind);
        Assert.Equal("ReportNotSigned", await RuleAsync(await county.PostAsync($"/api/reports/{id}/send", null)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_and_access_are_refused_and_a_request_sent_twice_is_stored_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var city = await app.LoginAsync("ly-office");
        var county = await app.LoginAsync("sx-office");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).PostAsJsonAsync("/api/reports", new { from = Day(app, -30) })).StatusCode);

        var errors = await Problems.ErrorsAsync(await city.PostAsJsonAsync("/api/reports/requests", new { division = "431281", from = Day(app, -30), to = Day(app, 0), dueOn = Day(app, 5) }));
        Assert.True(errors.TryGetProperty("division", out _), errors.ToString());
        errors = await Problems.ErrorsAsync(await city.PostAsJsonAsync("/api/reports/requests", new { division = "410325", from = Day(app, -30), to = Day(app, 0), dueOn = Day(app, -1) }));
        Assert.True(errors.TryGetProperty("dueOn", out _), errors.ToString());
        errors = await Problems.ErrorsAsync(await city.PostAsJsonAsync("/api/reports/requests", new { division = "410325", from = Day(app, 0), to = Day(app, -30), dueOn = Day(app, 5) }));
        Assert.True(errors.EnumerateObject().Any(), errors.ToString());
        errors = await Problems.ErrorsAsync(await county.PostAsJsonAsync("/api/reports", new { division = "410325400", from = Day(app, -30), to = Day(app, 0) }));
        Assert.True(errors.TryGetProperty("division", out _), errors.ToString());
        errors = await Problems.ErrorsAsync(await county.PostAsJsonAsync("/api/reports", new { from = Day(app, -30), to = Day(app, 0), narrative = new string('字', 20001) }));
        Assert.True(errors.TryGetProperty("narrative", out _), errors.ToString());

        // A county's own report, sent twice with one client id, is one report; the city does not see the draft.
        var client = Guid.NewGuid();
        var first = await OkAsync(await county.PostAsJsonAsync("/api/reports", new { from = Day(app, -30), to = Day(app, 0), narrative = "自报", clientId = client }), HttpStatusCode.Created);
        var second = await OkAsync(await county.PostAsJsonAsync("/api/reports", new { from = Day(app, -30), to = Day(app, 0), narrative = "自报", clientId = client }), HttpStatusCode.Created);
        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        var id = first.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await city.GetAsync($"/api/reports/{id}")).StatusCode);
        Assert.DoesNotContain((await OkAsync(await city.GetAsync("/api/reports"))).EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        Assert.Contains((await OkAsync(await county.GetAsync("/api/reports?state=draft"))).EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsync($"/api/reports/{id}/send", null)).StatusCode);
    }
}
