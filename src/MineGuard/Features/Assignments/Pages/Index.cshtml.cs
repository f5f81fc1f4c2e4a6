using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Assignments.Pages;

/// <summary>督办事项 of the caller's scope (by status), or only the overdue ones.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AssignmentDesk desk) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }

    public List<AssignmentView> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Overdue) Items = (await AssignmentsApi.Overdue(desk, ct)).Value!;
        else
        {
            var r = await AssignmentsApi.List(Status is "completed" or "closed" or "all" ? Status : null, null, desk, ct);
            Items = r.Result is Microsoft.AspNetCore.Http.HttpResults.Ok<List<AssignmentView>> ok ? ok.Value! : [];
        }
    }
}
