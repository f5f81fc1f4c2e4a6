using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Petitions.Pages;

/// <summary>
/// One 信访事项: what, where, who handles it by when, and its course (recorded, routed, escalated, replied, archived) as
/// the API gives it; writers reply, reroute and archive here as on the list. Scoped like the list: another county's or
/// another department's petition is a 404.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PetitionDetailModel(PetitionCommands commands, AppDbContext db, CurrentUser me) : PageModel
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["replied"] = "已记录答复", ["routed"] = "已改派，承办部门已收到通知", ["archived"] = "已归档",
    };

    public PetitionView Petition { get; private set; } = null!;
    public string? RecordedBy { get; private set; }
    public string? RepliedBy { get; private set; }
    public bool CanWrite => me.CanWrite;
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    [BindProperty] public string? Reply { get; set; }
    [BindProperty] public string? DepartmentCode { get; set; }

    public bool IsRouted => Petition.Status == PetitionRouting.Chinese(PetitionStatus.Routed);
    public bool IsReplied => Petition.Status == PetitionRouting.Chinese(PetitionStatus.Replied);

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done is null ? null : Done.GetValueOrDefault(done);
        return Page();
    }

    public Task<IActionResult> OnPostReplyAsync(Guid id, CancellationToken ct) => ActAsync(id, p => commands.ReplyAsync(p, new ReplyInput(Reply), ct), "replied", ct);

    public Task<IActionResult> OnPostRouteAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, p => commands.RerouteAsync(p, new RerouteInput(DepartmentCode), ct), "routed", ct);

    public Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, async p => { await commands.ArchiveAsync(p, ct); return new FieldErrors(); }, "archived", ct);

    private async Task<IActionResult> ActAsync(Guid id, Func<Petition, Task<FieldErrors>> step, string done, CancellationToken ct)
    {
        if (!CanWrite) return Forbid();
        var petition = await commands.FindAsync(id, ct);
        if (petition is null) return NotFound();
        return await this.RunAsync(db, () => step(petition), $"/petitions/{id}?done={done}", () => LoadAsync(id, ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var petition = await commands.FindAsync(id, ct);
        if (petition is null) return false;
        Petition = (await commands.ViewsAsync([petition], ct))[0];
        var people = new[] { petition.CreatedById, petition.RepliedById }.OfType<Guid>().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        RecordedBy = petition.CreatedById is { } c ? names.GetValueOrDefault(c) : null;
        RepliedBy = petition.RepliedById is { } r ? names.GetValueOrDefault(r) : null;
        return true;
    }
}
