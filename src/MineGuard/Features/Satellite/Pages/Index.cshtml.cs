using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Satellite.Pages;

/// <summary>卫片图斑批次: each batch the caller sees with its progress per county (found, checked, reviewing, closed, overdue).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(SatelliteDesk desk) : PageModel
{
    public List<BatchView> Batches { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!desk.SeesPatches) return Forbid();
        Batches = await desk.BatchesAsync(ct);
        return Page();
    }
}
