using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace MineGuard.Platform.Excel;

/// <summary>
/// Writes one sheet of an .xlsx row by row: a bold, frozen header row with column widths, then the rows. Memory stays
/// flat however many rows are written: the zip is written in create mode and the sheet through the SDK's
/// <see cref="OpenXmlWriter"/>. (The SDK's own package classes need read access to the output and then hold every
/// part in memory until the end: 440 MB for 200,000 rows, measured.) Strings are written inline, so no shared-string
/// table has to be held either. The output stream need not be seekable, but is written synchronously.
/// </summary>
public sealed class XlsxWriter : ISheetWriter
{
    public sealed record Column(string Header, double Width = 12);

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string DocRels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // Cell formats in styles.xml, by index.
    private const string HeaderStyle = "1";
    private const string DateStyle = "2";
    private const string ExampleStyle = "3";
    private const string ExampleDateStyle = "4";

    // The writer only reads an element's name, so one instance of each serves every cell.
    private static readonly Row RowElement = new();
    private static readonly Cell CellElement = new();
    private static readonly InlineString InlineElement = new();
    private static readonly Text TextElement = new();
    private static readonly CellValue ValueElement = new();

    private readonly ZipArchive zip;
    private readonly List<string> sheetNames = [];
    private Stream sheetStream = null!;
    private OpenXmlWriter writer = null!;
    private readonly List<string> letters = [];
    private bool disposed;

    /// <summary>Rows written to the current sheet, its header row included.</summary>
    public int RowsWritten { get; private set; }

    private XlsxWriter(Stream output, string sheetName, IReadOnlyList<Column> columns)
    {
        zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        StartSheet(sheetName, columns);
    }

