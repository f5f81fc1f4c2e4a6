using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using MineGuard.Platform.Excel;

namespace MineGuard.Tests.Platform.Excel;

/// <summary>Reading real files: what Excel and WPS write (shared strings, styles, dates), CSV in both encodings.</summary>
public sealed class SheetReaderTests
{
    [Fact]
    public void Xlsx_cells_of_every_type_are_read_as_the_office_sees_them()
    {
        var rows = SheetReader.Read(new MemoryStream(ExcelStyleWorkbook()), "台账.xlsx").ToList();

        Assert.Equal([1, 3, 4], rows.Select(r => r.Number));
        Assert.Equal(["编号", "乡镇", "经度", "封堵", "封堵时间", "备注", "备用"], rows[0].Cells);
        var data = rows[1].Cells;
        Assert.Equal("SX-001", data[0]);            // shared string
        Assert.Equal("城关镇", data[1]);            // rich text runs joined, phonetic guide left out
        Assert.Equal("112.05", data[2]);            // number
        Assert.Equal("是", data[3]);                // boolean
        Assert.Equal("2024-09-26", data[4]);        // date serial with a built-in date format
        Assert.Equal("#N/A", data[5]);              // error kept as text
        Assert.Equal("公式结果", data[6]);          // formula string result
        // A sparse row: cells B and D missing, and a custom Chinese date format.
        Assert.Equal(["SX-002", "", "112.1", "", "2023-01-05"], rows[2].Cells);
    }

