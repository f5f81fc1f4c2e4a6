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

    /// <summary>The known value chosen for each listed word; "" leaves the word's rows refused.</summary>
    [BindProperty]
    public List<ValueMappingInput> ValueChoices { get; set; } = [];

    public ImportSessionView View { get; private set; } = null!;
    public List<string> ValueErrors { get; private set; } = [];
    public bool ValuesMapped { get; private set; }
    public string CountyName { get; private set; } = "";
    public List<string> MappingErrors { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Remapped { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool remapped, bool mapped, CancellationToken ct)
    {
        Remapped = remapped;
        ValuesMapped = mapped;
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

    /// <summary>取值对应: the chosen known values are remembered for the county and every row is checked again.</summary>
    public async Task<IActionResult> OnPostValuesAsync(Guid id, CancellationToken ct)
    {
        var session = await imports.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return NotFound();
        if (!imports.MayUse(session.Kind)) return Forbid();
        var chosen = ValueChoices.Where(v => !string.IsNullOrWhiteSpace(v.Known)).ToList();
        if (chosen.Count == 0) ValueErrors = ["请至少为一个取值选择对应的系统取值；不选的取值所在行不导入"];
        else
        {
            try
            {
                var errors = await imports.MapValuesAsync(session, chosen, ct);
                if (errors.Ok) return Redirect($"/imports/{id}?mapped=true");
                ValueErrors = [.. errors.Values.SelectMany(v => v)];
            }
            catch (BusinessRuleException e)
            {
                Error = e.Message;
            }
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
