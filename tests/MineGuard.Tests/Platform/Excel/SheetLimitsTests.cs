using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Excel;

/// <summary>
/// Hostile workbooks: a zip bomb, a zip that lies about its sizes, a 100 MB cell, content at column XFD, a workbook
/// whose sheet part is missing. Each is refused with a Chinese message before it fills the memory or the database.
/// The files are made here, small on disk.
/// </summary>
public sealed class SheetLimitsTests
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    [Fact]
    public void A_zip_bomb_is_refused_from_the_zip_directory_before_anything_is_inflated()
    {
        var bomb = Workbook(sheetRows: RepeatedRows(100L * 1024 * 1024));
        Assert.InRange(bomb.Length, 1, 400 * 1024); // ~100 KB on disk, 100 MB inflated

        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(bomb), "台账.xlsx").ToList());
        Assert.Contains("压缩比异常", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 20 * 1024 * 1024, "allocated more than 20 MB");
    }

    [Fact]
    public void A_zip_that_declares_small_sizes_is_stopped_while_streaming()
    {
        var liar = LieAboutSizes(Workbook(sheetRows: RepeatedRows(30L * 1024 * 1024)), "xl/worksheets/sheet1.xml");
        var limits = SheetLimits.Default with { MaxEntryBytes = 8 * 1024 * 1024 };

        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(liar), "台账.xlsx", limits).ToList());
        // Either our cap or the zip reader's own check of the declared length stops it; both say so in Chinese.
        Assert.Matches("上限|损坏", e.Message);
    }

    [Fact]
    public void A_shared_string_longer_than_Excel_allows_and_too_many_characters_in_all_are_refused()
    {
        var huge = Workbook(sheetRows: _ => "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
            sharedStrings: [new string('矿', 40_000)]);
        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(huge), "台账.xlsx").ToList());
        Assert.Contains("32767 个字符", e.Message, StringComparison.Ordinal);

        var many = Workbook(sheetRows: _ => "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
            sharedStrings: [.. Enumerable.Range(0, 100).Select(i => new string('字', 1000) + i)]);
        var limits = SheetLimits.Default with { MaxSharedStringChars = 50_000 };
        e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(many), "台账.xlsx", limits).ToList());
        Assert.Contains("文字超过 50000 个字符", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_inline_or_number_cell_is_refused_without_being_read_whole()
    {
        var inline = Workbook(sheetRows: w =>
        {
            w.Write("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
            for (var i = 0; i < 1000; i++) w.Write(new string('x', 1000));
            w.Write("</t></is></c></row>");
        });
        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(inline), "台账.xlsx").ToList());
        Assert.Contains("32767 个字符", e.Message, StringComparison.Ordinal);

        var number = Workbook(sheetRows: w =>
        {
            w.Write("<row r=\"1\"><c r=\"A1\"><v>");
            for (var i = 0; i < 1000; i++) w.Write(new string('9', 1000));
            w.Write("</v></c></row>");
        });
        e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(number), "台账.xlsx").ToList());
        Assert.Contains("32767 个字符", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_beyond_the_column_cap_is_refused_and_empty_styled_cells_there_are_ignored()
    {
        var styled = Workbook(sheetRows: _ => "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>编号</t></is></c><c r=\"XFD1\" s=\"0\"/></row>");
        var rows = SheetReader.Read(new MemoryStream(styled), "台账.xlsx").ToList();
        Assert.Equal(["编号"], rows.Single().Cells);

        var far = Workbook(sheetRows: _ => "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>编号</t></is></c><c r=\"XFD1\"><v>1</v></c></row>");
        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(far), "台账.xlsx").ToList());
        Assert.Contains("XFD 列", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_beyond_the_row_cap_are_refused()
    {
        var file = Workbook(sheetRows: w =>
        {
            for (var r = 1; r <= 50; r++) w.Write($"<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c></row>");
        });
        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(file), "台账.xlsx", SheetLimits.Default with { MaxRows = 40 }).ToList());
        Assert.Contains("超过 40 行", e.Message, StringComparison.Ordinal);
        Assert.Equal(50, SheetReader.Read(new MemoryStream(file), "台账.xlsx").Count());
    }

    [Fact]
    public void A_workbook_without_its_sheet_part_is_a_damaged_file()
    {
        var file = Workbook(sheetRows: _ => "", withoutSheet: true);
        var e = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(file), "台账.xlsx").ToList());
        Assert.Contains("工作表", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_products_own_exports_stay_far_inside_the_ratio_cap()
    {
        using var file = new MemoryStream();
        using (var sheet = XlsxWriter.Create(file, "矿硐台账", [new("编号"), new("乡镇"), new("经度"), new("纬度"), new("备注")]))
        {
            for (var i = 0; i < 20_000; i++) sheet.WriteRow([$"SX-{i:00000}", "陶村林场", 112.05 + (i * 1e-5), 34.0, "已封堵"]);
        }
        file.Position = 0;
        using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        var worst = zip.Entries.Where(e => e.Length > SheetLimits.RatioCheckedFromBytes).Max(e => (double)e.Length / e.CompressedLength);
        Assert.True(worst < SheetLimits.Default.MaxRatio / 4, $"ratio {worst:F1}");
        file.Position = 0;
        Assert.Equal(20_001, SheetReader.Read(file, "台账.xlsx").Count());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Hostile_uploads_get_a_400_naming_the_file_and_store_nothing(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = $"恶意{Guid.NewGuid():N}"[..10] + ".xlsx";
        var files = new[]
        {
            Workbook(sheetRows: RepeatedRows(100L * 1024 * 1024)),
            Workbook(sheetRows: _ => "", withoutSheet: true),
            Workbook(sheetRows: _ => "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", sharedStrings: [new string('矿', 40_000)]),
        };
        foreach (var file in files)
        {
            var response = await Ledger.UploadAsync(office, file, name);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            var message = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty("file")[0].GetString()!;
            Assert.Matches("[\u4e00-\u9fff]", message);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportSession>().CountAsync(s => s.FileName == name)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_ledger_with_long_cells_is_previewed_with_the_cells_cut_and_no_giant_row_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var longText = new string('备', 30_000);
        var (lon, lat) = Spots.Next();
        var file = Ledger.Xlsx(["矿硐编号", "所在乡镇", "经度", "纬度", "备注" + longText],
            Enumerable.Range(0, 25).Select(i => new object?[] { Spots.Unique("LONG"), "陶村林场", lon, lat, longText + i }));
        var session = await Ledger.SessionAsync(office, file, "长文本.xlsx");
        var id = session.GetProperty("id").GetGuid();

        var stored = await app.WithDbAsync(db => db.Set<ImportSession>().Where(s => s.Id == id)
            .Select(s => new { s.PreviewJson, s.LayoutJson }).SingleAsync());
        Assert.True(stored.PreviewJson.Length < 100_000, $"preview of {stored.PreviewJson.Length} characters");
        Assert.True(stored.LayoutJson.Length < 2_000, $"layout of {stored.LayoutJson.Length} characters");
        var cell = session.GetProperty("summary").GetProperty("rows")[0].GetProperty("cells")[4].GetString()!;
        Assert.Equal(LedgerImport.ShownCellChars, cell.Length);
        Assert.EndsWith("…", cell, StringComparison.Ordinal);
    }

    /// <summary>Rows of empty cells, written until the sheet part holds about this many bytes.</summary>
    private static Action<StreamWriter> RepeatedRows(long bytes) => w =>
    {
        var row = "<row>" + string.Concat(Enumerable.Repeat("<c t=\"inlineStr\"><is><t>a</t></is></c>", 20)) + "</row>";
        for (long written = 0; written < bytes; written += row.Length) w.Write(row);
    };

    private static Action<StreamWriter> Text(Func<StreamWriter, string> rows) => w => w.Write(rows(w));

    private static byte[] Workbook(Func<StreamWriter, string> sheetRows, string[]? sharedStrings = null, bool withoutSheet = false) =>
        Workbook(Text(sheetRows), sharedStrings, withoutSheet);

    /// <summary>A minimal .xlsx by hand (the writer of the product would not write a hostile one), deflated at the smallest size.</summary>
    private static byte[] Workbook(Action<StreamWriter> sheetRows, string[]? sharedStrings = null, bool withoutSheet = false)
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Entry(string name, Action<StreamWriter> write)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
                write(w);
            }

            Entry("[Content_Types].xml", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
                "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" +
                "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>" +
                "</Types>"));
            Entry("_rels/.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>" +
                "</Relationships>"));
            Entry("xl/workbook.xml", w => w.Write(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
                "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Entry("xl/_rels/workbook.xml.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                (withoutSheet ? "" : "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>") +
                (sharedStrings is null ? "" : "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>") +
                "</Relationships>"));
            if (!withoutSheet)
            {
                Entry("xl/worksheets/sheet1.xml", w =>
                {
                    w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\"><sheetData>");
                    sheetRows(w);
                    w.Write("</sheetData></worksheet>");
                });
            }
            if (sharedStrings is not null)
            {
                Entry("xl/sharedStrings.xml", w =>
                {
                    w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{Main}\">");
                    foreach (var s in sharedStrings) w.Write($"<si><t>{s}</t></si>");
                    w.Write("</sst>");
                });
            }
        }
        return file.ToArray();
    }

    /// <summary>Rewrites an entry's uncompressed size, in its local header and in the central directory, to 1,000 bytes.</summary>
    private static byte[] LieAboutSizes(byte[] zip, string entry)
    {
        var name = Encoding.ASCII.GetBytes(entry);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && zip.AsSpan(i + 30, name.Length).SequenceEqual(name))
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22, 4), 1000u);
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 46, Math.Min(name.Length, zip.Length - i - 46)).SequenceEqual(name))
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), 1000u);
        }
        return zip;
    }
}
