using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Incidents.Pages;

/// <summary>事件事故: the incidents of the caller's scope, newest first.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(IncidentQueries queries) : PageModel
{
    public List<IncidentListItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await queries.ListAsync(ct);
}
