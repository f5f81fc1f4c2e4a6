using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>Review of a flagged check-in: the office checks it and, if it was genuine, clears the flags with a note.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class CheckInReviewModel(PatrolQueries queries, PatrolCommands commands, AppDbContext db, IAuthorizationService auth) : PageModel
{
    [BindProperty] public string? Note { get; set; }

    public CheckInView? View { get; private set; }
    public Guid PatrolId { get; private set; }
    public bool CanReview { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        var checkIn = await db.CheckIns().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (checkIn is null) return NotFound();
        try
        {
            var errors = await commands.ClearFlagsAsync(checkIn, new ClearFlagsInput(Note), ct);
            if (errors.Ok) return Redirect($"/patrols/check-ins/{id}");
            ModelState.AddFieldErrors(errors, "");
        }
        catch (BusinessRuleException e)
        {
            ModelState.AddModelError(nameof(Note), e.Message);
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        CanReview = (await auth.AuthorizeAsync(User, Policies.Office)).Succeeded;
        View = (await queries.CheckInsAsync(db.CheckIns().Where(c => c.Id == id), ct)).FirstOrDefault();
        PatrolId = await db.CheckIns().Where(c => c.Id == id).Select(c => c.PatrolId).FirstOrDefaultAsync(ct);
        return View is not null;
    }
}
