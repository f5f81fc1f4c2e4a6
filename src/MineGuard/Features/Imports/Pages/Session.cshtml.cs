using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports.Pages;

/// <summary>核对导入: the proposed mapping (correctable), the first rows, every row's problems, and the two choices.</summary>
[Authorize(Policy = Policies.Writer)]
public sealed class SessionModel(AppDbContext db, ImportCommands imports) : PageModel
{
    /// <summary>The field chosen for each column; "" (bound as null) is 不导入.</summary>
    [BindProperty]
    public List<string?> Fields { get; set; } = [];

    public ImportSessionView View { get; private set; } = null!;
    public string CountyName { get; private set; } = "";
    public List<string> MappingErrors { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Remapped { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool remapped, CancellationToken ct)
    {
        Remapped = remapped;
        if (await imports.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => s.Kind).FirstOrDefaultAsync(ct) is { } kind
            && !imports.MayUse(kind)) return Forbid();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostMappingAsync(Guid id, CancellationToken ct)
    {
        var session = await imports.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return NotFound();
        if (!imports.MayUse(session.Kind)) return Forbid();
        try
        {
            var errors = await imports.RemapAsync(session, Fields, ct);
            if (errors.Ok) return Redirect($"/imports/{id}?remapped=true");
            MappingErrors = [.. errors.Values.SelectMany(v => v)];
        }
        catch (BusinessRuleException e)
        {
            Error = e.Message;
        }
        db.ChangeTracker.Clear();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct)
    {
        var session = await imports.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return NotFound();
        if (!imports.MayUse(session.Kind)) return Forbid();
        try
        {
            var batch = await imports.ConfirmAsync(session, ct);
            return Redirect($"/imports/batches/{batch.Id}?imported=true");
        }
        catch (BusinessRuleException e)
        {
            Error = e.Message;
            db.ChangeTracker.Clear();
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        var session = await imports.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return NotFound();
        if (!imports.MayUse(session.Kind)) return Forbid();
        try
        {
            await imports.CancelAsync(session, ct);
            return Redirect("/imports?done=cancelled");
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
        var session = await imports.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return false;
        View = ImportsApi.View(session);
        CountyName = await db.Divisions.Where(d => d.Code == session.CountyCode).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? session.CountyCode;
        return true;
    }
}
