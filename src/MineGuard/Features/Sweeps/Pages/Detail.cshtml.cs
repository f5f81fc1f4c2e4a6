using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Sweeps.Pages;

/// <summary>One sweep with its coverage by area (areas not yet reported named).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(SweepDesk desk) : PageModel
{
    public SweepView Sweep { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } s) return NotFound();
        Sweep = await desk.ViewAsync(s, ct);
        return Page();
    }
}
