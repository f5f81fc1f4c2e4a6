using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Excel;

/// <summary>
/// "导出Excel" of a list: exactly the rows the list's filters select (all pages, in the list's order), refused in
/// Chinese above <see cref="ListPaging.ExportLimit"/> rows, written through <see cref="ExcelDownload"/>, recorded in the
/// audit trail, named "&lt;title&gt;-yyyyMMdd.xlsx". The rows are turned into cells in batches, so a list whose view needs
/// names looked up (divisions, departments) does so once per batch.
/// </summary>
public static class ListExport
{
    private const int Batch = 500;

    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> SendAsync<T>(AppDbContext db, IQueryable<T> ordered, string title,
        IReadOnlyList<XlsxWriter.Column> columns, Func<List<T>, CancellationToken, Task<IEnumerable<object?[]>>> cells, string entityType,
        string? keyword, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        if (total > ListPaging.ExportLimit) return ListPaging.ExportTooLarge(total).ToProblem();
        var (file, count) = await ExcelDownload.WriteAsync(title, columns, RowsAsync(ordered, cells, ct), ct);
        db.AuditEvent("export", entityType, "*", $"导出{title} {count} 条（{(keyword is null ? "全部" : $"含“{keyword}”")}）");
        await db.SaveChangesAsync(ct);
        var day = ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return ExcelDownload.Send(file, $"{title}-{day}.xlsx");
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync<T>(IQueryable<T> ordered, Func<List<T>, CancellationToken, Task<IEnumerable<object?[]>>> cells,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var items = await ordered.Take(ListPaging.ExportLimit).ToListAsync(ct);
        foreach (var chunk in items.Chunk(Batch))
        {
            foreach (var row in await cells([.. chunk], ct)) yield return row;
        }
    }
}
