using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision.Pages;

/// <summary>阶段报告: the reports of the caller's division and those sent up by the divisions below; start one, or ask a division below for one.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ReportsModel(StageReportDesk desk, AppDbContext db, CurrentUser me) : PageModel
{
    public List<StageReportView> Items { get; private set; } = [];
    public string? Problem { get; private set; }
    public bool IsOffice => me.IsInRole(Roles.Office) || me.IsInRole(Roles.Admin);
    public string? State { get; private set; }

    /// <summary>The divisions directly below the caller's, to ask for a report.</summary>
    public List<DivisionChoice> Children { get; private set; } = [];

    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? Narrative { get; set; }
    [BindProperty] public string? Division { get; set; }
    [BindProperty] public string? DueOn { get; set; }
    [BindProperty] public Guid? ClientId { get; set; }

    public async Task OnGetAsync(string? state, CancellationToken ct)
    {
        State = state;
        ClientId = Guid.NewGuid();
        Items = await desk.ListAsync(state, ct);
        var own = me.Scope.Code;
        Children = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == own).OrderBy(d => d.Code)
            .Select(d => new DivisionChoice(d.Code, d.Name + "（" + d.Code + "）")).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!IsOffice) return Forbid();
        StageReport? made = null;
        return await this.RunAsync(db, async () =>
        {
            var (report, errors) = await desk.CreateAsync(new StageReportInput(null, From, To, null, Narrative, ClientId), ct);
            made = report;
            return errors;
        }, "/reports", () => OnGetAsync(null, ct), m => Problem = m) is RedirectResult && made is not null
            ? Redirect($"/reports/{made.Id}")
            : Page();
    }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken ct)
    {
        if (!me.IsInRole(Roles.Office)) return Forbid();
        return await this.RunAsync(db, async () => (await desk.RequestAsync(new StageReportRequestInput(Division, From, To, DueOn, null, ClientId), ct)).Errors,
            "/reports", () => OnGetAsync(null, ct), m => Problem = m);
    }
}
