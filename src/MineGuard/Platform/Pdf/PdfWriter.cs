using System.Security.Cryptography;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MineGuard.Platform.Pdf;

/// <summary>
/// Lays out an official document on A4 in one Chinese font (subset-embedded): centred lines (letterhead, title), a
/// right-aligned line (document number), wrapped paragraphs (by character width: Chinese has no spaces), a bordered
/// table of labelled fields (a form such as 立案审批表), a signature/seal block with its date, page breaks and page
/// numbers. It knows nothing of any document's content. <see cref="ContentHash"/> is the SHA-256 of what was written, so
/// the same content printed twice is recognised although the PDF bytes (creation time, file id) differ.
/// </summary>
public sealed class PdfWriter : IDisposable
{
    private const double Left = 72, Right = 595 - 72, Top = 64, Bottom = 842 - 64, Body = 12, LineGap = 1.5;
    private static readonly string NoLineStart = "，。、；：？！）》」』”’%·…";

    private readonly PdfDocument document = new();
    private readonly PdfFontSet font;
    private readonly Dictionary<(double, bool, char), double> widths = [];
    private readonly Dictionary<(double, bool, bool), XFont> fonts = [];
    private readonly StringBuilder content = new();
    private readonly XGraphics measure = XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);
    private XGraphics? page;
    private double y;

    /// <param name="fonts">The TrueType fonts (<see cref="PdfFonts.Find"/>).</param>
    /// <param name="title">The document's title in its properties.</param>
    public PdfWriter(PdfFontSet fonts, string title)
    {
        PdfFonts.EnsureResolver();
        font = fonts;
        document.Info.Title = title;
        document.Info.Creator = "MineGuard";
        document.PageLayout = PdfPageLayout.SinglePage;
        NewPage();
    }

    public string ContentHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())));

    /// <summary>Letters, digits and Western punctuation (below the CJK blocks) in the Latin font when there is one.</summary>
    private bool IsLatin(char ch) => font.Latin is not null && ch < '\u2e80';

    private XFont Font(double size, bool bold, bool latin = false)
    {
        if (!fonts.TryGetValue((size, bold, latin), out var f))
            fonts[(size, bold, latin)] = f = new XFont(latin ? font.Latin! : font.Chinese, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular,
                new XPdfFontOptions(PdfFontEncoding.Unicode));
        return f;
    }

    /// <summary>Draws one line at <paramref name="x"/> (its left, centre or right by <paramref name="alignment"/>), each run in its font.</summary>
    private void Draw(XGraphics g, string line, double size, bool bold, double x, double top, XStringAlignment alignment)
    {
        var width = line.Sum(ch => Width(size, bold, ch));
        x -= alignment switch { XStringAlignment.Center => width / 2, XStringAlignment.Far => width, _ => 0 };
        var start = 0;
        for (var i = 1; i <= line.Length; i++)
        {
            if (i < line.Length && IsLatin(line[i]) == IsLatin(line[start])) continue;
            var run = line[start..i];
            g.DrawString(run, Font(size, bold, IsLatin(run[0])), XBrushes.Black, x, top, XStringFormats.TopLeft);
            x += run.Sum(ch => Width(size, bold, ch));
            start = i;
        }
    }

    private double LineHeight(double size) => size * LineGap;

    private void NewPage()
    {
        page?.Dispose();
        page = XGraphics.FromPdfPage(document.AddPage());
        y = Top;
    }

    private XGraphics Page => page ?? throw new ObjectDisposedException(nameof(PdfWriter));

    /// <summary>Starts a new page.</summary>
    public void PageBreak()
    {
        content.Append("\u000cbreak\n");
        NewPage();
    }

    /// <summary>Space before the next line, in points (a new page when it runs off this one).</summary>
    public void Gap(double points)
    {
        y += points;
        if (y > Bottom) NewPage();
    }

    private void Room(double height)
    {
        if (y + height > Bottom) NewPage();
    }

    /// <summary>A centred line (the letterhead, the title), wrapped if it is wider than the page.</summary>
    public void Centered(string text, double size = Body, bool bold = false) => Lines("center", text, size, bold, Left, Right, XStringFormats.TopCenter);

    /// <summary>A right-aligned line (a document number, a date).</summary>
    public void RightAligned(string text, double size = Body) => Lines("right", text, size, false, Left, Right, XStringFormats.TopRight);

    /// <summary>A paragraph wrapped to the page, its first line indented by two characters as Chinese documents are.</summary>
    public void Paragraph(string text, double size = Body, bool indent = true, bool bold = false) =>
        Lines("para", (indent ? "\u3000\u3000" : "") + text, size, bold, Left, Right, XStringFormats.TopLeft);

    private void Lines(string kind, string text, double size, bool bold, double left, double right, XStringFormat format)
    {
        content.Append(kind).Append('|').Append(size).Append('|').Append(bold).Append('|').Append(text).Append('\n');
        foreach (var line in Wrap(text, size, bold, right - left))
        {
            Room(LineHeight(size));
            var x = format.Alignment switch { XStringAlignment.Center => (left + right) / 2, XStringAlignment.Far => right, _ => left };
            Draw(Page, line, size, bold, x, y, format.Alignment);
            y += LineHeight(size);
        }
    }

    /// <summary>
    /// A bordered two-column form: each row a label and its value (wrapped). A row longer than the rest of the page
    /// continues on the next one.
    /// </summary>
    public void Table(IReadOnlyList<(string Label, string Value)> rows, double labelWidth = 110, double size = Body)
    {
        var lh = LineHeight(size);
        const double pad = 4;
        var pen = new XPen(XColors.Black, 0.75);
        Room(lh + 2 * pad);
        foreach (var (label, value) in rows)
        {
            content.Append("row|").Append(label).Append('|').Append(value).Append('\n');
            var labels = Wrap(label, size, false, labelWidth - 2 * pad);
            var values = Wrap(value, size, false, Right - Left - labelWidth - 2 * pad);
            var count = Math.Max(1, Math.Max(labels.Count, values.Count));
            var drawn = 0;
            while (drawn < count)
            {
                if (y + lh + 2 * pad > Bottom) NewPage();
                var fits = Math.Max(1, (int)((Bottom - y - 2 * pad) / lh));
                var take = Math.Min(fits, count - drawn);
                var height = take * lh + 2 * pad;
                Page.DrawRectangle(pen, Left, y, labelWidth, height);
                Page.DrawRectangle(pen, Left + labelWidth, y, Right - Left - labelWidth, height);
                for (var i = 0; i < take; i++)
                {
                    var at = y + pad + i * lh;
                    if (drawn + i < labels.Count) Draw(Page, labels[drawn + i], size, false, Left + pad, at, XStringAlignment.Near);
                    if (drawn + i < values.Count) Draw(Page, values[drawn + i], size, false, Left + labelWidth + pad, at, XStringAlignment.Near);
                }
                drawn += take;
                y += height;
            }
        }
        y += lh / 2;
    }

    /// <summary>A section heading: bold, not indented, with a little space above.</summary>
    public void Heading(string text, double size = 14)
    {
        Room(LineHeight(size) * 3);
        y += LineHeight(size) / 2;
        Lines("head", text, size, true, Left, Right, XStringFormats.TopLeft);
    }

    /// <summary>
    /// A bordered table of many columns (a statistical table): a bold header row repeated on each page, then the rows;
    /// every cell wraps within its column. <paramref name="widths"/> are relative (the table fills the page's width);
    /// numbers are right-aligned.
    /// </summary>
    public void Grid(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<double>? widths = null, double size = 9)
    {
        var weights = widths ?? headers.Select(_ => 1.0).ToList();
        var total = weights.Sum();
        var columns = weights.Select(w => (Right - Left) * w / total).ToList();
        var lh = LineHeight(size);
        const double pad = 3;
        var pen = new XPen(XColors.Black, 0.5);
        content.Append("grid|").Append(string.Join('|', headers)).Append('\n');

        List<List<string>> Cells(IReadOnlyList<string> row, bool bold) =>
            columns.Select((w, i) => Wrap(i < row.Count ? row[i] : "", size, bold, w - 2 * pad)).ToList();

        void DrawRow(List<List<string>> cells, bool bold, IReadOnlyList<string> raw)
        {
            var height = cells.Max(c => c.Count) * lh + 2 * pad;
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                if (bold) Page.DrawRectangle(XBrushes.WhiteSmoke, x, y, columns[i], height);
                Page.DrawRectangle(pen, x, y, columns[i], height);
                var numeric = !bold && i > 0 && i < raw.Count && raw[i].Length > 0 && raw[i].All(ch => char.IsAsciiDigit(ch) || ch is '.' or '%' or '-');
                for (var l = 0; l < cells[i].Count; l++)
                {
                    Draw(Page, cells[i][l], size, bold, numeric ? x + columns[i] - pad : x + pad, y + pad + l * lh,
                        numeric ? XStringAlignment.Far : XStringAlignment.Near);
                }
                x += columns[i];
            }
            y += height;
        }

        var head = Cells(headers, true);
        var headHeight = head.Max(c => c.Count) * lh + 2 * pad;
        Room(headHeight + lh + 2 * pad);
        DrawRow(head, true, headers);
        foreach (var row in rows)
        {
            content.Append("cells|").Append(string.Join('|', row)).Append('\n');
            var cells = Cells(row, false);
            var height = cells.Max(c => c.Count) * lh + 2 * pad;
            if (y + height > Bottom)
            {
                NewPage();
                DrawRow(head, true, headers);
            }
            DrawRow(cells, false, row);
        }
        y += lh / 2;
    }

    /// <summary>
    /// A horizontal bar chart drawn in the PDF itself (no browser, no image): one bar per label, the value printed at the
    /// bar's end, bars scaled to the largest value. For a ranking of a division's children on one measure.
    /// </summary>
    public void BarChart(string title, IReadOnlyList<(string Label, double Value)> bars, double size = 9)
    {
        if (bars.Count == 0) return;
        content.Append("chart|").Append(title).Append('|').Append(string.Join('|', bars.Select(b => $"{b.Label}={b.Value}"))).Append('\n');
        var lh = LineHeight(size);
        var barHeight = lh + 2;
        const double labelWidth = 110, valueWidth = 40;
        Room(lh * 2 + barHeight * Math.Min(bars.Count, 5));
        Draw(Page, title, size + 1, true, Left, y, XStringAlignment.Near);
        y += lh * 1.5;
        var max = Math.Max(bars.Max(b => b.Value), 1e-9);
        var span = Right - Left - labelWidth - valueWidth;
        var fill = new XSolidBrush(XColor.FromArgb(0xC0, 0x39, 0x2B));
        foreach (var (label, value) in bars)
        {
            Room(barHeight);
            var text = Wrap(label, size, false, labelWidth - 6).FirstOrDefault() ?? "";
            Draw(Page, text, size, false, Left + labelWidth - 6, y + 1, XStringAlignment.Far);
            var width = Math.Max(0, value) / max * span;
            if (width > 0) Page.DrawRectangle(fill, Left + labelWidth, y + 1, width, barHeight - 3);
            Draw(Page, value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), size, false, Left + labelWidth + width + 4, y + 1, XStringAlignment.Near);
            y += barHeight;
        }
        y += lh / 2;
    }

    /// <summary>
    /// The signature and seal block: right-aligned lines (the organ, "（印章）", the date) kept together on one page, with
    /// room above for the seal.
    /// </summary>
    public void Signature(IReadOnlyList<string> lines, double size = Body)
    {
        var lh = LineHeight(size);
        Room(lh * (lines.Count + 3));
        y += lh * 2;
        foreach (var line in lines) Lines("sign", line, size, false, Left, Right - 24, XStringFormats.TopRight);
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>, by character; a line never starts with closing punctuation.</summary>
    private List<string> Wrap(string text, double size, bool bold, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = new StringBuilder();
            var used = 0.0;
            foreach (var ch in paragraph)
            {
                var w = Width(size, bold, ch);
                if (used + w > width && line.Length > 0 && !NoLineStart.Contains(ch))
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    used = 0;
                }
                line.Append(ch);
                used += w;
            }
            lines.Add(line.ToString());
        }
        return lines;
    }

    private double Width(double size, bool bold, char ch)
    {
        if (!widths.TryGetValue((size, bold, ch), out var w))
            widths[(size, bold, ch)] = w = measure.MeasureString(ch.ToString(), Font(size, bold, IsLatin(ch))).Width;
        return w;
    }

    /// <summary>Numbers the pages (第 n 页 共 m 页) and returns the PDF.</summary>
    public byte[] ToPdf()
    {
        page?.Dispose();
        page = null;
        for (var i = 0; i < document.PageCount; i++)
        {
            using var g = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            Draw(g, $"第 {i + 1} 页 共 {document.PageCount} 页", 9, false, (Left + Right) / 2, Bottom + 24, XStringAlignment.Center);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        page?.Dispose();
        measure.Dispose();
        document.Dispose();
    }
}
