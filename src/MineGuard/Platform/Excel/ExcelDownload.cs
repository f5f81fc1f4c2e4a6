using Microsoft.AspNetCore.Http.HttpResults;

namespace MineGuard.Platform.Excel;

/// <summary>
/// The one way an .xlsx goes to the browser (an export of a list, an import template): the workbook is written to a
/// temporary file and then streamed (the writer is synchronous, which a response body refuses), so a county's whole
/// ledger costs no more memory than one row of it; the file goes away when the response is done.
/// </summary>
public static class ExcelDownload
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

    /// <summary>A temporary file deleted when closed, for a workbook on its way out.</summary>
    public static FileStream TempFile(string extension = ".xlsx") => new(Path.Combine(Path.GetTempPath(), $"mineguard-{Guid.NewGuid():N}{extension}"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
}
