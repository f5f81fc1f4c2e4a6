using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Adits.Pages;

/// <summary>One adit: its facts, its sealing timeline and photos, and the next steps of the lifecycle.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(AppDbContext db, AditQueries queries, AditCommands commands, AditPhotoUploads uploads, CurrentUser me) : PageModel
{
    public AditDetail Detail { get; private set; } = null!;
    public List<(Guid Id, string Name)> People { get; private set; } = [];
    public string? Message { get; private set; }
    public bool CanWrite => me.CanWrite;
    public string Today => commands.Today.ToString("yyyy-MM-dd");
    public string LonDms => Dms.Format(Detail.Adit.Lon, isLatitude: false);
    public string LatDms => Dms.Format(Detail.Adit.Lat, isLatitude: true);

    public string? Error(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join("；", entry.Errors.Select(e => e.ErrorMessage)) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        Message = done;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostSealAsync(Guid id, SealInput input, CancellationToken ct) =>
        ActAsync(id, "Seal", adit => commands.SealAsync(adit, input, ct), "已登记封堵", ct);

    public Task<IActionResult> OnPostAcceptAsync(Guid id, AcceptInput input, CancellationToken ct) =>
        ActAsync(id, "Accept", adit => commands.AcceptAsync(adit, input, ct), "已登记验收", ct);

    public Task<IActionResult> OnPostBreachAsync(Guid id, BreachInput input, CancellationToken ct) =>
        ActAsync(id, "Breach", adit => commands.BreachAsync(adit, input, ct), "已登记发现破坏", ct);

    public async Task<IActionResult> OnPostPhotoAsync(Guid id, IFormFile? file, string? caption, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var adit = await db.Adits().Include(a => a.Events).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return NotFound();
        var (photo, errors) = await uploads.AddAsync(adit, file, null, caption, ct);
        if (photo is not null) return Redirect($"/adits/{id}?done={Uri.EscapeDataString("已上传照片")}");
        ModelState.AddFieldErrors(errors, "Photo");
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostWriteOffAsync(Guid id, string? reason, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return NotFound();
        try
        {
            adit.WriteOff(reason, db.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            return Redirect($"/adits/{id}?done={Uri.EscapeDataString("已销号")}");
        }
        catch (BusinessRuleException e)
        {
            ModelState.AddModelError("", e.Message);
            db.ChangeTracker.Clear();
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    public async Task<IActionResult> OnPostPartyAsync(Guid id, string? party, string? reason, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return NotFound();
        try
        {
            adit.OverrideSealingParty(party, reason);
            await db.SaveChangesAsync(ct);
            return Redirect($"/adits/{id}?done={Uri.EscapeDataString("已更新封堵责任主体")}");
        }
        catch (BusinessRuleException e)
        {
            ModelState.AddModelError("", e.Message);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    /// <summary>Load → not found → act; field problems go beside the fields, a refused rule to the top.</summary>
    private async Task<IActionResult> ActAsync(
        Guid id, string form, Func<Adit, Task<(SealingEvent? Event, FieldErrors Errors)>> action, string done, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return NotFound();
        try
        {
            var (e, errors) = await action(adit);
            if (e is not null) return Redirect($"/adits/{id}?done={Uri.EscapeDataString(done)}");
            ModelState.AddFieldErrors(errors, form);
        }
        catch (BusinessRuleException rule)
        {
            ModelState.AddModelError("", rule.Message);
        }
        db.ChangeTracker.Clear();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var detail = await queries.DetailAsync(id, ct);
        if (detail is null) return false;
        Detail = detail;
        People = await queries.PeopleAsync(me.Scope, ct);
        return true;
    }
}
