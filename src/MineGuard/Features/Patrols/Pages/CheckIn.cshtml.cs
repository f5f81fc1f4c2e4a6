using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>
/// 核查签到: the track with the windows that fired, the photos side by side; the office clears the flags of a genuine
/// check-in with a note, or finds it faked (认定伪造), which counts against the member and the team.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class CheckInReviewModel(PatrolReview review, PatrolCommands commands, AppDbContext db, IAuthorizationService auth) : PageModel
{
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? FakedNote { get; set; }

    public CheckInReview? Review { get; private set; }
    public CheckInView? View => Review?.CheckIn;
    public bool CanReview { get; private set; }

    /// <summary>Not yet decided: neither cleared nor found faked.</summary>
    public bool Open => View is { } v && v.FlagsClearedNote is null && v.FakedNote is null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, nameof(Note), c => commands.ClearFlagsAsync(c, new ReviewInput(Note), ct), ct);

    /// <summary>认定伪造 cannot be undone, so only when confirmed (the dialog of js/confirm.js, or the checkbox without script).</summary>
    public Task<IActionResult> OnPostFakedAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, nameof(FakedNote), c => ConfirmTagHelper.Confirmed(Request)
            ? commands.MarkFakedAsync(c, new ReviewInput(FakedNote), ct)
            : Task.FromResult(new FieldErrors { [nameof(FakedNote)] = ["未标记：请先确认标记为伪造"] }), ct);

    private async Task<IActionResult> DecideAsync(Guid id, string field, Func<CheckIn, Task<FieldErrors>> decide, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        var checkIn = await db.CheckIns().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (checkIn is null) return NotFound();
        try
        {
            var errors = await decide(checkIn);
            if (errors.Ok) return Redirect($"/patrols/check-ins/{id}");
            foreach (var (_, messages) in errors) foreach (var m in messages) ModelState.AddModelError(field, m);
        }
        catch (BusinessRuleException e)
        {
            ModelState.AddModelError(field, e.Message);
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        CanReview = (await auth.AuthorizeAsync(User, Policies.Office)).Succeeded;
        Review = await review.ForAsync(id, ct);
        return Review is not null;
    }
}
