using MineGuard.Platform.Imports;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>An office's own ledger through the import session: mapping, every row checked, then the valid rows or nothing.</summary>
public sealed class ImportSessionTests
{
    private static readonly string[] OfficeHeaders = ["矿硐编号", "所在乡镇", "东经", "北纬", "是否封堵", "封堵方式", "封堵时间", "包保责任人", "填表人"];

    private static object?[] Row(string number, string township, (double Lon, double Lat) p, string sealed_ = "否",
        string? method = null, object? on = null, string? responsible = null) =>
        [number, township, Math.Round(p.Lon, 6), Math.Round(p.Lat, 6), sealed_, method, on, responsible, "王敏"];

    [Theory, OnSqlite, OnPostgres]
    public async Task An_office_ledger_maps_itself_reports_bad_rows_by_row_number_and_imports_the_valid_ones(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (p1, p2, p3, p4, existingAt) = (Spots.Next(), Spots.Next(), Spots.Next(), Spots.Next(), Spots.Next());
        var existing = Spots.Unique("E");
        await app.WithDbAsync(async db =>
        {
            var (adit, errors) = await new AditCommands(db).RegisterAsync(new AditInput
            {
                Number = existing, County = "410325", Township = "九皋镇", Lon = $"{existingAt.Lon:F7}", Lat = $"{existingAt.Lat:F7}",
            }, default);
            Assert.True(errors.Ok, string.Join("；", errors.Values.SelectMany(v => v)));
            return adit;
        });
        var n = Enumerable.Range(1, 7).Select(i => Spots.Unique($"L{i}")).ToArray();
        var file = Ledger.Xlsx(OfficeHeaders,
        [
            Row(n[0], "城关镇", p1, "是", "混凝土浇筑", new DateOnly(2024, 9, 26), "sx-resp"),  // row 3: valid, sealed
            Row(n[1], "田湖", p2),                                                               // row 4: valid ("田湖" for 田湖镇)
            [n[2], "城关镇", "abc", 34.05, "否", null, null, null, null],                        // row 5: bad coordinate
            Row(n[3], "城关镇", Spots.OutsideSongxian),                                         // row 6: outside the county
            Row(n[4], "不存在镇", p3),                                                          // row 7: unknown township
            Row(n[0], "田湖镇", p4),                                                            // row 8: number of row 3 again
            Row(n[5], "城关镇", Spots.East(p1, 5)),                                             // row 9: 5 m from row 3
            Row(n[6], "九皋镇", Spots.East(existingAt, 5)),                                     // row 10: 5 m from an existing adit
        ], title: "嵩县废弃矿硐排查台账");

        var session = await Ledger.SessionAsync(office, file, "嵩县台账.xlsx");
        Assert.Equal(2, session.GetProperty("headerRow").GetInt32());
        var mapping = session.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Equal<IEnumerable<string?>>(["Number", "Township", "Lon", "Lat", "SealState", "SealMethod", "SealedOn", "Responsible", null], mapping);
        var summary = session.GetProperty("summary");
        Assert.Equal(8, summary.GetProperty("rowsRead").GetInt32());
        Assert.True(summary.GetProperty("valid").GetInt32() == 2, summary.GetProperty("errors").ToString());
        Assert.Equal(6, summary.GetProperty("invalid").GetInt32());
        Assert.Equal(8, summary.GetProperty("rows").GetArrayLength());
        Assert.False(summary.GetProperty("rows")[2].GetProperty("valid").GetBoolean());
        var errors = summary.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Message: e.GetProperty("message").GetString()!)).ToList();
        Assert.Equal([5, 6, 7, 8, 9, 10], errors.Select(e => e.Row));
        Assert.Contains(errors, e => e is { Row: 5, Column: "C" } && e.Message.Contains("经度“abc”", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Row == 6 && e.Message.Contains("不在嵩县境内", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 7, Column: "B" } && e.Message.Contains("乡镇“不存在镇”不在嵩县的区划中", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 8, Column: "A" } && e.Message.Contains("与本表第 3 行重复", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Row == 9 && e.Message.Contains("与本表第 3 行的矿硐相距 5 米", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Row == 10 && e.Message.Contains($"与已登记的矿硐 {existing} 相距 5 米", StringComparison.Ordinal));

        var before = await app.WithDbAsync(db => db.AuditRecords.CountAsync());
        var batch = await Ledger.ConfirmAsync(office, session);
        Assert.Equal((8, 2, 6), (batch.GetProperty("rowsRead").GetInt32(), batch.GetProperty("rowsImported").GetInt32(), batch.GetProperty("rowsRejected").GetInt32()));
        var batchId = Guid.Parse(batch.GetProperty("id").GetString()!);

        var adits = await app.WithDbAsync(db => db.Adits().Include(a => a.Events).Where(a => a.ImportBatchId == batchId).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([n[0], n[1]], adits.Select(a => a.Number).Order());
        var sealedAdit = adits.Single(a => a.Number == n[0]);
        var resp = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-resp").Select(u => u.Id).SingleAsync());
        Assert.Equal((SealState.Sealed, SealMethod.Concrete, new DateOnly(2024, 9, 26), resp),
            (sealedAdit.State, sealedAdit.CurrentSealMethod!.Value, sealedAdit.LastSealedOn!.Value, sealedAdit.ResponsibleUserId!.Value));
        Assert.Equal("410325100", sealedAdit.TownshipCode);
        Assert.Single(sealedAdit.Events);
        Assert.Equal("410325101", adits.Single(a => a.Number == n[1]).TownshipCode);

        // One audit record for the whole import, none per row.
        var records = await app.WithDbAsync(db => db.AuditRecords.OrderBy(a => a.Sequence).Skip(before).ToListAsync());
        var ids = adits.Select(a => a.Id.ToString()).Concat(adits.SelectMany(a => a.Events).Select(e => e.Id.ToString())).ToHashSet();
        Assert.DoesNotContain(records, r => ids.Contains(r.EntityId));
        var record = Assert.Single(records, r => r.EntityId == batchId.ToString());
        Assert.Equal(("import", "ImportBatch", "sx-office"), (record.Action, record.EntityType, record.ActorName));
        Assert.Contains("读取 8 行，导入 2 行，拒绝 6 行", record.Changes, StringComparison.Ordinal);

        var report = await office.GetFromJsonAsync<JsonElement>($"/api/imports/{batchId}");
        Assert.Equal([5, 6, 7, 8, 9, 10], report.GetProperty("rejected").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()));
        var again = await office.PostAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("imported", (await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{session.GetProperty("id").GetString()}")).GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_wrong_mapping_is_corrected_by_the_user_and_every_row_is_checked_again(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        // A surveyor's sheet: X is the northing (latitude), Y the easting; the synonyms take X for longitude.
        var rows = Enumerable.Range(0, 3).Select(_ => Spots.Next()).Select(p => new object?[] { Spots.Unique("W"), "陶村林场", Math.Round(p.Lat, 6), Math.Round(p.Lon, 6), "旧台账" });
        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(["编号", "乡镇", "X", "Y", "备注"], rows.ToList()), "surveyor.xlsx");
        Assert.Equal(0, session.GetProperty("summary").GetProperty("valid").GetInt32());
        Assert.Contains("经纬度似乎填反了", session.GetProperty("summary").GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        await AssertMappingRefused(office, session, ["Number", "Township"], "请为全部 5 列");
        await AssertMappingRefused(office, session, ["Number", "Township", "Lat", "Lon", "Colour"], "未知的字段：Colour");
        await AssertMappingRefused(office, session, ["Number", "Township", "Lat", "Lat", null], "“纬度”只能对应一列，现对应了 C、D 列");

        var fixedUp = await Ledger.RemapAsync(office, session, "Number", "Township", "Lat", "Lon", "");
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
        var view = await fixedUp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, view.GetProperty("summary").GetProperty("valid").GetInt32());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("columns")[4].GetProperty("field").ValueKind);

        // Without a column for 纬度 nothing is checked, and nothing can be imported.
        var incomplete = await Ledger.RemapAsync(office, session, "Number", "Township", null, "Lon", null);
        var summary = (await incomplete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary");
        Assert.Equal(["纬度"], summary.GetProperty("missingRequired").EnumerateArray().Select(m => m.GetString()));
        var refused = await office.PostAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("请先为以下字段指定列：纬度", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Ledger.RemapAsync(office, session, "Number", "Township", "Lat", "Lon", null);
        var batch = await Ledger.ConfirmAsync(office, session);
        Assert.Equal(3, batch.GetProperty("rowsImported").GetInt32());
    }

    private static async Task AssertMappingRefused(HttpClient client, JsonElement session, string?[] fields, string message)
    {
        var response = await Ledger.RemapAsync(client, session, fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("fields");
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.Contains(message, StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Nothing_imports_nothing_and_lets_the_file_go(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var number = Spots.Unique("N");
        var p = Spots.Next();
        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(["编号", "乡镇", "经度", "纬度"], [[number, "城关镇", p.Lon, p.Lat]]), "nothing.xlsx");
        Assert.Equal(1, session.GetProperty("summary").GetProperty("valid").GetInt32());
        var id = Guid.Parse(session.GetProperty("id").GetString()!);

        Assert.Equal(HttpStatusCode.NoContent, (await office.PostAsync($"/api/imports/sessions/{id}/cancel", null)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Adits().AnyAsync(a => a.Number == number)));
        var stored = await app.WithDbAsync(db => db.Set<ImportSession>().SingleAsync(s => s.Id == id));
        Assert.Equal((ImportSessionStatus.Cancelled, (Guid?)null), (stored.Status, stored.FileId));
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsync($"/api/imports/sessions/{id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsync($"/api/imports/sessions/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Ledger.RemapAsync(office, session, "Number", "Township", "Lon", "Lat")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_GB18030_csv_from_Chinese_Excel_imports(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var numbers = new[] { Spots.Unique("G"), Spots.Unique("G") };
        var csv = Ledger.Csv(Ledger.GB18030, ["矿硐编号", "乡镇名称", "经度", "纬度", "矿种", "备注"],
        [
            [numbers[0], "木植街乡", p1.Lon.ToString("F6"), p1.Lat.ToString("F6"), "萤石", "沟口西侧"],
            [numbers[1], "陶村", p2.Lon.ToString("F6"), p2.Lat.ToString("F6"), "金", ""],
        ]);
        var session = await Ledger.SessionAsync(office, csv, "台账.csv");
        Assert.Equal(2, session.GetProperty("summary").GetProperty("valid").GetInt32());
        await Ledger.ConfirmAsync(office, session);
        var adits = await app.WithDbAsync(db => db.Adits().Where(a => numbers.Contains(a.Number)).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal(["410325210", "410325400"], adits.Select(a => a.TownshipCode).Order());
        Assert.Contains(adits, a => a is { Mineral: Mineral.Fluorite, Description: "沟口西侧" });
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Files_that_are_not_ledgers_are_refused_in_Chinese(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        await AssertFileRefused(office, [1, 2, 3], "scan.pdf", "只能上传 Excel（.xlsx）或 CSV 文件");
        await AssertFileRefused(office, [0xD0, 0xCF, 0x11, 0xE0, 0, 0], "old.xls", "只能上传 Excel（.xlsx）或 CSV 文件");
        await AssertFileRefused(office, "not a zip"u8.ToArray(), "fake.xlsx", "不是有效的 .xlsx 文件");
        await AssertFileRefused(office, [], "empty.csv", "请选择要上传的台账文件");
        await AssertFileRefused(office, Ledger.Xlsx(["编号"], []), "x.xlsx", "未知的台账类型", kind: "planets");
    }

    private static async Task AssertFileRefused(HttpClient client, byte[] content, string name, string message, string kind = "adits")
    {
        var response = await Ledger.UploadAsync(client, content, name, kind);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, body, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Imports_need_a_writer_and_are_invisible_outside_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var spot = Spots.Next();
        var file = Ledger.Xlsx(["编号", "乡镇", "经度", "纬度"], [[Spots.Unique("S"), "城关镇", spot.Lon, spot.Lat]]);
        using var anonymousForm = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "a.xlsx" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync("/api/imports/sessions", anonymousForm)).StatusCode);
        var leader = await app.LoginAsync("sx-leader");
        using var leaderForm = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "a.xlsx" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync("/api/imports/sessions", leaderForm)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync("/api/imports")).StatusCode);

        var office = await app.LoginAsync("sx-office");
        using var noToken = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "a.xlsx" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsync("/api/imports/sessions", noToken)).StatusCode);
        var session = await Ledger.SessionAsync(office, file, "songxian.xlsx");
        var id = session.GetProperty("id").GetString();
        var batchId = (await Ledger.ConfirmAsync(office, session)).GetProperty("id").GetString();

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/imports/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PutAsJsonAsync($"/api/imports/sessions/{id}/mapping", new { fields = new string?[4] })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsync($"/api/imports/sessions/{id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsync($"/api/imports/sessions/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/imports/{batchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsync($"/api/imports/{batchId}/undo", null)).StatusCode);
        Assert.DoesNotContain((await hongjiang.GetFromJsonAsync<JsonElement[]>("/api/imports"))!, b => b.GetProperty("id").GetString() == batchId);
        Assert.Contains((await office.GetFromJsonAsync<JsonElement[]>("/api/imports"))!, b => b.GetProperty("id").GetString() == batchId);
        // 洪江市's office cannot import into 嵩县 either.
        var elsewhere = await Ledger.UploadAsync(hongjiang, file, "x.xlsx", county: "410325");
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Contains("不是您管辖范围内的县", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
