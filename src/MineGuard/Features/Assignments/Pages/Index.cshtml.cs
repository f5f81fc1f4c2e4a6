using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Assignments.Pages;

/// <summary>督办事项 of the caller's scope (by status), or only the overdue ones; keyword, 50 a page.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AssignmentDesk desk, MineGuard.Data.AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    public string? DivisionName { get; private set; }

    public PageOf<AssignmentView> Result { get; private set; } = PageOf<AssignmentView>.Empty();
    public IReadOnlyList<AssignmentView> Items => Result.Items;
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = AssignmentsApi.Filter(desk, Status is "completed" or "closed" or "all" ? Status : null, Kind, Overdue, Q, Division, From, To);
        if (!string.IsNullOrWhiteSpace(Division))
            DivisionName = (await db.DivisionNamesAsync([Division.Trim()], ct)).GetValueOrDefault(Division.Trim());
        if (query is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = await query.PageAsync(ListPaging.PageNumber(P), desk.ViewsAsync, ct);
    }
}
