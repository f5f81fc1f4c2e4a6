using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>巡查计划: generate a period's plan for a team (or a cross patrol) and adjust it adit by adit.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PlansModel(PatrolQueries queries, PatrolCommands commands, AppDbContext db, IAuthorizationService auth) : PageModel
{
    [BindProperty] public Guid? TeamId { get; set; }
    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? CrossArea { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Number { get; set; }
    [BindProperty] public Guid? AditId { get; set; }

    public List<PlanView> Plans { get; private set; } = [];
    public PlanView? Plan { get; private set; }
    public List<TeamView> Teams { get; private set; } = [];
    public bool CanEdit { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        var first = new DateOnly(today.Year, today.Month, 1);
        From = $"{first:yyyy-MM-dd}";
        To = $"{first.AddMonths(1).AddDays(-1):yyyy-MM-dd}";
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        try
        {
            var (plan, errors) = await commands.GeneratePlanAsync(new PlanInput(TeamId, From, To, CrossArea, Note), ct);
            if (plan is not null) return Redirect($"/patrols/plans/{plan.Id}");
            ModelState.AddFieldErrors(errors, "");
        }
        catch (BusinessRuleException e)
        {
            ModelState.AddModelError(nameof(CrossArea), e.Message);
        }

        await LoadAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(Guid id, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        var plan = await db.PatrolPlans().Include(p => p.Items).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return NotFound();
        var number = Number?.Trim();
        var aditId = await db.Adits().Where(a => a.Number == number).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        var errors = await commands.AddPlanItemAsync(plan, aditId, ct);
        if (errors.Ok) return Redirect($"/patrols/plans/{id}");
        ModelState.AddModelError("", $"找不到编号为“{number}”的矿硐");
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        var plan = await db.PatrolPlans().Include(p => p.Items).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null || AditId is null) return NotFound();
        await commands.RemovePlanItemAsync(plan, AditId.Value, ct);
        return Redirect($"/patrols/plans/{id}");
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        CanEdit = (await auth.AuthorizeAsync(User, Policies.Office)).Succeeded;
        if (id is not null)
        {
            Plan = (await queries.PlansAsync(id, ct)).FirstOrDefault();
            return Plan is not null;
        }

        Plans = await queries.PlansAsync(null, ct);
        Teams = await queries.TeamsAsync(ct);
        return true;
    }
}
