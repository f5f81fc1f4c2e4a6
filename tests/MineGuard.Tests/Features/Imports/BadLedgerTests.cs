using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Geo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// Ledgers as offices really save them (issue 13, "Bad input"): each file either imports correctly or its bad rows are
/// refused with a reason naming the row and the column, and a refused row leaves nothing behind.
/// </summary>
public sealed class BadLedgerTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Two_header_rows_are_read_as_one(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(3);
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "硐口坐标", null, "高程"],
            [null, null, "东经", "北纬", "（米）"],
            [n[0], "城关镇", Math.Round(p1.Lon, 6), Math.Round(p1.Lat, 6), 820],
            [n[1], "城关镇", Math.Round(p2.Lon, 6), Math.Round(p2.Lat, 6), 830],
            [n[2], "城关镇", "东经一百一十二度", Math.Round(p2.Lat, 6), 840],
        ])]);
        var (session, imported) = await ImportAsync(provider, file, "两行表头.xlsx", n);
        Assert.Equal(2, session.GetProperty("headerRow").GetInt32());
        Assert.Equal<IEnumerable<string?>>(["Number", "Township", "Lon", "Lat", "Elevation"], Fields(session));
        AssertRefused(session, 5, "C");
        Assert.Equal([n[0], n[1]], imported.Select(a => a.Number).Order());
        Assert.Equal(830, imported.Single(a => a.Number == n[1]).Elevation);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Merged_header_cells_under_a_title_are_read(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(3);
        // A merged title over every column; 编号 and 乡镇 merged down over two header rows; 坐标 merged across 经度/纬度.
        var file = Raw([new Sheet1("矿硐台账",
        [
            ["嵩县废弃矿硐排查台账（2024年）", null, null, null, null],
            ["矿硐编号", "所在乡镇", "坐标", null, "备注"],
            [null, null, "经度", "纬度", null],
            [n[0], "田湖镇", Math.Round(p1.Lon, 6), Math.Round(p1.Lat, 6), "合并单元格"],
            [n[1], "田湖镇", Math.Round(p2.Lon, 6), Math.Round(p2.Lat, 6), null],
            [n[2], "田湖镇", Math.Round(p2.Lon, 6), "abc", null],
        ], Merges: ["A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3"])]);
        var (session, imported) = await ImportAsync(provider, file, "合并表头.xlsx", n);
        Assert.Equal(3, session.GetProperty("headerRow").GetInt32());
        Assert.Equal<IEnumerable<string?>>(["Number", "Township", "Lon", "Lat", "Description"], Fields(session));
        AssertRefused(session, 6, "D");
        Assert.Equal([n[0], n[1]], imported.Select(a => a.Number).Order());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_township_merged_down_over_its_rows_is_every_rows_township(string provider)
    {
        var p = Enumerable.Range(0, 6).Select(_ => Spots.Songxian()).ToArray();
        var n = Numbers(6);
        object?[] Row(int i, string? township) => [n[i], township, Math.Round(p[i].Lon, 6), i == 4 ? "北纬" : Math.Round(p[i].Lat, 6)];
        // 乡镇 merged down over each township's rows (the text only in the first); the last range runs on over a blank row,
        // which stays out; the header's own merge (编号 over two rows) is the header's, not a data value. Row 7 is refused
        // for its latitude.
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "坐标", null],
            [null, null, "经度", "纬度"],
            Row(0, "田湖镇"), Row(1, null), Row(2, null),
            Row(3, "九皋镇"), Row(4, null),
            [null, null, null, null],
            Row(5, "城关镇"),
        ], Merges: ["A1:A2", "B1:B2", "C1:D1", "B3:B5", "B6:B8"])]);
        var (session, imported) = await ImportAsync(provider, file, "乡镇合并单元格.xlsx", n);
        Assert.Equal(2, session.GetProperty("headerRow").GetInt32());
        Assert.Equal((6, 5), (session.GetProperty("summary").GetProperty("rowsRead").GetInt32(), session.GetProperty("summary").GetProperty("valid").GetInt32()));
        AssertRefused(session, 7, "D");
        // The preview shows the township on every row, as the office sees it in Excel.
        var preview = session.GetProperty("summary").GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt32(), r => r.GetProperty("cells")[1].GetString());
        Assert.Equal(["田湖镇", "田湖镇", "田湖镇", "九皋镇", "九皋镇", "城关镇"], new[] { 3, 4, 5, 6, 7, 9 }.Select(r => preview[r]));
        var app = await TestApp.Shared(provider);
        var towns = await app.WithDbAsync(db => db.Divisions.Where(d => d.Code.StartsWith("410325") && (d.Name == "田湖镇" || d.Name == "九皋镇" || d.Name == "城关镇"))
            .ToDictionaryAsync(d => d.Name, d => d.Code));
        var byNumber = imported.ToDictionary(a => a.Number, a => a.TownshipCode);
        Assert.Equal([towns["田湖镇"], towns["田湖镇"], towns["田湖镇"], towns["九皋镇"], towns["城关镇"]], new[] { 0, 1, 2, 3, 5 }.Select(i => byNumber[n[i]]));

        // The refused row goes back with its township written out, so the office's corrected row imports on its own.
        var office = await app.LoginAsync("sx-office");
        var report = SheetReader.Read(new MemoryStream(await office.GetByteArrayAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/errors.xlsx")),
            "report.xlsx").ToList();
        var refused = Assert.Single(report, r => r.Cell(0) == n[4]);
        Assert.Equal("九皋镇", refused.Cell(1));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_hidden_first_sheet_is_passed_over(string provider)
    {
        var p = Spots.Next();
        var n = Numbers(1);
        var file = Raw(
        [
            new Sheet1("数据字典", [["编号", "乡镇", "经度", "纬度"], ["X-1", "不存在镇", "abc", "def"]], Hidden: true),
            new Sheet1("台账", [["编号", "乡镇", "经度", "纬度"], [n[0], "九皋镇", Math.Round(p.Lon, 6), Math.Round(p.Lat, 6)]]),
        ]);
        var (session, imported) = await ImportAsync(provider, file, "隐藏工作表.xlsx", n);
        Assert.Equal(1, session.GetProperty("summary").GetProperty("rowsRead").GetInt32());
        Assert.Equal(n[0], Assert.Single(imported).Number);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Numbers_stored_as_text_are_numbers(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(2);
        // Every cell a string (Excel's green triangle), with the spaces a copy from another system leaves.
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "经度", "纬度", "海拔", "封堵状态", "封堵方式", "封堵日期"],
            [n[0], "城关镇", $" {p1.Lon:F6} ", $"{p1.Lat:F6}\u00A0", " 820 ", "已封堵", "混凝土浇筑", "45561"],
            [n[1], "城关镇", $"{p2.Lon:F6}", $"{p2.Lat:F6}", "八百", null, null, null],
        ])]);
        var (session, imported) = await ImportAsync(provider, file, "文本数字.xlsx", n);
        AssertRefused(session, 3, "E");
        var adit = Assert.Single(imported);
        Assert.Equal((820d, new DateOnly(2024, 9, 26)), (adit.Elevation!.Value, adit.LastSealedOn!.Value));
        AssertAt(p1, adit);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Full_width_digits_and_punctuation_are_read(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(2);
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "经度", "纬度", "高程", "封堵状态", "封堵方式", "封堵日期"],
            [n[0], "城关镇", FullWidth($"{p1.Lon:F6}°"), FullWidth($"{p1.Lat:F6}°"), "８２０米", "已封堵", "混凝土浇筑", "２０２４－０９－２６"],
            [n[1], "城关镇", FullWidth($"{p2.Lon:F6}．５°"), FullWidth($"{p2.Lat:F6}°"), null, null, null, null],
        ])]);
        var (session, imported) = await ImportAsync(provider, file, "全角.xlsx", n);
        AssertRefused(session, 3, "C");
        var adit = Assert.Single(imported);
        Assert.Equal((n[0], 820d, new DateOnly(2024, 9, 26)), (adit.Number, adit.Elevation!.Value, adit.LastSealedOn!.Value));
        AssertAt(p1, adit);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Degrees_minutes_seconds_in_Chinese_and_in_marks_are_read(string provider)
    {
        var (p1, p2, p3) = (Spots.Next(), Spots.Next(), Spots.Next());
        var n = Numbers(3);
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "经度", "纬度"],
            [n[0], "城关镇", Chinese(p1.Lon), Chinese(p1.Lat)],
            [n[1], "城关镇", Marks(p2.Lon), Marks(p2.Lat)],
            [n[2], "城关镇", "112度61分3秒", Marks(p3.Lat)],
        ])]);
        var (session, imported) = await ImportAsync(provider, file, "度分秒.xlsx", n);
        AssertRefused(session, 4, "C");
        Assert.Equal(2, imported.Count);
        AssertAt(p1, imported.Single(a => a.Number == n[0]));
        AssertAt(p2, imported.Single(a => a.Number == n[1]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Gcj02_coordinates_declared_by_a_column_are_shifted_to_Wgs84(string provider)
    {
        var (p1, p2, p3, p4) = (Spots.Next(), Spots.Next(), Spots.Next(), Spots.Next());
        var n = Numbers(4);
        object?[] Row(string number, (double Lon, double Lat) p, string crs)
        {
            var g = Gcj02.FromWgs84(p.Lon, p.Lat);
            return [number, "城关镇", Math.Round(g.Lon, 7), Math.Round(g.Lat, 7), crs];
        }
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "经度", "纬度", "坐标系"],
            Row(n[0], p1, "GCJ-02"),
            Row(n[1], p2, "高德坐标"),
            Row(n[2], p3, "ＧＣＪ０２"),
            Row(n[3], p4, "北京54"),
        ])]);
        var (session, imported) = await ImportAsync(provider, file, "高德坐标.xlsx", n);
        AssertRefused(session, 5, "E");
        Assert.Equal(3, imported.Count);
        AssertAt(p1, imported.Single(a => a.Number == n[0]));
        AssertAt(p2, imported.Single(a => a.Number == n[1]));
        AssertAt(p3, imported.Single(a => a.Number == n[2]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Gcj02_coordinates_declared_for_the_whole_file_are_shifted_unless_a_row_says_otherwise(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(2);
        var g = Gcj02.FromWgs84(p1.Lon, p1.Lat);
        var file = Raw([new Sheet1("台账",
        [
            ["编号", "乡镇", "经度", "纬度", "坐标系"],
            [n[0], "城关镇", Math.Round(g.Lon, 7), Math.Round(g.Lat, 7), null],
            [n[1], "城关镇", Math.Round(p2.Lon, 7), Math.Round(p2.Lat, 7), "WGS84"],
        ])]);
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");

        var bad = await Ledger.UploadAsync(office, file, "整表高德.xlsx", crs: "北京54");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("坐标系", (await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var response = await Ledger.UploadAsync(office, file, "整表高德.xlsx", crs: "gcj02");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var session = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal("gcj02", session.GetProperty("crs").GetString());
        var imported = await ConfirmAsync(app, office, session, n);
        AssertAt(p1, imported.Single(a => a.Number == n[0]));
        AssertAt(p2, imported.Single(a => a.Number == n[1]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Thousands_of_empty_trailing_rows_are_not_rows(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(2);
        // What a sheet formatted down to row 5,000 looks like: rows of empty styled cells, some with a space or a "".
        var rows = new List<object?[]>
        {
            new object?[] { "编号", "乡镇", "经度", "纬度", "备注" },
            new object?[] { n[0], "城关镇", Math.Round(p1.Lon, 6), Math.Round(p1.Lat, 6), null },
        };
        rows.AddRange(Enumerable.Range(0, 5000).Select(i => new object?[] { null, i % 7 == 0 ? " " : null, i % 11 == 0 ? "" : null, null, null }));
        var file = Raw([new Sheet1("台账", rows, StyledBlanks: true)]);
        var (session, imported) = await ImportAsync(provider, file, "空行.xlsx", n);
        Assert.Equal((1, 0), (session.GetProperty("summary").GetProperty("rowsRead").GetInt32(), session.GetProperty("summary").GetProperty("invalid").GetInt32()));
        Assert.Equal(n[0], Assert.Single(imported).Number);

        var csv = new StringBuilder("编号,乡镇,经度,纬度,备注\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"{n[1]},城关镇,{p2.Lon:F6},{p2.Lat:F6},\r\n");
        for (var i = 0; i < 5000; i++) csv.Append(i % 3 == 0 ? ",,,,\r\n" : i % 3 == 1 ? ", , , ,\r\n" : "\r\n");
        var (csvSession, csvImported) = await ImportAsync(provider, Encoding.UTF8.GetBytes(csv.ToString()), "空行.csv", [n[1]]);
        Assert.Equal(1, csvSession.GetProperty("summary").GetProperty("rowsRead").GetInt32());
        Assert.Equal(n[1], Assert.Single(csvImported).Number);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_GBK_csv_is_read_in_its_own_encoding(string provider)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var n = Numbers(2);
        var gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;
        var file = Ledger.Csv(gbk, ["矿硐编号", "所在乡镇", "东经", "北纬", "封堵情况", "封堵方式", "封堵时间"],
        [
            [n[0], "城关镇", $"{p1.Lon:F6}", $"{p1.Lat:F6}", "已封堵", "浆砌石", "2024/9/26"],
            [n[1], "城关镇", $"{p2.Lon:F6}", $"{p2.Lat:F6}", "已封堵", null, null],
        ]);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(file));
        var (session, imported) = await ImportAsync(provider, file, "台账GBK.csv", n);
        AssertRefused(session, 3, "F");
        var adit = Assert.Single(imported);
        Assert.Equal(("410325100", SealState.Sealed, new DateOnly(2024, 9, 26)), (adit.TownshipCode, adit.State, adit.LastSealedOn!.Value));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_header_below_a_title_and_blank_rows_is_found(string provider)
    {
        var p = Spots.Next();
        var n = Numbers(1);
        var file = Raw([new Sheet1("台账",
        [
            ["嵩县矿硐台账", null, null, null],
            ["填报单位：嵩县自然资源局", null, null, "填报日期：2024年9月"],
            [null, null, null, null],
            [null, null, null, null],
            ["编号", "乡镇", "经度", "纬度"],
            [n[0], "城关镇", Math.Round(p.Lon, 6), Math.Round(p.Lat, 6)],
        ])]);
        var (session, imported) = await ImportAsync(provider, file, "空行后表头.xlsx", n);
        Assert.Equal(5, session.GetProperty("headerRow").GetInt32());
        Assert.Equal(n[0], Assert.Single(imported).Number);
    }

    // ---- helpers ----

    private static string[] Numbers(int count) => [.. Enumerable.Range(1, count).Select(i => Spots.Unique($"B{i}"))];

    private static IEnumerable<string?> Fields(JsonElement session) =>
        session.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString());

    /// <summary>Uploads, imports the valid rows, and returns the adits of the test's own numbers (none before).</summary>
    private static async Task<(JsonElement Session, List<Adit> Imported)> ImportAsync(string provider, byte[] file, string name, string[] numbers)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var session = await Ledger.SessionAsync(office, file, name);
        return (session, await ConfirmAsync(app, office, session, numbers));
    }

    private static async Task<List<Adit>> ConfirmAsync(TestApp app, HttpClient office, JsonElement session, string[] numbers)
    {
        Assert.Equal(0, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        var batch = await Ledger.ConfirmAsync(office, session);
        var summary = session.GetProperty("summary");
        Assert.Equal(summary.GetProperty("valid").GetInt32(), batch.GetProperty("rowsImported").GetInt32());
        var imported = await app.WithDbAsync(db => db.Adits().Where(a => numbers.Contains(a.Number)).ToListAsync());
        Assert.Equal(summary.GetProperty("valid").GetInt32(), imported.Count);
        return imported;
    }

    /// <summary>The row is refused with a Chinese reason at that column, and it is the only refused row.</summary>
    private static void AssertRefused(JsonElement session, int row, string column)
    {
        var errors = session.GetProperty("summary").GetProperty("errors").EnumerateArray().ToList();
        Assert.True(errors.Count > 0 && errors.All(e => e.GetProperty("row").GetInt32() == row), JsonSerializer.Serialize(errors));
        Assert.Contains(errors, e => e.GetProperty("column").GetString() == column && e.GetProperty("message").GetString()!.Any(c => c >= '\u4e00'));
        Assert.Equal(1, session.GetProperty("summary").GetProperty("invalid").GetInt32());
    }

    private static void AssertAt((double Lon, double Lat) expected, Adit adit)
    {
        Assert.True(Math.Abs(adit.Lon - expected.Lon) < 2e-6 && Math.Abs(adit.Lat - expected.Lat) < 2e-6,
            $"{adit.Number} at ({adit.Lon}, {adit.Lat}), expected ({expected.Lon}, {expected.Lat})");
    }

    private static string FullWidth(string s) => new([.. s.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c)]);

    private static (int D, int M, double S) Split(double degrees)
    {
        var hundredths = (long)Math.Round(degrees * 360_000);
        return ((int)(hundredths / 360_000), (int)(hundredths / 6_000 % 60), hundredths % 6_000 / 100.0);
    }

    private static string Chinese(double degrees)
    {
        var (d, m, s) = Split(degrees);
        return string.Create(CultureInfo.InvariantCulture, $"{d}度{m:00}分{s:0.00}秒");
    }

    private static string Marks(double degrees)
    {
        var (d, m, s) = Split(degrees);
        return string.Create(CultureInfo.InvariantCulture, $"{d}°{m:00}'{s:0.00}\"");
    }

    private sealed record Sheet1(string Name, IReadOnlyList<object?[]> Rows, bool Hidden = false, string[]? Merges = null, bool StyledBlanks = false);

    /// <summary>
    /// An .xlsx written with the Open XML SDK the way Excel lays such files out (the product's writer cannot hide a sheet
    /// or merge cells): strings inline, numbers as numbers, merged ranges after the sheet data.
    /// </summary>
    private static byte[] Raw(IReadOnlyList<Sheet1> sheets)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var book = doc.AddWorkbookPart();
            book.Workbook = new Workbook(new Sheets());
            var styles = book.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()), new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
                new Borders(new Border()), new CellFormats(new CellFormat(), new CellFormat { BorderId = 0, FillId = 0, FontId = 0, ApplyBorder = true }));
            uint id = 1;
            foreach (var s in sheets)
            {
                var part = book.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < s.Rows.Count; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < s.Rows[r].Length; c++)
                    {
                        var reference = $"{(char)('A' + c)}{r + 1}";
                        var cell = s.Rows[r][c] switch
                        {
                            null => s.StyledBlanks ? new Cell { CellReference = reference, StyleIndex = 1 } : null,
                            string text => new Cell(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
                            { CellReference = reference, DataType = CellValues.InlineString },
                            var number => new Cell(new CellValue(Convert.ToDouble(number, CultureInfo.InvariantCulture))) { CellReference = reference },
                        };
                        if (cell is not null) row.Append(cell);
                    }
                    data.Append(row);
                }
                var worksheet = new Worksheet(data);
                if (s.Merges is { Length: > 0 }) worksheet.Append(new MergeCells(s.Merges.Select(m => new MergeCell { Reference = m })));
                part.Worksheet = worksheet;
                book.Workbook.Sheets!.Append(new Sheet
                {
                    Id = book.GetIdOfPart(part), SheetId = id++, Name = s.Name, State = s.Hidden ? SheetStateValues.Hidden : null,
                });
            }
        }
        return stream.ToArray();
    }
}