    [Fact]
    public void Written_workbook_is_valid_and_reads_back_the_same()
    {
        using var file = new MemoryStream();
        using (var sheet = XlsxWriter.Create(file, "矿硐台账", [new("编号", 16), new("经度"), new("日期"), new("空"), new("是否")]))
        {
            sheet.WriteRow(["A-1", 112.123456, new DateOnly(2024, 9, 26), null, true]);
            sheet.WriteRow([" 前后空格 ", 7, null, "控制\u0001字符𠮷", false], example: true);
            Assert.Equal(3, sheet.RowsWritten);
        }

        file.Position = 0;
        using (var doc = SpreadsheetDocument.Open(file, false))
        {
            var problems = new OpenXmlValidator().Validate(doc).Select(e => e.Description).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            var sheetPart = doc.WorkbookPart!.WorksheetParts.Single();
            var pane = sheetPart.Worksheet.Descendants<Pane>().Single();
            Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
            Assert.Equal("A2", pane.TopLeftCell!.Value);
            Assert.Equal(16, sheetPart.Worksheet.Descendants<Column>().First().Width!.Value);
            var headerStyle = (int)sheetPart.Worksheet.Descendants<Cell>().First().StyleIndex!.Value;
            var font = doc.WorkbookPart.WorkbookStylesPart!.Stylesheet.Fonts!.Elements<Font>()
                .ElementAt((int)doc.WorkbookPart.WorkbookStylesPart.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt(headerStyle).FontId!.Value);
            Assert.NotNull(font.Bold);
            Assert.Equal("矿硐台账", doc.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
        }

        file.Position = 0;
        var rows = SheetReader.Read(file, "x.xlsx").ToList();
        Assert.Equal(["编号", "经度", "日期", "空", "是否"], rows[0].Cells);
        Assert.Equal(["A-1", "112.123456", "2024-09-26", "", "是"], rows[1].Cells);
        Assert.Equal([" 前后空格 ", "7", "", "控制字符𠮷", "否"], rows[2].Cells);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-8")]
    [InlineData("gb18030")]
    public void Csv_in_UTF8_or_GB18030_is_read_with_Excel_row_numbers(string encoding)
    {
        var text = "编号,乡镇,备注\r\n\r\nA1,城关镇,\"两行\n备注\"\r\nA2,\"田湖镇\",𠮷\r\n";
        var bytes = encoding switch
        {
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-8" => Encoding.UTF8.GetBytes(text),
            _ => GB18030.GetBytes(text),
        };
        var rows = SheetReader.Read(new MemoryStream(bytes), "ledger.csv").ToList();
        Assert.Equal([1, 3, 4], rows.Select(r => r.Number));
        Assert.Equal(["编号", "乡镇", "备注"], rows[0].Cells);
        Assert.Equal(["A1", "城关镇", "两行\n备注"], rows[1].Cells);
        Assert.Equal(["A2", "田湖镇", "𠮷"], rows[2].Cells);
    }

    [Fact]
    public void Files_that_are_not_sheets_are_refused_with_a_Chinese_reason()
    {
        var xls = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream([0xD0, 0xCF, 0x11, 0xE0, 1, 2]), "old.xls").ToList());
        Assert.Contains("另存为", xls.Message, StringComparison.Ordinal);
        var fake = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("hello")), "fake.xlsx").ToList());
        Assert.Contains("不是有效的 .xlsx", fake.Message, StringComparison.Ordinal);
        var broken = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream([(byte)'P', (byte)'K', 3, 4, 0, 0, 0]), "broken.xlsx").ToList());
        Assert.Contains("无法读取", broken.Message, StringComparison.Ordinal);
        Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream([]), "empty.csv").ToList());
        var binary = Assert.Throws<SheetFormatException>(() => SheetReader.Read(new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13]), "photo.csv").ToList());
        Assert.Contains("不是 CSV 文本", binary.Message, StringComparison.Ordinal);
        // UTF-16 with its byte order mark (Excel's "Unicode text") is text, NUL bytes and all.
        var utf16 = SheetReader.Read(new MemoryStream([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("编号\t乡镇\r\nA1\t城关镇\r\n")]), "u.csv").ToList();
        Assert.Equal(["A1", "城关镇"], utf16[1].Cells);
    }

    [Theory]
    [InlineData(14, null, true)]
    [InlineData(31, null, true)]
    [InlineData(0, null, false)]
    [InlineData(2, null, false)]
    [InlineData(164, "yyyy\"年\"m\"月\"d\"日\"", true)]
    [InlineData(165, "[$-804]yyyy/m/d", true)]
    [InlineData(166, "0.000000", false)]
    [InlineData(167, "[Red]0.00;\"元\"", false)]
    public void Date_formats_are_recognised(int id, string? code, bool isDate) => Assert.Equal(isDate, XlsxRows.IsDateFormat(id, code));

    private static readonly Encoding GB18030 = GetGb18030();

    private static Encoding GetGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    /// <summary>A workbook as Excel writes it: shared strings with runs and phonetics, styles with date formats.</summary>
    private static byte[] ExcelStyleWorkbook()
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var book = doc.AddWorkbookPart();
            book.Workbook = new Workbook(new Sheets(new Sheet { Name = "台账", SheetId = 1, Id = "rIdSheet" }));
            var strings = book.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable(
                new[] { "编号", "乡镇", "经度", "封堵", "封堵时间", "备注", "备用", "SX-001", "SX-002" }.Select(t => new SharedStringItem(new Text(t)))
                    .Append(new SharedStringItem(new Run(new Text("城关")), new Run(new Text("镇")), new PhoneticRun(new Text("chengguan")) { BaseTextStartIndex = 0, EndingBaseIndex = 2 })));
            var styles = book.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 180, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" }),
                new Fonts(new Font()), new Fills(new Fill(), new Fill()), new Borders(new Border()),
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14 }, new CellFormat { NumberFormatId = 180 }));
            var sheet = book.AddNewPart<WorksheetPart>("rIdSheet");
            sheet.Worksheet = new Worksheet(new SheetData(
                new Row(Enumerable.Range(0, 7).Select(i => new Cell { CellReference = $"{(char)('A' + i)}1", DataType = CellValues.SharedString, CellValue = new CellValue(i) })) { RowIndex = 1 },
                new Row { RowIndex = 2 },
                new Row(
                    new Cell { CellReference = "A3", DataType = CellValues.SharedString, CellValue = new CellValue(7) },
                    new Cell { CellReference = "B3", DataType = CellValues.SharedString, CellValue = new CellValue(9) },
                    new Cell { CellReference = "C3", CellValue = new CellValue("112.05000000000001") },
                    new Cell { CellReference = "D3", DataType = CellValues.Boolean, CellValue = new CellValue("1") },
                    new Cell { CellReference = "E3", StyleIndex = 1, CellValue = new CellValue("45561") },
                    new Cell { CellReference = "F3", DataType = CellValues.Error, CellValue = new CellValue("#N/A") },
                    new Cell { CellReference = "G3", DataType = CellValues.String, CellFormula = new CellFormula("\"公式\"&\"结果\""), CellValue = new CellValue("公式结果") }) { RowIndex = 3 },
                new Row(
                    new Cell { CellReference = "A4", DataType = CellValues.SharedString, CellValue = new CellValue(8) },
                    new Cell { CellReference = "C4", CellValue = new CellValue("112.1") },
                    new Cell { CellReference = "E4", StyleIndex = 2, CellValue = new CellValue("44931") }) { RowIndex = 4 }));
        }
        return stream.ToArray();
    }
}
