using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Incidents.Pages;

/// <summary>One incident with the "before" timeline: what the office had about the adit, and what was missed.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(IncidentQueries queries) : PageModel
{
    public IncidentView? Incident { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        Message = done;
        Incident = await queries.DetailAsync(id, ct);
        return Incident is null ? NotFound() : Page();
    }
}
