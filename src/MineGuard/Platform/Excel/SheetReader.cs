using System.Text;
using CsvHelper;

namespace MineGuard.Platform.Excel;

/// <summary>One row of a sheet: its 1-based row number as Excel shows it, and its cells as text ("" when empty).</summary>
public sealed record SheetRow(int Number, string[] Cells)
{
    public string Cell(int column) => column < Cells.Length ? Cells[column] : "";

    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>The file cannot be read as a sheet; the message is Chinese and says what to do.</summary>
public sealed class SheetFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads the first sheet of an .xlsx (streaming, see <see cref="XlsxRows"/>) or a .csv as rows of text, so that an
/// importer sees every office's ledger the same way and can report a bad cell by the row number the office sees.
/// Rows are produced one at a time: a hundred thousand rows never sit in memory together.
/// </summary>
public static class SheetReader
{
    public static readonly IReadOnlyList<string> Extensions = [".xlsx", ".csv"];

    static SheetReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static bool IsSupported(string fileName) =>
        Extensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>
    /// The rows of the first sheet, within <paramref name="limits"/> (<see cref="SheetLimits.Default"/> when null): a file
    /// beyond them is refused with <see cref="SheetFormatException"/> before it can fill the memory. The stream must be
    /// seekable and stay open while the rows are read.
    /// </summary>
    /// <param name="fillMergedBelow">The header's last row: below it, cells merged down are filled (<see cref="XlsxRows.Read"/>).</param>
    public static IEnumerable<SheetRow> Read(Stream stream, string fileName, SheetLimits? limits = null, int? fillMergedBelow = null)
    {
        var kind = Sniff(stream, fileName);
        limits ??= SheetLimits.Default;
        return Guard(kind == ".csv" ? CsvRows(stream, limits) : XlsxRows.Read(stream, limits, fillMergedBelow));
    }

    /// <summary>Decides by content, not only by name: a ledger saved as .xls or renamed is a common mistake.</summary>
    private static string Sniff(Stream stream, string fileName)
    {
        Span<byte> head = stackalloc byte[4096];
        var start = stream.Position;
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 0) throw new SheetFormatException("文件是空的");
        if (read >= 4 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
            throw new SheetFormatException("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 后再上传");
        var zip = read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] is 3 or 5 or 7;
        if (zip) return ".xlsx";
        if (Path.GetExtension(fileName).Equals(".xlsx", StringComparison.OrdinalIgnoreCase))
            throw new SheetFormatException("文件不是有效的 .xlsx 文件，请用 Excel 打开后重新保存");
        // Text has no NUL bytes (UTF-16, which has, starts with its byte order mark).
        var utf16 = read >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        if (!utf16 && head[..read].Contains((byte)0))
            throw new SheetFormatException("文件不是 CSV 文本，请在 Excel 中“另存为”.xlsx 或 CSV 后再上传");
        return ".csv";
    }

    /// <summary>Turns the libraries' parse failures, wherever they surface while reading, into a Chinese message.</summary>
    private static IEnumerable<SheetRow> Guard(IEnumerable<SheetRow> rows)
    {
        using var e = rows.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (Exception ex) when (ex is System.Xml.XmlException or InvalidDataException or IOException or FormatException
                                           or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or CsvFormatException)
            {
                throw new SheetFormatException("文件内容已损坏或格式不正确，无法读取，请用 Excel 打开后重新保存", ex);
            }
            yield return e.Current;
        }
    }

    private static IEnumerable<SheetRow> CsvRows(Stream stream, SheetLimits limits)
    {
        var options = new CsvReaderOptions { HasHeader = false, SkipEmptyLines = false, Encoding = CsvEncoding(stream) };
        using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        var rows = 0;
        while (csv.Read())
        {
            var cells = new string[Math.Min(csv.FieldCount, limits.MaxColumns)];
            for (var i = 0; i < csv.FieldCount; i++)
            {
                var text = csv.GetString(i);
                if (text.Length > limits.MaxCellChars) throw SheetLimits.TooLarge($"有单元格超过 {limits.MaxCellChars} 个字符");
                if (i < cells.Length) cells[i] = text;
                else if (!string.IsNullOrWhiteSpace(text))
                    throw SheetLimits.TooLarge($"第 {csv.RowNumber} 行在第 {limits.MaxColumns} 列之后还有内容");
            }
            if (++rows > limits.MaxRows) throw SheetLimits.TooLarge($"文件超过 {limits.MaxRows} 行");
            // With empty lines kept, the record number is the row Excel shows when it opens the file.
            var row = new SheetRow(checked((int)csv.RowNumber), cells);
            if (!row.IsBlank) yield return row;
        }
    }

    /// <summary>
    /// UTF-8 (with or without BOM) or UTF-16 with a BOM is read as such; anything that is not valid UTF-8 is taken as
    /// GB18030, which is what Excel on a Chinese Windows writes for "CSV (逗号分隔)" and a superset of GBK and GB2312.
    /// </summary>
    public static Encoding? CsvEncoding(Stream stream)
    {
        var start = stream.Position;
        var buffer = new byte[1 << 20];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = start;
        var bytes = buffer.AsSpan(0, read);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])
            || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return null; // the reader honours the byte order mark
        try
        {
            // flush: false, so a character cut at the end of the sample is not taken for a bad one.
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder().GetCharCount(bytes, flush: read < buffer.Length);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030");
        }
    }
}
