using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace MineGuard.Platform.Excel;

/// <summary>
/// The first worksheet of an .xlsx, row by row, as text. The Open XML SDK opens the package and finds the parts; each
/// part is then read with a forward-only <see cref="XmlReader"/>. Measured on 1.5 million cells (2 cores): the SDK's
/// own <c>OpenXmlReader</c> took 8.3 s, because it builds an element object for every node, and an
/// <see cref="XmlReader"/> over the same part stream 0.4 s. Both stream; only the second fits the import's time budget.
/// </summary>
/// <remarks>
/// Cell types: shared strings (with rich-text runs, without the phonetic guides Chinese and Japanese files carry),
/// inline strings, formula results, booleans (是/否, the words the ledgers' yes/no columns use), errors (kept as
/// their text, so a row says "#N/A" instead of silently losing the cell), ISO dates, and numbers. A number whose
/// cell style is a date format becomes yyyy-MM-dd, so a date reaches the validator the way the office sees it.
/// </remarks>
public static partial class XlsxRows
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true, CheckCharacters = false, CloseInput = false,
    };

    /// <summary>The rows of the first sheet, within <paramref name="limits"/> (<see cref="SheetLimits.Default"/> when null).</summary>
    /// <param name="fillMergedBelow">
    /// With a row number (the header's last row): a range merged down over several rows that starts below it gives every
    /// row of the range that has content of its own the range's value in the range's first column. Offices merge 乡镇
    /// down over the rows of one township, and only the range's first cell holds the text. Header rows are left as they
    /// are (<see cref="HeaderMatcher"/> reads their merges).
    /// </param>
    public static IEnumerable<SheetRow> Read(Stream stream, SheetLimits? limits = null, int? fillMergedBelow = null)
    {
        limits ??= SheetLimits.Default;
        // Before the SDK parses anything: the zip's directory, and the small parts the SDK reads on opening.
        limits.CheckPackage(stream);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var book = doc.WorkbookPart ?? throw new SheetFormatException("文件中没有工作簿");
        var (sheet, date1904) = FirstSheet(book, limits);
        var strings = book.SharedStringTablePart is { } sst ? SharedStrings(sst, limits) : [];
        var dates = book.WorkbookStylesPart is { } styles ? DateStyles(styles, limits) : [];
        var merged = fillMergedBelow is { } below ? MergedDown(sheet, limits, below) : null;
        using var part = Open(sheet, limits, "工作表");
        using var xml = XmlReader.Create(part, Settings);
        var cells = new List<string>();
        var context = new Context(strings, dates, date1904, limits, new char[4096]);
        var number = 0;
        var rows = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "row") continue;
            number = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : number + 1;
            if (xml.IsEmptyElement) continue;
            cells.Clear();
            ReadRow(xml, cells, context, number);
            if (!cells.Exists(c => c.Length > 0 && !string.IsNullOrWhiteSpace(c))) continue;
            merged?.Fill(number, cells);
            if (++rows > limits.MaxRows) throw SheetLimits.TooLarge($"工作表超过 {limits.MaxRows} 行");
            yield return new SheetRow(number, [.. cells]);
        }
    }

    /// <summary>
    /// The sheet's ranges merged over more than one row that start below <paramref name="below"/>. The
    /// &lt;mergeCells&gt; list follows the sheet data, so it is found by a pass that skips the data unread.
    /// </summary>
    private static MergedRanges? MergedDown(WorksheetPart sheet, SheetLimits limits, int below)
    {
        var ranges = new List<MergedRange>();
        using var part = Open(sheet, limits, "工作表");
        using var xml = XmlReader.Create(part, Settings);
        xml.MoveToContent();
        while (!xml.EOF)
        {
            if (xml.NodeType != XmlNodeType.Element) xml.Read();
            else if (xml.LocalName == "sheetData") xml.Skip();
            else if (xml.LocalName != "mergeCell") xml.Read();
            else
            {
                if (MergedRange.Parse(xml.GetAttribute("ref")) is { } range && range.First > below && range.Last > range.First
                    && ranges.Count < limits.MaxRows) ranges.Add(range);
                xml.Read();
            }
        }
        return ranges.Count == 0 ? null : new MergedRanges([.. ranges.OrderBy(r => r.First)]);
    }

    /// <summary>A merged range's first column and its first and last rows ("B5:C9" → column 1, rows 5 to 9).</summary>
    private readonly record struct MergedRange(int Column, int First, int Last)
    {
        public static MergedRange? Parse(string? reference)
        {
            var colon = reference?.IndexOf(':') ?? -1;
            if (colon < 0) return null;
            var (from, to) = (reference![..colon], reference[(colon + 1)..]);
            return ColumnIndex(from) is { } column && RowIndex(from) is { } first && RowIndex(to) is { } last ? new MergedRange(column, first, last) : null;
        }

        private static int? RowIndex(string reference)
        {
            var digits = reference.AsSpan().TrimStart("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$");
            return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : null;
        }
    }

    /// <summary>Fills rows in order from the ranges that cover them (sorted by first row): each range's first-row value down.</summary>
    private sealed class MergedRanges(MergedRange[] ranges)
    {
        private readonly List<(MergedRange Range, string Value)> open = [];
        private int next;

        public void Fill(int row, List<string> cells)
        {
            open.RemoveAll(o => o.Range.Last < row);
            for (; next < ranges.Length && ranges[next].First <= row; next++)
            {
                // A range whose first row is blank or absent has nothing to give.
                var range = ranges[next];
                if (range.First == row && range.Column < cells.Count && !string.IsNullOrWhiteSpace(cells[range.Column])) open.Add((range, cells[range.Column]));
            }
            foreach (var (range, value) in open)
            {
                if (range.First == row) continue;
                while (cells.Count <= range.Column) cells.Add("");
                if (string.IsNullOrWhiteSpace(cells[range.Column])) cells[range.Column] = value;
            }
        }
    }

    private readonly record struct Context(List<string> Strings, bool[] DateStyles, bool Date1904, SheetLimits Limits, char[] Buffer);

    /// <summary>A part's content, capped at the limit whatever the zip directory declared.</summary>
    private static Stream Open(OpenXmlPart part, SheetLimits limits, string what) =>
        limits.Capped(part.GetStream(FileMode.Open, FileAccess.Read), what);

    /// <summary>
    /// The workbook's first visible sheet tab (not the first part in the file), and whether it counts dates from 1904.
    /// Offices hide a first sheet of instructions or drop-down lists (state hidden or veryHidden) and see the ledger as
    /// the first sheet; when every tab is hidden, the first one.
    /// </summary>
    private static (WorksheetPart Sheet, bool Date1904) FirstSheet(WorkbookPart book, SheetLimits limits)
    {
        string? id = null;
        string? firstHidden = null;
        var date1904 = false;
        using (var stream = Open(book, limits, "工作簿"))
        using (var xml = XmlReader.Create(stream, Settings))
        {
            while (id is null && xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element) continue;
                if (xml.LocalName == "workbookPr") date1904 = xml.GetAttribute("date1904") is "1" or "true";
                if (xml.LocalName != "sheet") continue;
                if (xml.GetAttribute("state") is "hidden" or "veryHidden") firstHidden ??= RelationshipId(xml);
                else id = RelationshipId(xml);
            }
        }
        id ??= firstHidden;
        if (id is null) throw new SheetFormatException("文件中没有工作表");
        // A workbook that names a sheet the package does not hold (edited by hand, cut short) is a damaged file, not a 500.
        if (!book.TryGetPartById(id, out var part)) throw new SheetFormatException("文件中缺少第一个工作表的内容（文件可能已损坏），请用 Excel 打开后重新保存");
        return part is WorksheetPart sheet
            ? (sheet, date1904)
            : throw new SheetFormatException("第一个工作表不是数据表（可能是图表），请把台账放在第一个工作表");
    }

    private static string? RelationshipId(XmlReader xml)
    {
        for (var i = 0; i < xml.AttributeCount; i++)
        {
            xml.MoveToAttribute(i);
            if (xml.LocalName == "id" && xml.Prefix.Length > 0) return xml.Value;
        }
        return null;
    }

    /// <summary>The shared string table, held in memory for the sheet's lookups: capped per string and in total.</summary>
    private static List<string> SharedStrings(SharedStringTablePart part, SheetLimits limits)
    {
        var list = new List<string>();
        using var stream = Open(part, limits, "共享字符串表");
        using var xml = XmlReader.Create(stream, Settings);
        var text = new StringBuilder();
        var buffer = new char[4096];
        long total = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "si") continue;
            text.Clear();
            if (!xml.IsEmptyElement) ReadText(xml, "si", text, limits, buffer);
            total += text.Length;
            if (total > limits.MaxSharedStringChars) throw SheetLimits.TooLarge($"文件中的文字超过 {limits.MaxSharedStringChars} 个字符");
            list.Add(Unescape(text.ToString()));
        }
        return list;
    }

    /// <summary>Reads the text of a string item up to its end tag: every run's text, but not the phonetic guides.</summary>
    private static void ReadText(XmlReader xml, string end, StringBuilder text, SheetLimits limits, char[] buffer)
    {
        xml.Read();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.LocalName == end) && !xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "t") ReadContent(xml, text, limits, buffer);
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName is "rPh" or "phoneticPr") xml.Skip();
            else xml.Read();
        }
    }

    /// <summary>
    /// An element's text appended in chunks, refused past the cell limit: a 100 MB &lt;t&gt; or &lt;v&gt; is never
    /// held whole. Leaves the reader after the element's end tag, as ReadElementContentAsString does.
    /// </summary>
    private static void ReadContent(XmlReader xml, StringBuilder text, SheetLimits limits, char[] buffer)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return;
        }
        var depth = xml.Depth;
        xml.Read();
        while (xml.Depth > depth && !xml.EOF)
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int n;
                while ((n = xml.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
                {
                    text.Append(buffer, 0, n);
                    if (text.Length > limits.MaxCellChars) throw SheetLimits.TooLarge($"有单元格超过 {limits.MaxCellChars} 个字符");
                }
            }
            xml.Read();
        }
        if (xml.NodeType == XmlNodeType.EndElement) xml.Read();
    }

    private static void ReadRow(XmlReader xml, List<string> cells, Context context, int rowNumber)
    {
        var text = new StringBuilder();
        xml.Read();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "row") && !xml.EOF)
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c")
            {
                xml.Read();
                continue;
            }
            if (xml.IsEmptyElement)
            {
                // A cell without a value is empty whatever its type or style: a sheet formatted down to row 100,000
                // is made of these. Only a cell without a reference keeps its place (the next cell counts on it).
                if (xml.GetAttribute("r") is null) cells.Add("");
                xml.Read();
                continue;
            }
            var column = ColumnIndex(xml.GetAttribute("r")) ?? cells.Count;
            var type = xml.GetAttribute("t");
            var style = int.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            string? value = null;
            text.Clear();
            if (xml.IsEmptyElement) xml.Read();
            else
            {
                xml.Read();
                while (!(xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "c") && !xml.EOF)
                {
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "v")
                    {
                        var v = new StringBuilder();
                        ReadContent(xml, v, context.Limits, context.Buffer);
                        value = v.ToString();
                    }
                    else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "is") ReadText(xml, "is", text, context.Limits, context.Buffer);
                    else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "f") xml.Skip();
                    else xml.Read();
                }
                xml.Read();
            }
            var cell = Text(type, style, value, text, context);
            if (column >= context.Limits.MaxColumns)
            {
                // Empty styled cells far to the right are common; content out there is not a ledger column.
                if (string.IsNullOrWhiteSpace(cell)) continue;
                throw SheetLimits.TooLarge($"第 {rowNumber} 行在第 {context.Limits.MaxColumns} 列之后还有内容（{XlsxWriter.ColumnName(column)} 列）");
            }
            while (cells.Count <= column) cells.Add("");
            cells[column] = cell;
        }
    }

    private static string Text(string? type, int style, string? value, StringBuilder inline, Context context) => type switch
    {
        "s" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < context.Strings.Count ? context.Strings[i] : "",
        "inlineStr" => Unescape(inline.ToString()),
        "str" or "e" => value ?? "",
        "b" => value switch { "1" or "true" => "是", "0" or "false" => "否", _ => "" },
        "d" => value is { Length: >= 10 } iso ? iso[..10] : value ?? "",
        _ => Number(value, style < context.DateStyles.Length && context.DateStyles[style], context.Date1904),
    };

    private static string Number(string? value, bool isDate, bool date1904)
    {
        if (string.IsNullOrEmpty(value) || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return value ?? "";
        if (isDate && d is >= 1 and < 2958466)
        {
            var day = DateTime.FromOADate(date1904 ? d + 1462 : d);
            return day.TimeOfDay == TimeSpan.Zero
                ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : day.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }
        // The 15 significant digits Excel shows: 112.05000000000001 is 112.05 on screen, and 410325 stays 410325.
        return Math.Abs(d) < 1e15 && d == Math.Floor(d)
            ? d.ToString("0", CultureInfo.InvariantCulture)
            : d.ToString("G15", CultureInfo.InvariantCulture);
    }

    /// <summary>"AB12" → 27; null when the reference is missing (the cell is then the next one along).</summary>
    public static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var index = 0;
        var letters = 0;
        foreach (var ch in reference)
        {
            var upper = char.ToUpperInvariant(ch);
            if (upper is < 'A' or > 'Z') break;
            index = (index * 26) + (upper - 'A' + 1);
            letters++;
        }
        return letters is > 0 and <= 3 ? index - 1 : null;
    }

    /// <summary>Which cell styles (by index) show a number as a date or time.</summary>
    private static bool[] DateStyles(WorkbookStylesPart part, SheetLimits limits)
    {
        var custom = new Dictionary<int, string>();
        var styles = new List<bool>();
        using var stream = Open(part, limits, "样式表");
        using var xml = XmlReader.Create(stream, Settings);
        var inCellXfs = false;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs") inCellXfs = false;
            if (xml.NodeType != XmlNodeType.Element) continue;
            switch (xml.LocalName)
            {
                case "numFmt" when int.TryParse(xml.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var id):
                    custom[id] = xml.GetAttribute("formatCode") ?? "";
                    break;
                case "cellXfs":
                    inCellXfs = !xml.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    var fmt = int.TryParse(xml.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var f) ? f : 0;
                    styles.Add(IsDateFormat(fmt, custom.GetValueOrDefault(fmt)));
                    break;
            }
        }
        return [.. styles];
    }

    /// <summary>
    /// Built-in date formats (14–22, 45–47, and 27–36 and 50–58 which Chinese Excel uses for 年月日), or a custom format
    /// with a date or time token once quoted text ("年"), escapes and [colour/locale] sections are removed.
    /// </summary>
    public static bool IsDateFormat(int id, string? code)
    {
        if (id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58)) return true;
        if (id < 164 || string.IsNullOrEmpty(code)) return false;
        var bare = NonDateParts().Replace(code, "");
        return bare.IndexOfAny(['y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H', 's', 'S']) >= 0
               && !bare.Contains("General", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Excel escapes control characters in text as _xHHHH_.</summary>
    private static string Unescape(string text) =>
        text.Contains("_x", StringComparison.Ordinal)
            ? Escaped().Replace(text, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString())
            : text;

    [GeneratedRegex("\"[^\"]*\"|\\\\.|\\[[^\\]]*\\]")]
    private static partial Regex NonDateParts();

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex Escaped();
}
