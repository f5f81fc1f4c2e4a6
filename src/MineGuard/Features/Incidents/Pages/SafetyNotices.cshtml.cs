using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Incidents.Pages;

/// <summary>安全警示: the notices issued in the caller's scope with their SMS delivery and the poster to print.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class SafetyNoticesModel(SafetyNoticeDesk desk) : PageModel
{
    public List<SafetyNoticeView> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await desk.ListAsync(ct);
}
