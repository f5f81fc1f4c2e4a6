using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Sweeps;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Features.Clues;
using MineGuard.Tests.Features.Lists;
using static MineGuard.Tests.Features.Sweeps.SweepsApiTests;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// 问题台账/整改台账 imported from the upward layout (issue 17): the product's own export read back in another county, the
/// same file twice stored once, bad rows refused with Chinese reasons beside the good ones kept, the batch undone, scope.
/// </summary>
public sealed class ProblemLedgerImportTests
{
    private static readonly string[] Upward = ["序号", "问题描述", "所在位置", "发现时间", "发现人", "整改措施", "责任单位", "责任人", "整改时限", "完成情况", "验收人", "销号时间"];

    private static List<(int Row, string? Header, string Message)> Errors(JsonElement session) =>
        [.. session.GetProperty("summary").GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(),
            e.GetProperty("header").GetString(), e.GetProperty("message").GetString()!))];

    private static (int Read, int Valid, int Invalid) Counts(JsonElement session)
    {
        var s = session.GetProperty("summary");
        return (s.GetProperty("rowsRead").GetInt32(), s.GetProperty("valid").GetInt32(), s.GetProperty("invalid").GetInt32());
    }

    /// <summary>嵩县's ledger: an inspection signed by another person finds two problems, the first made a rectification item; exported.</summary>
    private static async Task<byte[]> SongxianLedgerAsync(TestApp app, HttpClient office, string mark)
    {
        var patrol = await app.LoginAsync("sx-patrol");
        var inspection = await OkJson(patrol.PostAsJsonAsync("/api/inspections", new
        {
            id = Guid.NewGuid(), placeKind = "village", divisionCode = "410325400", placeName = $"{mark}后沟村", lon = 112.0, lat = 34.1, signer = "李强",
            problems = new object[]
            {
                new { classification = "seal", description = $"{mark} 封堵墙破损" },
                new { classification = "transport", description = $"{mark} 路边堆放矿渣" },
            },
        }), HttpStatusCode.Created);
        var first = inspection.GetProperty("problems")[0].GetProperty("id").GetGuid();
        var (cadre, _) = await CluesApiTests.CadreAsync(app);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        await OkJson(office.PostAsJsonAsync("/api/rectifications", new
        {
            problemId = first, requirement = "浆砌封堵", responsibleUnit = "陶村林场", responsiblePersonId = cadre,
            dueOn = today.AddDays(7).ToString("yyyy-MM-dd"), measures = "浆砌封堵、回填井口",
        }), HttpStatusCode.Created);
        var response = await office.GetAsync($"/api/rectifications/export.xlsx?ledger=problems&q={mark}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_products_own_export_imports_in_another_county_and_twice_stores_nothing_twice(string provider)
    {
        var app = await TestApp.Shared(provider);
        var songxian = await app.LoginAsync("sx-office");
        var mark = "L" + Guid.NewGuid().ToString("N")[..8];
        var file = await SongxianLedgerAsync(app, songxian, mark);
        var written = ListSearchTests.Read(file);
        Assert.Equal(Upward, written[0].Cells);
        Assert.Equal(3, written.Count);

        // Back into 嵩县 itself: every row is already in its ledger, nothing is stored.
        var again = await Ledger.SessionAsync(songxian, file, "问题台账.xlsx", "problems");
        Assert.Equal((2, 0, 2), Counts(again));
        Assert.All(Errors(again), e => Assert.Equal(("问题描述", "问题台账中已有该问题（问题描述、所在位置和发现时间相同），不再重复导入"), (e.Header, e.Message)));
        var nothing = await songxian.PostAsync($"/api/imports/sessions/{again.GetProperty("id").GetString()}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);

        // 洪江市 takes the ledger in: the columns are recognised, both rows imported as one batch of the 问题台账.
        var hongjiang = await app.LoginAsync("hj-office");
        var session = await Ledger.SessionAsync(hongjiang, file, "问题台账.xlsx", "problems");
        Assert.Equal([null, "Description", "Place", "FoundAt", "FoundBy", "Measures", "ResponsibleUnit", "Responsible", "DueOn", "Completion", "Verifier", "ClosedAt"],
            session.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal((2, 2, 0), Counts(session));
        var batch = await Ledger.ConfirmAsync(hongjiang, session);
        var batchId = Guid.Parse(batch.GetProperty("id").GetString()!);
        Assert.Equal(("problems", 2), (batch.GetProperty("kind").GetString(), batch.GetProperty("rowsImported").GetInt32()));
        var imported = await app.WithDbAsync(db => db.Set<Problem>().Where(p => p.ImportBatchId == batchId).ToListAsync());
        Assert.Equal(2, imported.Count);
        Assert.All(imported, p => Assert.StartsWith("431281", p.DivisionCode, StringComparison.Ordinal));

        // Its export holds what 嵩县's held: description, place, time found, who found and signed, measures.
        var back = await ListSearchTests.ExportAsync(hongjiang, $"/api/rectifications/export.xlsx?ledger=problems&q={mark}");
        Assert.Equal(3, back.Count);
        string Cells(SheetRow r) => string.Join("|", Enumerable.Range(1, 5).Select(r.Cell));
        Assert.Equal(written.Skip(1).Select(Cells).Order(StringComparer.Ordinal), back.Skip(1).Select(Cells).Order(StringComparer.Ordinal));
        Assert.Contains(back.Skip(1), r => r.Cell(4).EndsWith("（签字人 李强）", StringComparison.Ordinal));
        Assert.All(back.Skip(1), r => Assert.StartsWith("待整改", r.Cell(9), StringComparison.Ordinal));
        // What the ledger said of the rectification is kept with the row's inspection, as written.
        var sealRow = imported.Single(p => p.Description.EndsWith("封堵墙破损", StringComparison.Ordinal));
        var note = await app.WithDbAsync(db => db.Set<Inspection>().Where(i => i.Id == sealRow.InspectionId).Select(i => i.Note).SingleAsync());
        Assert.Contains("责任单位：陶村林场", note, StringComparison.Ordinal);
        Assert.Equal("浆砌封堵、回填井口", sealRow.Measures);

        // The same file again: nothing twice.
        var twice = await Ledger.SessionAsync(hongjiang, file, "问题台账.xlsx", "problems");
        Assert.Equal((2, 0, 2), Counts(twice));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<Problem>().CountAsync(p => p.Description.StartsWith(mark) && p.DivisionCode.StartsWith("431281"))));

        // 嵩县 does not see 洪江市's batch nor its problems; the batch is undone, and the file then imports again.
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.GetAsync($"/api/imports/{batchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.PostAsync($"/api/imports/{batchId}/undo", null)).StatusCode);
        Assert.Equal(2, (await OkJson(songxian.GetAsync($"/api/rectifications/problems?q={mark}"))).GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await hongjiang.PostAsync($"/api/imports/{batchId}/undo", null)).StatusCode);
        Assert.Equal(0, (await OkJson(hongjiang.GetAsync($"/api/rectifications/problems?q={mark}"))).GetArrayLength());
        Assert.False(await app.WithDbAsync(db => db.Set<Inspection>().AnyAsync(i => i.Id == sealRow.InspectionId)));
        Assert.Equal((2, 2, 0), Counts(await Ledger.SessionAsync(hongjiang, file, "问题台账.xlsx", "problems")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_dates_and_blank_required_cells_are_row_errors_and_the_good_rows_are_kept(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = "B" + Guid.NewGuid().ToString("N")[..8];
        var file = Ledger.Xlsx(Upward,
        [
            [1, $"{mark} 硐口未封", "城关镇后沟村", "2026-10-20 09:30", "张三", "封堵", "城关镇", "王五", "2026-11-30", "整改中", null, null],
            [2, $"{mark} 日期错", "城关镇后沟村", "2026-13-45", "张三", null, null, null, null, null, null, null],
            [3, null, "城关镇前沟村", "2026-10-21", "张三", null, null, null, null, null, null, null],
            [4, $"{mark} 时限早于发现", "城关镇前沟村", "2026年10月21日", "张三", null, null, null, "2026-10-01", null, null, null],
            [5, $"{mark} 硐口未封", "城关镇后沟村", "2026/10/20 09:30", "张三", null, null, null, null, null, null, null],
            [6, $"{mark} 销号无验收人", "城关镇前沟村", "2026-10-22", "李四", null, null, null, null, "已销号", null, "2026-10-25 16:00"],
            [7, $"{mark} 发现人空", "城关镇前沟村", "2026-10-22", null, null, null, null, null, null, null, null],
            [8, $"{mark} 已验收", "城关镇前沟村", "2026-10-22", "李四（签字人 赵六）", "回填", "城关镇", "王五", "2026-10-30", "已完成", "周七", "2026-10-28"],
        ]);
        var session = await Ledger.SessionAsync(office, file, "嵩县问题台账.xlsx", "problems");
        Assert.Equal((8, 2, 6), Counts(session));
        var errors = Errors(session);
        Assert.Contains((3, "发现时间", "发现时间格式应为 2026-01-31 或 2026-01-31 09:30"), errors);
        Assert.Contains((4, "问题描述", "请填写问题描述"), errors);
        Assert.Contains((5, "整改时限", "整改时限不能早于发现时间（2026-10-21）"), errors);
        Assert.Contains((6, "问题描述", "与本表第 2 行是同一问题（问题描述、所在位置和发现时间相同）"), errors);
        Assert.Contains((7, "验收人", "已销号的问题须写明验收人"), errors);
        Assert.Contains((8, "发现人", "请填写发现人"), errors);
        Assert.Equal(6, errors.Count);

        var batch = await Ledger.ConfirmAsync(office, session);
        Assert.Equal((2, 6), (batch.GetProperty("rowsImported").GetInt32(), batch.GetProperty("rowsRejected").GetInt32()));
        var kept = await OkJson(office.GetAsync($"/api/rectifications/problems?q={mark}"));
        Assert.Equal(2, kept.GetArrayLength());
        var signed = kept.EnumerateArray().Single(p => p.GetProperty("description").GetString()!.EndsWith("已验收", StringComparison.Ordinal));
        Assert.Equal(("李四", "赵六", "open"), (signed.GetProperty("foundByName").GetString(), signed.GetProperty("signerName").GetString(),
            signed.GetProperty("status").GetString()));
        // 2026-10-22 in China, the start of the day.
        Assert.Equal(new DateTime(2026, 10, 21, 16, 0, 0, DateTimeKind.Utc), signed.GetProperty("foundUtc").GetDateTime().ToUniversalTime());
        // The error report names each refused row's reasons in the file's own layout.
        var report = await office.GetAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/errors.xlsx");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Only_writers_in_scope_import_a_problem_ledger(string provider)
    {
        var app = await TestApp.Shared(provider);
        var file = Ledger.Xlsx(Upward, [[1, "无权导入", "城关镇", "2026-10-20", "张三", null, null, null, null, null, null, null]]);
        using var anonymousForm = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "台账.xlsx" }, { new StringContent("problems"), "kind" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync("/api/imports/sessions", anonymousForm)).StatusCode);
        // A reader (the county's leader) may not import.
        var leader = await app.LoginAsync("sx-leader");
        using var leaderForm = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "台账.xlsx" }, { new StringContent("problems"), "kind" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync("/api/imports/sessions", leaderForm)).StatusCode);
        // A county office may not import into another county.
        var office = await app.LoginAsync("hj-office");
        var other = await Ledger.UploadAsync(office, file, "台账.xlsx", "problems", county: "410325");
        Assert.True(other.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, await other.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Problem>().CountAsync(p => p.Description == "无权导入")));
    }
}
