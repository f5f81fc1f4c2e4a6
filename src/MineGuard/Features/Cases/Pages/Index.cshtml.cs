using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Cases.Pages;

/// <summary>案件: the cases of the caller's scope and department share, searched and filtered, 50 a page.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(CaseViews views, MineGuard.Data.AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Stage { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Department { get; set; }
    [BindProperty(SupportsGet = true)] public string? Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Has { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }

    public PageOf<CaseListItem> Result { get; private set; } = PageOf<CaseListItem>.Empty();
    public string? FilterError { get; private set; }
    public string? DivisionName { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = views.Filter(new CaseQuery(Q, Stage, Type, Department, Overdue, Division, From, To, Has));
        if (query is null)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(v => v));
            return;
        }
        if (!string.IsNullOrEmpty(Division))
            DivisionName = (await MineGuard.Platform.Jurisdiction.DivisionNames.DivisionNamesAsync(db, [Division], ct)).GetValueOrDefault(Division);
        Result = await query.PageAsync(ListPaging.PageNumber(P), views.ListItemsAsync, ct);
    }
}
