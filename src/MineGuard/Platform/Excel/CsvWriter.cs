using System.Globalization;
using System.Text;

namespace MineGuard.Platform.Excel;

/// <summary>
/// Writes the same header and cells as <see cref="XlsxWriter"/> as CSV (RFC 4180: comma separated, CRLF line ends,
/// a field with a comma, quote or line break in double quotes, quotes doubled), in UTF-8 with a byte order mark: Excel
/// on a Chinese Windows reads a CSV without one as GBK and shows 乱码. Dates are yyyy-MM-dd, booleans 是/否. A text cell
/// that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe, so a spreadsheet does not run it
/// as a formula (CSV injection: a tip's text such as =HYPERLINK(…) is typed by the public). Memory stays flat.
/// </summary>
public sealed class CsvWriter : ISheetWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter writer;
    private bool disposed;

    public int RowsWritten { get; private set; }

    private CsvWriter(Stream output, IReadOnlyList<XlsxWriter.Column> columns)
    {
        // The byte order mark written here, once: a StreamWriter writes its encoding's own only where it finds the stream
        // at its start, which depends on the stream.
        output.Write(Encoding.UTF8.Preamble);
        writer = new StreamWriter(output, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        WriteRow(columns.Select(c => (object?)c.Header).ToArray());
    }

    /// <summary>Starts the file and writes its header row.</summary>
    public static CsvWriter Create(Stream output, IReadOnlyList<XlsxWriter.Column> columns) => new(output, columns);

    public void WriteRow(IReadOnlyList<object?> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) writer.Write(',');
            switch (values[i])
            {
                case null:
                    break;
                case string s:
                    WriteText(s);
                    break;
                case bool b:
                    writer.Write(b ? "是" : "否");
                    break;
                case DateOnly d:
                    writer.Write(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    break;
                case IFormattable n and (int or long or double or float or decimal):
                    writer.Write(n.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    WriteText(values[i]!.ToString() ?? "");
                    break;
            }
        }
        writer.WriteLine();
        RowsWritten++;
    }

    /// <summary>A text cell, neutralised and quoted as needed.</summary>
    public static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private void WriteText(string text) => writer.Write(Field(text));

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        writer.Dispose();
    }
}
