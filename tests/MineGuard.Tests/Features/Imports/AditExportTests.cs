using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>The filtered adit list to .xlsx, read back as an office would open it; and the blank template.</summary>
public sealed class AditExportTests
{
    private static List<SheetRow> Read(byte[] xlsx) => [.. SheetReader.Read(new MemoryStream(xlsx), "export.xlsx")];

    [Theory, OnSqlite, OnPostgres]
    public async Task Export_holds_the_filtered_list_of_the_users_jurisdiction_with_Chinese_headers(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var prefix = Spots.Unique("X");
        var (p1, p2, p3) = (Spots.Next(), Spots.Next(), Spots.Next());
        var file = Ledger.Xlsx(["编号", "名称", "乡镇", "经度", "纬度", "矿种", "来源", "封堵状态", "封堵方式", "封堵日期", "包保责任人"],
        [
            [$"{prefix}-1", "后沟1号硐", "城关镇", p1.Lon, p1.Lat, "金", "盗采点", "已封堵", "石块堆砌", new DateOnly(2025, 5, 4), "sx-resp"],
            [$"{prefix}-2", null, "陶村林场", p2.Lon, p2.Lat, "萤石", "正常关闭", null, null, null, null],
            [$"{prefix}-3", null, "城关镇", p3.Lon, p3.Lat, "金", null, "已封堵", "混凝土浇筑", new DateOnly(2025, 6, 1), null],
        ]);
        await Ledger.ConfirmAsync(office, await Ledger.SessionAsync(office, file, "export-source.xlsx"));
        // The same prefix in 洪江市, which 嵩县's export must not show.
        await app.WithDbAsync(async db =>
        {
            var (_, errors) = await new AditCommands(db).RegisterAsync(new AditInput
            {
                Number = $"{prefix}-HJ", County = "431281", Township = "黔城镇", Lon = $"{Spots.In(110.05, 27.23, 0.05, 0).Lon:F6}", Lat = "27.23",
            }, default);
            Assert.True(errors.Ok, string.Join("；", errors.Values.SelectMany(v => v)));
            return 0;
        });

        var response = await office.GetAsync($"/api/adits/export.xlsx?q={prefix}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MineGuard.Platform.Excel.ExportFormat.Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("矿硐台账-20261102.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        var rows = Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["编号", "名称", "乡镇", "村", "网格", "经度", "纬度", "高程（米）", "矿种", "来源", "矿业权人", "封堵责任主体", "包保责任人",
            "封堵状态", "封堵方式", "最近封堵日期", "被破坏次数", "备注", "台账状态"], rows[0].Cells);
        Assert.Equal([$"{prefix}-1", $"{prefix}-2", $"{prefix}-3"], rows.Skip(1).Select(r => r.Cells[0]));
        var first = rows[1];
        Assert.Equal(("后沟1号硐", "城关镇", "金", "盗采点", "城关镇人民政府"), (first.Cell(1), first.Cell(2), first.Cell(8), first.Cell(9), first.Cell(11)));
        Assert.Equal(("陶村林场第一网格包保责任人 赵刚", "已封堵", "石块堆砌", "2025-05-04", "0", "在册"),
            (first.Cell(12), first.Cell(13), first.Cell(14), first.Cell(15), first.Cell(16), first.Cell(18)));
        Assert.Equal(p1.Lon, double.Parse(first.Cell(5), System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal("（矿业权人未登记）", rows[2].Cell(11));

        await AssertExport(office, $"?q={prefix}&state=weak", $"{prefix}-1");
        await AssertExport(office, $"?q={prefix}&township=410325400", $"{prefix}-2");
        await AssertExport(office, $"?q={prefix}&mineral=萤石", $"{prefix}-2");
        await AssertExport(office, $"?q={prefix}&mineral=gold&state=sealed", $"{prefix}-1", $"{prefix}-3");
        await AssertExport(office, $"?q={prefix}&origin=theftpoint", $"{prefix}-1");
        var resp = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-resp").Select(u => u.Id).SingleAsync());
        await AssertExport(office, $"?q={prefix}&responsible={resp}", $"{prefix}-1");
        await AssertExport(await app.LoginAsync("hj-office"), $"?q={prefix}", $"{prefix}-HJ");
        await AssertExport(await app.LoginAsync("sx-leader"), $"?q={prefix}&state=未封堵", $"{prefix}-2");

        var bad = await office.GetAsync("/api/adits/export.xlsx?mineral=unobtainium&state=shiny");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("未知的矿种：unobtainium", errors.GetProperty("mineral")[0].GetString());
        Assert.Equal("未知的封堵状态：shiny", errors.GetProperty("state")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/adits/export.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/adits/template.xlsx")).StatusCode);

        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.Action == "export" && a.ActorName == "sx-office" && a.Changes!.Contains(prefix)).ToListAsync());
        Assert.Contains(audit, a => a.Changes == $"导出矿硐台账 3 条（含“{prefix}”）");
    }

    private static async Task AssertExport(HttpClient client, string query, params string[] numbers)
    {
        var rows = Read(await client.GetByteArrayAsync("/api/adits/export.xlsx" + query));
        Assert.Equal(numbers, rows.Skip(1).Select(r => r.Cells[0]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Template_and_export_map_back_onto_the_import(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var template = await office.GetByteArrayAsync("/api/adits/template.xlsx");
        var rows = Read(template);
        Assert.Equal(AditLedger.AditFields.Select(f => f.Required ? f.Header + "*" : f.Header), rows[0].Cells);
        Assert.Equal("示例", rows[1].Cells[0]);

        // The template as downloaded: every field found, and its example row is not data.
        var blank = await Ledger.SessionAsync(office, template, "模板.xlsx");
        Assert.Equal(AditLedger.AditFields.Select(f => f.Key), blank.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal(0, blank.GetProperty("summary").GetProperty("rowsRead").GetInt32());

        // An export maps back too (the derived columns are left out), and its adits are recognised as already registered.
        var p = Spots.Next();
        var number = Spots.Unique("R");
        await Ledger.ConfirmAsync(office, await Ledger.SessionAsync(office, Ledger.Xlsx(["编号", "乡镇", "经度", "纬度"], [[number, "大章镇", p.Lon, p.Lat]]), "r.xlsx"));
        var export = await office.GetByteArrayAsync($"/api/adits/export.xlsx?q={number}");
        var again = await Ledger.SessionAsync(office, export, "export.xlsx");
        Assert.Equal<IEnumerable<string?>>(["Number", "Name", "Township", "Village", "Grid", "Lon", "Lat", "Elevation", "Mineral", "Origin", "RightsHolder", null,
            "Responsible", "SealState", "SealMethod", "SealedOn", null, "Description", null],
            again.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        var errors = again.GetProperty("summary").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains($"编号“{number}”已被使用", errors);
        Assert.Contains(errors, e => e!.StartsWith($"与已登记的矿硐 {number} 相距 0 米", StringComparison.Ordinal));
    }
}
