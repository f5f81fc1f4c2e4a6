using MineGuard.Platform.Web;

namespace MineGuard.Platform.Excel;

/// <summary>
/// A one-sheet upload (.xlsx or .csv) with its header row found among the first rows and matched to the fields: the one
/// way a feature reads a monthly export someone uploads (the power company's meter readings, the 民爆 system's movements,
/// the people register). Problems with the file itself are told on the <c>file</c> field in Chinese; the rows after the
/// header that are not blank and not the template's 示例 row are kept with their Excel row numbers, for errors by row.
/// </summary>
public sealed class UploadedSheet
{
    private UploadedSheet(SheetRow header, HeaderMatch match, List<SheetRow> rows, IReadOnlyList<SheetField> fields) =>
        (Header, Match, Rows, this.fields) = (header, match, rows, fields);

    private readonly IReadOnlyList<SheetField> fields;

    public SheetRow Header { get; }

    public HeaderMatch Match { get; }

    public IReadOnlyList<SheetRow> Rows { get; }

    /// <summary>The column of a field, -1 when the sheet has none.</summary>
    public int Column(string key) => Array.IndexOf(Match.Fields, key);

    public bool Has(string key) => Column(key) >= 0;

    /// <summary>The column's header as the sheet writes it (for an error the office can find), else the field's name.</summary>
    public string Head(string key) =>
        Column(key) is var c and >= 0 && !string.IsNullOrWhiteSpace(Header.Cell(c)) ? Header.Cell(c).Trim() : fields.First(f => f.Key == key).Header;

    /// <summary>A field's trimmed cell in a row; null when the sheet has no such column or the cell is empty.</summary>
    public string? Cell(SheetRow row, string key) => Column(key) is var c and >= 0 && row.Cell(c).Trim() is { Length: > 0 } text ? text : null;

    /// <summary>Reads the upload into memory (the stream need not be seekable); null with the reason on <c>file</c>.</summary>
    public static async Task<UploadedSheet?> ReadAsync(string? fileName, Stream? content, IReadOnlyList<SheetField> fields, FieldErrors errors,
        CancellationToken ct)
    {
        if (content is null || string.IsNullOrWhiteSpace(fileName))
        {
            errors.Add("file", "请选择要上传的文件（.xlsx 或 .csv）");
            return null;
        }
        if (!SheetReader.IsSupported(fileName))
        {
            errors.Add("file", "只支持 .xlsx 或 .csv 文件");
            return null;
        }
        await using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        List<SheetRow> rows;
        try
        {
            rows = SheetReader.Read(buffer, fileName).ToList();
        }
        catch (Exception e) when (e is SheetFormatException or InvalidDataException or System.Xml.XmlException)
        {
            errors.Add("file", e is SheetFormatException ? e.Message : "文件无法读取，请确认是 Excel（.xlsx）或 CSV 文件");
            return null;
        }
        if (rows.Count == 0)
        {
            errors.Add("file", "文件中没有数据");
            return null;
        }
        var headerAt = HeaderMatcher.FindHeader(rows.Take(HeaderMatcher.HeaderSearchRows).ToList(), fields);
        var match = HeaderMatcher.Match(rows[headerAt].Cells, fields);
        if (match.MissingRequired.Count > 0)
        {
            errors.Add("file", $"表头缺少必需的列：{string.Join("、", match.MissingRequired.Select(f => f.Header))}");
            return null;
        }
        var body = rows.Skip(headerAt + 1).Where(r => !r.IsBlank && r.Cells.FirstOrDefault()?.Trim() != "示例").ToList();
        return new UploadedSheet(rows[headerAt], match, body, fields);
    }
}
