using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports.Pages;

/// <summary>导入结果: a batch's counts and its rejected rows, with the undo.</summary>
[Authorize(Policy = Policies.Writer)]
public sealed class BatchModel(AppDbContext db, ImportCommands imports) : PageModel
{
    public ImportBatchReport Report { get; private set; } = null!;
    public string? CreatedBy { get; private set; }
    public bool Imported { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The refused rows as Excel, while the upload's file is kept (<see cref="LedgerErrorReport"/>).</summary>
    public string? ErrorReportUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool imported, CancellationToken ct)
    {
        Imported = imported;
        if (await imports.Batches.AsNoTracking().Where(b => b.Id == id).Select(b => b.Kind).FirstOrDefaultAsync(ct) is { } kind
            && !imports.MayUse(kind)) return Forbid();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostUndoAsync(Guid id, CancellationToken ct)
    {
        var batch = await imports.Batches.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return NotFound();
        if (!imports.MayUse(batch.Kind)) return Forbid();
        try
        {
            return Redirect(IndexModel.UndoneUrl(await imports.UndoAsync(batch, ct)));
        }
        catch (BusinessRuleException e)
        {
            Error = e.Message;
            db.ChangeTracker.Clear();
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var batch = await imports.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return false;
        Report = ImportsApi.Report(batch);
        var session = await imports.Sessions.AsNoTracking().Where(s => s.BatchId == id && s.FileId != null).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        ErrorReportUrl = Report.Batch.RowsRejected > 0 && session is { } sid ? ImportsApi.ErrorReportUrl(sid) : null;
        CreatedBy = batch.CreatedById is { } by ? await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : "系统";
        return true;
    }
}
