using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Clues.Pages;

/// <summary>我的待办: the caller's clues to verify and assignments, by deadline, wherever they are filed.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class MyWorkModel(ClueDesk clues, AssignmentDesk assignments, AppDbContext db) : PageModel
{
    public List<ClueView> Clues { get; private set; } = [];
    public List<AssignmentView> Assignments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Clues = await CluesApi.MineAsync(clues, db, ct);
        Assignments = await AssignmentsApi.MineAsync(assignments, db, ct);
    }
}
