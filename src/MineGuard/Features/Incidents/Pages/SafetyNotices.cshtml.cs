using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Incidents.Pages;

/// <summary>
/// 安全警示: the notices issued in the caller's scope with their SMS delivery and the poster to print; the office issues a
/// new one to the townships and villages it ticks (from an incident: its adit's village ticked and the notice linked, so the
/// incident's notice work item is settled by it).
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class SafetyNoticesModel(AppDbContext db, SafetyNoticeDesk desk) : PageModel
{
    public List<SafetyNoticeView> Items { get; private set; } = [];

    public bool CanIssue => User.IsInRole(Roles.Office) || User.IsInRole(Roles.Admin);

    /// <summary>The townships of the scope, each with its villages, to tick.</summary>
    public List<(string Code, string Name, List<(string Code, string Name)> Villages)> Places { get; private set; } = [];

    [BindProperty] public string? Kind { get; set; } = SafetyNoticeKinds.BlindRescue;
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public List<string> VillageCodes { get; set; } = [];
    [BindProperty(SupportsGet = true)] public Guid? Incident { get; set; }
    [BindProperty] public Guid? ClientId { get; set; }

    public string? Error(string field) =>
        ModelState.TryGetValue(field, out var e) && e.Errors.Count > 0 ? string.Join("；", e.Errors.Select(x => x.ErrorMessage)) : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ClientId = Guid.NewGuid();
        if (Incident is { } id && await db.Set<Incident>().AsNoTracking().Where(i => i.Id == id).Select(i => (Guid?)i.AditId).FirstOrDefaultAsync(ct) is { } aditId
            && await db.Adits().AsNoTracking().Where(a => a.Id == aditId).Select(a => new { a.TownshipCode, a.VillageCode }).FirstOrDefaultAsync(ct) is { } at)
            VillageCodes = [at.VillageCode ?? at.TownshipCode];
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanIssue) return Forbid();
        var (notice, _, errors) = await desk.IssueAsync(new SafetyNoticeInput(Kind, Title, Text, VillageCodes, null, Incident, ClientId), isDemo: false, ct);
        if (notice is not null) return Redirect($"/safety-notices?done={Uri.EscapeDataString($"已发布“{notice.Title}”")}#n-{notice.Id}");
        ModelState.Clear();
        ModelState.AddFieldErrors(errors, "");
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public string? Message => Request.Query["done"].FirstOrDefault();

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await desk.ListAsync(ct);
        if (!CanIssue) return;
        var divisions = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope)
            .Where(d => d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Village)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name, d.Level }).Take(5000).ToListAsync(ct);
        Places = divisions.Where(d => d.Level == DivisionLevel.Township)
            .Select(t => (t.Code, t.Name, divisions.Where(v => v.Level == DivisionLevel.Village && v.Code.StartsWith(t.Code, StringComparison.Ordinal))
                .Select(v => (v.Code, v.Name)).ToList())).ToList();
    }
}
