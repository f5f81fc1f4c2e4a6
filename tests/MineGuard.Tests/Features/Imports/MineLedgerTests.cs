using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Imports;
using MineGuard.Features.Mines;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Features.Mines;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>矿山台账 in and out: an office's own sheet imported with the form's checks, undone, exported and read back.</summary>
public sealed class MineLedgerTests
{
    private static readonly string[] OfficeHeaders = ["名称", "采矿权人", "采矿许可证号", "开采矿种", "所在乡镇", "矿区范围", "坐标系", "发证日期", "到期日期", "状态"];

    /// <summary>A square parcel inside 嵩县 as corner lines "lon,lat".</summary>
    private static string Square(double size = 0.004)
    {
        var (lon, lat) = Spots.Next();
        return string.Join('\n', new[] { (lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size) }
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1:0.######},{p.Item2:0.######}")));
    }

    private static object?[] Row(string name, string licence, string? boundary = null, string mineral = "金", string from = "2024-01-01", string to = "2029-12-31") =>
        [name, "嵩县某某矿业有限公司", licence, mineral, "城关镇", boundary ?? Square(), "WGS84", from, to, "生产"];

    private static async Task<(Guid Batch, string[] Licences)> ImportTwoAsync(HttpClient office, string prefix)
    {
        string[] licences = [MineData.Licence(), MineData.Licence()];
        var file = Ledger.Xlsx(OfficeHeaders, [Row($"{prefix}甲矿", licences[0]), Row($"{prefix}乙矿", licences[1], mineral: "萤石")]);
        var batch = await Ledger.ConfirmAsync(office, await Ledger.SessionAsync(office, file, "矿山.xlsx", "mines"));
        return (Guid.Parse(batch.GetProperty("id").GetString()!), licences);
    }

    private static List<(int Row, string? Header, string Field, string Message)> Errors(JsonElement session) =>
        [.. session.GetProperty("summary").GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(),
            e.GetProperty("header").GetString(), e.GetProperty("field").GetString()!, e.GetProperty("message").GetString()!))];

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_ledger_maps_bad_rows_are_reported_and_valid_rows_are_one_audited_batch(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var prefix = MineData.Unique("台账");
        var (l1, l2, taken) = (MineData.Licence(), MineData.Licence(), MineData.Licence());
        await MineData.CreateAsync(office, MineData.Body(licence: taken, name: $"{prefix}已登记矿"));
        var file = Ledger.Xlsx(OfficeHeaders,
        [
            Row($"{prefix}1", l1),
            Row($"{prefix}2", l2),
            Row($"{prefix}3", MineData.Licence(), boundary: "112.05,34.05\n112.06,34.05"),
            Row($"{prefix}4", MineData.Licence(), boundary: "1 3780000 38500000\n2 3780100 38500000\n3 3780100 38500100"),
            Row($"{prefix}5", MineData.Licence(), mineral: "钻石"),
            Row($"{prefix}6", MineData.Licence(), from: "2025-01-01", to: "2024-01-01"),
            Row($"{prefix}7", " " + l1.ToLowerInvariant()),
            Row($"{prefix}8", taken),
        ]);

        var session = await Ledger.SessionAsync(office, file, "嵩县矿山台账.xlsx", "mines");
        Assert.Equal("mines", session.GetProperty("kind").GetString());
        Assert.Equal(["Name", "RightsHolder", "LicenceNumber", "Mineral", "Township", "Boundary", "BoundaryCrs", "ValidFrom", "ValidTo", "Status"],
            session.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        var summary = session.GetProperty("summary");
        Assert.Equal((8, 2, 6), (summary.GetProperty("rowsRead").GetInt32(), summary.GetProperty("valid").GetInt32(), summary.GetProperty("invalid").GetInt32()));
        var errors = Errors(session);
        Assert.Contains((4, "矿区范围", "拐点坐标", "拐点至少需要 3 个不同的点（只有 2 个）"), errors);
        Assert.Contains((5, "矿区范围", "拐点坐标", "第 1 行：" + CornerList.ProjectedMessage), errors);
        Assert.Contains((6, "开采矿种", "矿种", $"未知的矿种“钻石”，应为：{LicenceFields.MineralList}"), errors);
        Assert.Contains((7, "到期日期", "有效期止", "有效期截止日期不能早于起始日期"), errors);
        Assert.Contains((8, "采矿许可证号", "许可证号", $"许可证号“{l1}”与本表第 2 行重复"), errors);
        Assert.Contains((9, "采矿许可证号", "许可证号", $"许可证号“{taken}”已登记（{prefix}已登记矿）"), errors);
        Assert.Equal(6, errors.Count);

        var batch = await Ledger.ConfirmAsync(office, session);
        var batchId = Guid.Parse(batch.GetProperty("id").GetString()!);
        Assert.Equal(("mines", 8, 2, 6), (batch.GetProperty("kind").GetString(), batch.GetProperty("rowsRead").GetInt32(),
            batch.GetProperty("rowsImported").GetInt32(), batch.GetProperty("rowsRejected").GetInt32()));
        var mines = await app.WithDbAsync(db => db.Set<LicensedMine>().Where(m => m.ImportBatchId == batchId).OrderBy(m => m.Name).ToListAsync());
        Assert.Equal([l1, l2], mines.Select(m => m.LicenceNumber));
        Assert.All(mines, m => Assert.Equal(("410325", true, MineStatus.Producing), (m.CountyCode, m.DivisionCode.Length > 6, m.Status)));
        Assert.Equal(new DateOnly(2029, 12, 31), mines[0].ValidTo);

        var ids = mines.Select(m => m.Id.ToString()).ToList();
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.EntityId == batchId.ToString() && a.Action == "import")));
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.EntityType == nameof(LicensedMine) && ids.Contains(a.EntityId))));
        var report = await office.GetFromJsonAsync<JsonElement>($"/api/imports/{batchId}");
        Assert.Equal(6, report.GetProperty("rejected").GetArrayLength());

        // Another county's office does not see the batch at all.
        var other = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/imports/{batchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/imports/{batchId}/undo", null)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Undo_deletes_the_batch_and_is_refused_once_a_mine_was_edited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (batch, licences) = await ImportTwoAsync(office, MineData.Unique("撤销"));
        var undo = await office.PostAsync($"/api/imports/{batch}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Set<LicensedMine>().AnyAsync(m => licences.Contains(m.LicenceNumber))));
        var record = await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityId == batch.ToString() && a.Action == "undo-import"));
        Assert.Contains("删除 2 个矿山", record.Changes, StringComparison.Ordinal);

        var (edited, kept) = await ImportTwoAsync(office, MineData.Unique("修改"));
        var id = await app.WithDbAsync(db => db.Set<LicensedMine>().Where(m => m.LicenceNumber == kept[1]).Select(m => m.Id).SingleAsync());
        var put = await office.PutAsJsonAsync($"/api/mines/{id}", MineData.Body(licence: kept[1], name: "核实后改名的矿", mineral: "萤石"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var refused = await office.PostAsync($"/api/imports/{edited}/undo", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ImportChangedSince", problem.GetProperty("code").GetString());
        Assert.Contains($"有 1 个在导入后已被修改（如许可证号 {kept[1]}）", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<LicensedMine>().CountAsync(m => kept.Contains(m.LicenceNumber))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Export_holds_the_filtered_list_and_imports_back(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var prefix = MineData.Unique("导出");
        var (_, licences) = await ImportTwoAsync(office, prefix);

        var response = await office.GetAsync($"/api/mines/export.xlsx?q={prefix}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MineGuard.Platform.Excel.ExportFormat.Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("矿山台账-20261102.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        var export = await response.Content.ReadAsByteArrayAsync();
        var rows = SheetReader.Read(new MemoryStream(export), "export.xlsx").ToList();
        Assert.Equal(["矿山名称", "矿业权人", "许可证号", "矿种", "乡镇", "拐点坐标", "坐标系", "有效期起", "有效期止", "生产状态", "是否过期"], rows[0].Cells);
        Assert.Equal(licences.Order(StringComparer.Ordinal), rows.Skip(1).Select(r => r.Cell(2)));
        var first = rows.Single(r => r.Cell(2) == licences[0]);
        Assert.Equal(($"{prefix}甲矿", "金", "城关镇", "WGS84", "2024-01-01", "2029-12-31", "生产", "否"),
            (first.Cell(0), first.Cell(3), first.Cell(4), first.Cell(6), first.Cell(7), first.Cell(8), first.Cell(9), first.Cell(10)));
        Assert.Equal(4, first.Cell(5).Split('\n').Length);

        var fluorite = SheetReader.Read(new MemoryStream(await office.GetByteArrayAsync($"/api/mines/export.xlsx?q={prefix}&mineral=萤石")), "e.xlsx").ToList();
        Assert.Equal([licences[1]], fluorite.Skip(1).Select(r => r.Cell(2)));
        var bad = await office.GetAsync("/api/mines/export.xlsx?mineral=unobtainium&expired=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.StartsWith("未知的矿种“unobtainium”", errors.GetProperty("mineral")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("是否过期只能是 true 或 false", errors.GetProperty("expired")[0].GetString());
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.Action == "export" && a.ActorName == "sx-office" && a.Changes!.Contains(prefix)).ToListAsync());
        Assert.Contains(audit, a => a.Changes == $"导出矿山台账 2 条（含“{prefix}”）");

        // Into the same county: every column maps back, and every licence is already registered.
        var same = await Ledger.SessionAsync(office, export, "export.xlsx", "mines");
        Assert.Equal<IEnumerable<string?>>(["Name", "RightsHolder", "LicenceNumber", "Mineral", "Township", "Boundary", "BoundaryCrs", "ValidFrom", "ValidTo", "Status", null],
            same.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal(0, same.GetProperty("summary").GetProperty("valid").GetInt32());
        var sameErrors = Errors(same);
        Assert.Equal(2, sameErrors.Count);
        Assert.All(sameErrors, e => Assert.Matches("^许可证号“.+”已登记（.+）$", e.Message));

        // Into another county: the parcels lie outside it (and the licences are taken elsewhere).
        var other = await app.LoginAsync("hj-office");
        Assert.Single(SheetReader.Read(new MemoryStream(await other.GetByteArrayAsync($"/api/mines/export.xlsx?q={prefix}")), "e.xlsx"));
        var elsewhere = await Ledger.SessionAsync(other, export, "export.xlsx", "mines");
        Assert.Equal(0, elsewhere.GetProperty("summary").GetProperty("valid").GetInt32());
        Assert.Contains((2, "乡镇", "乡镇", "“城关镇”不是“洪江市”的乡镇"), Errors(elsewhere));
        // Without the township column the parcels themselves are refused: they lie outside the county.
        var remap = await Ledger.RemapAsync(other, elsewhere, "Name", "RightsHolder", "LicenceNumber", "Mineral", null, "Boundary", "BoundaryCrs", "ValidFrom", "ValidTo", "Status", null);
        Assert.Equal(HttpStatusCode.OK, remap.StatusCode);
        var remapped = await remap.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, remapped.GetProperty("summary").GetProperty("valid").GetInt32());
        var elsewhereErrors = Errors(remapped);
        Assert.Contains((2, "拐点坐标", "拐点坐标", "矿区范围不在“洪江市”境内，请检查坐标（或坐标系是否选错）"), elsewhereErrors);
        Assert.Contains((3, "拐点坐标", "拐点坐标", "矿区范围不在“洪江市”境内，请检查坐标（或坐标系是否选错）"), elsewhereErrors);
        Assert.Contains(elsewhereErrors, e => e.Field == "许可证号" && e.Message.EndsWith("已在其他辖区登记", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/mines/export.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/mines/template.xlsx")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Template_maps_onto_the_import_and_the_list_page_links_the_filtered_export(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var template = await office.GetByteArrayAsync("/api/mines/template.xlsx");
        var rows = SheetReader.Read(new MemoryStream(template), "t.xlsx").ToList();
        Assert.Equal(MineLedger.MineFields.Select(f => f.Required ? f.Header + "*" : f.Header), rows[0].Cells);
        Assert.Equal("示例", rows[1].Cells[0]);
        var blank = await Ledger.SessionAsync(office, template, "模板.xlsx", "mines");
        Assert.Equal(MineLedger.MineFields.Select(f => f.Key), blank.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal(0, blank.GetProperty("summary").GetProperty("rowsRead").GetInt32());

        var page = await office.GetStringAsync("/mines?mineral=金&status=生产&q=abc");
        Assert.Contains("href=\"/api/mines/export.xlsx?mineral=%E9%87%91&amp;status=%E7%94%9F%E4%BA%A7&amp;q=abc\"", page, StringComparison.Ordinal);
        Assert.Contains("导出 Excel", page, StringComparison.Ordinal);
        var imports = await office.GetStringAsync("/imports");
        Assert.Contains("<option value=\"mines\">矿山台账</option>", imports, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Import_verb_imports_a_mine_ledger(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        var dir = Directory.CreateTempSubdirectory("mineguard-cli-");
        try
        {
            var ledger = Path.Combine(dir.FullName, "嵩县矿山.xlsx");
            await File.WriteAllBytesAsync(ledger, Ledger.Xlsx(OfficeHeaders,
                [Row("甲矿", "C4103CLI0001"), Row("乙矿", "C4103CLI0002", mineral: "钻石")]));
            var run = await Cli.RunAsync(provider, cs, "import", "mines", ledger, "--county", "410325");
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("imported: 1", run.Output, StringComparison.Ordinal);
            Assert.Contains("未知的矿种“钻石”", run.Output, StringComparison.Ordinal);
            await using var db = SchemaSnapshot.Context(provider, cs);
            db.CurrentUser.ActAsSystem("test");
            Assert.Equal(["C4103CLI0001"], await db.Set<LicensedMine>().Select(m => m.LicenceNumber).ToListAsync());
        }
        finally
        {
            dir.Delete(recursive: true);
            await drop();
        }
    }
}

/// <summary>The export's boundary cell (<see cref="MineExport.Corners"/>): corners when it can, the stored text when it cannot.</summary>
public sealed class MineExportCornersTests
{
    [Fact]
    public void A_square_becomes_its_corners_and_an_unreadable_boundary_goes_out_as_stored()
    {
        const string square = """{"type":"Polygon","coordinates":[[[111.7,33.9],[111.71,33.9],[111.71,33.91],[111.7,33.91],[111.7,33.9]]]}""";
        Assert.Equal("111.7,33.9\n111.71,33.9\n111.71,33.91\n111.7,33.91", MineExport.Corners(square));
        Assert.Equal("{}", MineExport.Corners("{}"));
        Assert.Equal("{\"type\":\"Polygon\"", MineExport.Corners("{\"type\":\"Polygon\""));
    }
}
