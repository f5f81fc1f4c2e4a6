using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Data;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Excel;

/// <summary>
/// One export: its title (the sheet and the file name), its columns, the audit line for a given row count, and how to
/// count and read its rows inside a unit of work. Count and Rows run in the request or, for a large export, in a
/// background job's own scope acting as the same user: they take every service from the provider they are given and
/// capture nothing of the request but its input.
/// </summary>
public sealed record ExportPlan(
    string Title,
    IReadOnlyList<XlsxWriter.Column> Columns,
    string EntityType,
    Func<int, string> AuditDetail,
    Func<IServiceProvider, CancellationToken, Task<int>> CountAsync,
    Func<IServiceProvider, CancellationToken, IAsyncEnumerable<object?[]>> Rows)
{
    /// <summary>The audited record's id ("*": many records) and where the event is filed (null: the user's division).</summary>
    public string EntityId { get; init; } = "*";

    public string? DivisionCode { get; init; }

    /// <summary>The download's name without its extension; null: "&lt;title&gt;-yyyyMMdd".</summary>
    public string? DownloadName { get; init; }

    /// <summary>A report computed in memory (a statistics table, a month's compliance): its rows as they are.</summary>
    public static ExportPlan Of(string title, IReadOnlyList<XlsxWriter.Column> columns, string entityType, Func<int, string> auditDetail,
        IReadOnlyCollection<object?[]> rows) =>
        new(title, columns, entityType, auditDetail, (_, _) => Task.FromResult(rows.Count), (_, _) => rows.ToAsyncEnumerable());

    /// <summary>"&lt;title&gt;-yyyyMMdd.xlsx" (the day in China), or the plan's own name, with the format's extension.</summary>
    public string FileName(DateTime utc, ExportFormat format) =>
        (DownloadName ?? $"{Title}-{ChinaTime.ToLocal(utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}") + format.Extension;
}

/// <summary>
/// The one way an export answers (every list's 导出, the ledgers, the reports): <c>format</c> picks .xlsx or .csv; more
/// than <see cref="ExportJobs.MaxRows"/> rows are refused in Chinese. A GET answers with the file (links without
/// JavaScript, scripts); a POST does too while the export is small, and above <see cref="ExportJobs.JobAboveRows"/> rows
/// starts a background job instead (202 and its id: <see cref="ExportsFeature"/>), so the person waiting sees progress
/// rather than a request that runs into a proxy's timeout. Either way the rows stream: memory stays flat.
/// </summary>
public static class Export
{
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> SendAsync(
        HttpContext http, string? format, ExportPlan plan, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = ExportFormat.Parse(format, errors);
        if (!errors.Ok) return errors.ToProblem();
        var services = http.RequestServices;
        var jobs = services.GetRequiredService<ExportJobs>();
        var total = await plan.CountAsync(services, ct);
        if (total > jobs.MaxRows) return ListPaging.ExportTooLarge(total, jobs.MaxRows).ToProblem();
        var db = services.GetRequiredService<AppDbContext>();
        // A job belongs to a user who can come back for it; a caller without a user id is answered directly.
        if (HttpMethods.IsPost(http.Request.Method) && total > jobs.JobAboveRows && db.CurrentUser.Id is not null)
        {
            var job = jobs.Start(db.CurrentUser.Snapshot(), plan, kind, total);
            return TypedResults.Accepted($"/api/exports/{job.Id}", job.View());
        }
        return await FileAsync(services, plan, kind, ct);
    }

    /// <summary>
    /// The file, written now to a temporary file and sent from there (the writers are synchronous, which a response
    /// body refuses), audited. The direct path of <see cref="SendAsync"/>, and the whole answer of a report that is
    /// small by nature (举报统计, 巡查考核, an import's 错误报告), whose handler parses <c>format</c> with
    /// <see cref="ExportFormat.Parse"/> among its own inputs.
    /// </summary>
    public static async Task<FileStreamHttpResult> FileAsync(IServiceProvider services, ExportPlan plan, ExportFormat format, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var file = TempFile(format.Extension);
        try
        {
            var count = await WriteAsync(services, plan, format, file, null, services.GetRequiredService<ExportJobs>().MaxRows, ct);
            await AuditAsync(db, plan, count, ct);
            file.Position = 0;
            return TypedResults.File(file, format.ContentType, plan.FileName(db.Clock.GetUtcNow().UtcDateTime, format));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes the plan's rows under its header to <paramref name="output"/>, at most <paramref name="maxRows"/> of them
    /// (<see cref="ExportJobs.MaxRows"/>: rows added since the count was taken do not lift the cap), and returns how
    /// many were written; <paramref name="progress"/> hears the count as it grows. The same code serves the request,
    /// the job and the benchmark.
    /// </summary>
    public static async Task<int> WriteAsync(IServiceProvider services, ExportPlan plan, ExportFormat format, Stream output,
        Action<int>? progress, int maxRows, CancellationToken ct)
    {
        var count = 0;
        using (var sheet = format.Create(output, plan.Title, plan.Columns))
        {
            await foreach (var row in plan.Rows(services, ct).WithCancellation(ct))
            {
                if (count == maxRows) break;
                ct.ThrowIfCancellationRequested();
                sheet.WriteRow(row);
                count++;
                if (count % 500 == 0) progress?.Invoke(count);
            }
        }
        progress?.Invoke(count);
        return count;
    }

    /// <summary>One audit event per export, with its row count, as the person who exported.</summary>
    public static async Task AuditAsync(AppDbContext db, ExportPlan plan, int count, CancellationToken ct)
    {
        db.AuditEvent("export", plan.EntityType, plan.EntityId, plan.AuditDetail(count), plan.DivisionCode);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A temporary file deleted when closed, for a file on its way out.</summary>
    public static FileStream TempFile(string extension = ".xlsx") => new(Path.Combine(Path.GetTempPath(), $"mineguard-{Guid.NewGuid():N}{extension}"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
}

/// <summary>Maps an export: GET (the file) and POST (the file, or a background job when large) on one path.</summary>
public static class ExportRoutes
{
    public static void MapExport(this IEndpointRouteBuilder api, string pattern, Delegate handler, string summary)
    {
        api.MapGet(pattern, handler).WithSummary($"{summary}（与列表筛选相同；format=xlsx 或 csv）");
        api.MapPost(pattern, handler).WithSummary($"{summary}（与列表筛选相同；format=xlsx 或 csv；行数多时转后台导出，返回 202 与进度地址）");
    }
}
