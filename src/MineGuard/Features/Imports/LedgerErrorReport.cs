using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// 错误报告: the refused rows of an upload sent back as an .xlsx (or .csv) in the office's own layout — their header row, their
/// columns in their order, their cells as uploaded — with a last column 错误原因 listing every reason for the row, so
/// the office corrects its own file and uploads only those rows (错误原因 is not a field and is left out on import).
/// The reasons are the last check's: the import's own report once the session was imported, else the preview's.
/// </summary>
public static class LedgerErrorReport
{
    public const string ReasonHeader = "错误原因";

    /// <summary>The report as an export (sent by <see cref="Export.FileAsync"/>); audited, since the rows carry names and phones.</summary>
    public static async Task<ExportPlan> PlanAsync(AppDbContext db, ImportSession session, CancellationToken ct)
    {
        Rule.Check(session.FileId is not null, "ImportFileGone",
            session.Status == ImportSessionStatus.Cancelled
                ? "该上传已取消，原文件已删除，无法生成错误报告"
                : "该台账导入后不保留原文件（含敏感信息），无法再生成错误报告；请在导入前下载");
        var content = await db.Set<StoredFile>().Where(f => f.Id == session.FileId).Select(f => f.Content).FirstAsync(ct);
        var layout = ImportCommands.Layout(session);
        var (errors, notListed) = await ErrorsAsync(db, session, ct);
        var reasons = errors.GroupBy(e => e.Row).ToDictionary(g => g.Key,
            g => string.Join("；", g.Select(e => $"{e.Header ?? e.Field}：{e.Message}").Distinct()));

        var header = SheetReader.Read(new MemoryStream(content, writable: false), session.FileName)
            .FirstOrDefault(r => r.Number == layout.HeaderRow)?.Cells ?? [];
        // A report uploaded again and refused again gets one 错误原因, the new one.
        var kept = Enumerable.Range(0, Math.Max(header.Length, layout.Headers.Length))
            .Where(c => header.ElementAtOrDefault(c)?.Trim() != ReasonHeader).ToArray();
        // Under a two-row header the last row is blank where a header was merged down from above: the layout has it.
        List<XlsxWriter.Column> columns = [.. kept.Select(c => new XlsxWriter.Column(
            header.ElementAtOrDefault(c) is { } h && !string.IsNullOrWhiteSpace(h) ? h : layout.Headers.ElementAtOrDefault(c) ?? "", 14)), new(ReasonHeader, 60)];
        return new ExportPlan("错误报告", columns, nameof(ImportSession), _ => $"下载导入错误报告“{session.FileName}”：{reasons.Count} 行有问题",
            (_, _) => Task.FromResult(reasons.Count + (notListed > 0 ? 1 : 0)),
            (_, token) => RowsAsync(content, session.FileName, layout.HeaderRow, kept, reasons, notListed, token))
        {
            EntityId = session.Id.ToString(), DivisionCode = session.DivisionCode,
            DownloadName = $"{Path.GetFileNameWithoutExtension(session.FileName)}-错误报告",
        };
    }

    /// <summary>The reasons of the import when there was one (all refused rows up to its cap), else of the preview.</summary>
    private static async Task<(List<RowError> Errors, int NotListed)> ErrorsAsync(AppDbContext db, ImportSession session, CancellationToken ct)
    {
        if (session.BatchId is { } id && await db.Set<ImportBatch>().AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct) is { } batch)
        {
            var report = ImportsApi.Report(batch);
            return (report.Rejected, report.RejectedNotListed);
        }
        var summary = ImportCommands.Summary(session);
        return (summary.Errors, summary.ErrorsNotListed);
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(byte[] content, string fileName, int headerRow, int[] kept,
        Dictionary<int, string> reasons, int notListed, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        foreach (var row in SheetReader.Read(new MemoryStream(content, writable: false), fileName, fillMergedBelow: headerRow))
        {
            ct.ThrowIfCancellationRequested();
            if (row.Number <= headerRow || !reasons.TryGetValue(row.Number, out var reason)) continue;
            yield return [.. kept.Select(c => (object?)row.Cell(c)), reason];
        }
        // Only the reason column: a row an upload of this file skips (nothing in a mapped column).
        if (notListed > 0) yield return [.. kept.Select(_ => (object?)null), $"另有 {notListed} 条问题未列出：改正以上各行后重新上传，系统会再次校验全部行"];
    }
}
