using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>One patrol: its track on a map and each check-in with the evidence and any flags.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PatrolDetailModel(PatrolQueries queries) : PageModel
{
    public PatrolDetail? Detail { get; private set; }


    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Detail = await queries.DetailAsync(id, ct);
        return Detail is null ? NotFound() : Page();
    }
}