    private void StartSheet(string sheetName, IReadOnlyList<Column> columns)
    {
        sheetNames.Add(UniqueSheetName(SheetName(sheetName)));
        sheetStream = zip.CreateEntry($"xl/worksheets/sheet{sheetNames.Count}.xml", CompressionLevel.Fastest).Open();
        writer = OpenXmlWriter.Create(sheetStream);
        RowsWritten = 0;
        writer.WriteStartDocument();
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0 }));
        writer.WriteElement(new Columns(columns.Select((c, i) => new DocumentFormat.OpenXml.Spreadsheet.Column
        {
            Min = (uint)i + 1, Max = (uint)i + 1, Width = c.Width, CustomWidth = true,
        })));
        writer.WriteStartElement(new SheetData());
        WriteRow(columns.Select(c => (object?)c.Header).ToArray(), HeaderStyle);
    }

    private void EndSheet()
    {
        writer.WriteEndElement(); // sheetData
        writer.WriteEndElement(); // worksheet
        writer.Close();
        sheetStream.Dispose();
    }

    /// <summary>Ends the current sheet and starts the next one of the workbook (a report with one sheet per table).</summary>
    public void NextSheet(string sheetName, IReadOnlyList<Column> columns)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        EndSheet();
        StartSheet(sheetName, columns);
    }

    /// <summary>Starts a workbook with one sheet and writes its header row.</summary>
    public static XlsxWriter Create(Stream output, string sheetName, IReadOnlyList<Column> columns) => new(output, sheetName, columns);

    /// <summary>
    /// One row: strings, numbers, <see cref="DateOnly"/> (a real date cell), booleans (是/否); null leaves the cell
    /// empty. An example row (a template's 示例) is grey and italic.
    /// </summary>
    public void WriteRow(IReadOnlyList<object?> values, bool example = false) =>
        WriteRow(values, example ? ExampleStyle : null);

    void ISheetWriter.WriteRow(IReadOnlyList<object?> values) => WriteRow(values, null);

    private void WriteRow(IReadOnlyList<object?> values, string? style)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var number = (RowsWritten + 1).ToString(CultureInfo.InvariantCulture);
        writer.WriteStartElement(RowElement, [new OpenXmlAttribute("r", "", number)]);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null) continue;
            while (letters.Count <= i) letters.Add(ColumnName(letters.Count));
            var reference = letters[i] + number;
            switch (values[i])
            {
                case string s:
                    WriteText(reference, s, style);
                    break;
                case bool b:
                    WriteText(reference, b ? "是" : "否", style);
                    break;
                case DateOnly d:
                    WriteNumber(reference, d.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture),
                        style == ExampleStyle ? ExampleDateStyle : DateStyle);
                    break;
                case IFormattable n and (int or long or double or float or decimal):
                    WriteNumber(reference, n.ToString(null, CultureInfo.InvariantCulture), style);
                    break;
                default:
                    WriteText(reference, values[i]!.ToString() ?? "", style);
                    break;
            }
        }
        writer.WriteEndElement();
        RowsWritten++;
    }

    private void WriteText(string reference, string text, string? style)
    {
        var clean = Clean(text);
        List<OpenXmlAttribute> attributes = [new("r", "", reference), new("t", "", "inlineStr")];
        if (style is not null) attributes.Add(new("s", "", style));
        writer.WriteStartElement(CellElement, attributes);
        writer.WriteStartElement(InlineElement);
        writer.WriteStartElement(TextElement, clean.Length > 0 && (char.IsWhiteSpace(clean[0]) || char.IsWhiteSpace(clean[^1]))
            ? [new OpenXmlAttribute("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")]
            : []);
        writer.WriteString(clean);
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private void WriteNumber(string reference, string value, string? style)
    {
        writer.WriteStartElement(CellElement, style is null
            ? [new OpenXmlAttribute("r", "", reference)]
            : [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", style)]);
        writer.WriteStartElement(ValueElement);
        writer.WriteString(value);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>XML cannot hold control characters or half a surrogate pair, and a cell holds at most 32,767 characters.</summary>
    private static string Clean(string text)
    {
        if (text.Length > 32767) text = text[..32767];
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var pair = char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var bad = (ch < ' ' && ch is not ('\t' or '\n' or '\r')) || ch is '\uFFFE' or '\uFFFF' || (char.IsSurrogate(ch) && !pair);
            if (bad) clean ??= new StringBuilder(text, 0, i, text.Length);
            else
            {
                clean?.Append(ch);
                if (!pair) continue;
                i++;
                clean?.Append(text[i]);
            }
        }
        return clean?.ToString() ?? text;
    }

    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + ((n - 1) % 26)) + name;
        return name;
    }

    private void WritePackageParts()
    {
        var sheets = Enumerable.Range(1, sheetNames.Count).ToList();
        Part("[Content_Types].xml", $"""
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{string.Concat(sheets.Select(n => $"<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
            """);
        Part("_rels/.rels", $"""<Relationships xmlns="{Rels}"><Relationship Id="rId1" Type="{DocRels}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part("xl/_rels/workbook.xml.rels", $"""
            <Relationships xmlns="{Rels}"><Relationship Id="rIdStyles" Type="{DocRels}/styles" Target="styles.xml"/>{string.Concat(sheets.Select(n => $"<Relationship Id=\"rId{n}\" Type=\"{DocRels}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"))}</Relationships>
            """);
        Part("xl/workbook.xml", $"""<workbook xmlns="{Main}" xmlns:r="{DocRels}"><sheets>{string.Concat(sheets.Select(n => $"<sheet name=\"{System.Security.SecurityElement.Escape(sheetNames[n - 1])}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"))}</sheets></workbook>""");
        Part("xl/styles.xml", $"""
            <styleSheet xmlns="{Main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="3"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><i/><sz val="11"/><color rgb="FF808080"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """);
    }

    /// <summary>Sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string([.. name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]);
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }

    /// <summary>Sheet names are unique in a workbook (case-insensitively): a repeated name gets (2), (3)….</summary>
    private string UniqueSheetName(string name)
    {
        var unique = name;
        for (var n = 2; sheetNames.Contains(unique, StringComparer.OrdinalIgnoreCase); n++)
        {
            var suffix = $"({n})";
            unique = (name.Length + suffix.Length > 31 ? name[..(31 - suffix.Length)] : name) + suffix;
        }
        return unique;
    }

    private void Part(string path, string xml)
    {
        using var stream = zip.CreateEntry(path, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + "\n" + xml.Trim());
        stream.Write(bytes);
    }

    /// <summary>Ends the last sheet, writes the workbook's parts and ends the zip; the file is complete only after this.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        EndSheet();
        WritePackageParts();
        zip.Dispose();
    }
}
