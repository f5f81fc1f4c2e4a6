using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Excel;

namespace MineGuard.Features.Imports;

/// <summary>
/// Ledger files sent to the browser: an export of a list, or a kind's blank import template. The workbook is written
/// to a temporary file and then streamed (the writer is synchronous, which a response body refuses), so a county's
/// whole ledger costs no more memory than one row of it; the file goes away when the response is done.
/// </summary>
public static class LedgerFiles
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Writes the rows under a Chinese header row; returns the file, rewound, and the number of rows.</summary>
    public static async Task<(FileStream File, int Rows)> WriteAsync(
        string sheetName, IReadOnlyList<XlsxWriter.Column> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var file = TempFile();
        try
        {
            int count;
            using (var sheet = XlsxWriter.Create(file, sheetName, columns))
            {
                await foreach (var row in rows.WithCancellation(ct)) sheet.WriteRow(row);
                count = sheet.RowsWritten - 1;
            }
            file.Position = 0;
            return (file, count);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public static FileStreamHttpResult Send(FileStream file, string downloadName) => TypedResults.File(file, ContentType, downloadName);

    /// <summary>
    /// The kind's import template: its fields' headers (required ones marked *) and one grey example row whose first
    /// cell is 示例, which the import skips, so a template filled in below the example imports as it is.
    /// </summary>
    public static FileStreamHttpResult Template(LedgerKind kind)
    {
        var file = TempFile();
        using (var sheet = XlsxWriter.Create(file, $"{kind.Noun}台账",
                   [.. kind.Fields.Select(f => new XlsxWriter.Column(f.Required ? f.Header + "*" : f.Header, kind.ColumnWidth(f.Key)))]))
        {
            sheet.WriteRow(["示例", .. kind.Example.Skip(1)], example: true);
        }
        file.Position = 0;
        return Send(file, $"{kind.Noun}台账导入模板.xlsx");
    }

    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"mineguard-{Guid.NewGuid():N}.xlsx"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
}
