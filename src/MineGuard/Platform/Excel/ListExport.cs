using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;

namespace MineGuard.Platform.Excel;

/// <summary>A list's rows for an export: the filtered, ordered query and how a batch of items becomes cells.</summary>
public sealed record ListRows<T>(IQueryable<T> Ordered, Func<List<T>, CancellationToken, Task<IEnumerable<object?[]>>> Cells);

/// <summary>
/// "导出" of a list: exactly the rows the list's filters select (all pages, in the list's order), as .xlsx or .csv,
/// through <see cref="Export"/> (the cap, the background job for a large one, the audit trail), named
/// "&lt;title&gt;-yyyyMMdd.xlsx". The query is read as a stream and its items turned into cells in batches of 500, so a
/// list whose view needs names looked up (divisions, departments) does so once per batch and memory stays flat.
/// </summary>
public static class ListExport
{
    private const int Batch = 500;

    /// <param name="source">
    /// The list's rows in a unit of work: take every service from the provider given (it may be a background job's);
    /// capture only the request's input.
    /// </param>
    /// <param name="auditNote">What the audit line should say besides the count and the keyword (e.g. whether phones were masked).</param>
    public static Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> SendAsync<T>(HttpContext http, string? format,
        string title, IReadOnlyList<XlsxWriter.Column> columns, string entityType, string? keyword, Func<IServiceProvider, ListRows<T>> source,
        CancellationToken ct, string? auditNote = null) where T : class =>
        Export.SendAsync(http, format, Plan(title, columns, entityType, keyword, source, auditNote), ct);

    /// <summary>The list's export as a plan (what <see cref="SendAsync{T}"/> sends; a benchmark writes it with <see cref="Export.WriteAsync"/>).</summary>
    public static ExportPlan Plan<T>(string title, IReadOnlyList<XlsxWriter.Column> columns, string entityType, string? keyword,
        Func<IServiceProvider, ListRows<T>> source, string? auditNote = null) where T : class =>
        new(title, columns, entityType,
            count => $"导出{title} {count} 条（{(auditNote is null ? "" : auditNote + "；")}{(keyword is null ? "全部" : $"含“{keyword}”")}）",
            (services, token) => source(services).Ordered.CountAsync(token),
            (services, token) => RowsAsync(services, source, token));

    private static async IAsyncEnumerable<object?[]> RowsAsync<T>(IServiceProvider services, Func<IServiceProvider, ListRows<T>> source,
        [EnumeratorCancellation] CancellationToken ct) where T : class
    {
        var cells = source(services).Cells;
        // The cells look names up while the list is still being read, and PostgreSQL reads one result at a time per
        // connection: the list is read through a unit of work of its own, acting as the same user.
        await using var reading = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        reading.ServiceProvider.GetRequiredService<CurrentUser>().ActAs(services.GetRequiredService<CurrentUser>().Snapshot());
        var batch = new List<T>(Batch);
        await foreach (var item in source(reading.ServiceProvider).Ordered.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add(item);
            if (batch.Count < Batch) continue;
            foreach (var row in await cells(batch, ct)) yield return row;
            batch = new List<T>(Batch);
        }
        if (batch.Count > 0)
        {
            foreach (var row in await cells(batch, ct)) yield return row;
        }
    }
}
