using MineGuard.Platform.Web;

namespace MineGuard.Platform.Excel;

/// <summary>A sheet being written row by row: <see cref="XlsxWriter"/> or <see cref="CsvWriter"/>.</summary>
public interface ISheetWriter : IDisposable
{
    /// <summary>Rows written so far, the header row included.</summary>
    int RowsWritten { get; }

    void WriteRow(IReadOnlyList<object?> values);
}

/// <summary>
/// The formats every export answers in, chosen by the query parameter <c>format</c> (<c>xlsx</c>, the default, or
/// <c>csv</c>): the same header and cells either way.
/// </summary>
public sealed record ExportFormat(string Name, string ContentType)
{
    public static readonly ExportFormat Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    public static readonly ExportFormat Csv = new("csv", "text/csv; charset=utf-8");

    public string Extension => "." + Name;

    /// <summary>The format asked for; an unknown one is added to <paramref name="errors"/> under "format".</summary>
    public static ExportFormat Parse(string? format, FieldErrors errors)
    {
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "xlsx":
                return Xlsx;
            case "csv":
                return Csv;
            default:
                errors.Add("format", "导出格式只能是 xlsx（Excel）或 csv");
                return Xlsx;
        }
    }

    /// <summary>Starts the file with its header row.</summary>
    public ISheetWriter Create(Stream output, string sheetName, IReadOnlyList<XlsxWriter.Column> columns) =>
        this == Csv ? CsvWriter.Create(output, columns) : XlsxWriter.Create(output, sheetName, columns);
}
