using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Cases.Pages;

/// <summary>案件: the cases of the caller's scope and department share, searched and filtered, 50 a page.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(CaseViews views) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Stage { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Department { get; set; }
    [BindProperty(SupportsGet = true)] public string? Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }

    public PageOf<CaseListItem> Result { get; private set; } = PageOf<CaseListItem>.Empty();
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = views.Filter(Q, Stage, Type, Department, Overdue);
        if (query is null)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(v => v));
            return;
        }
        Result = await query.PageAsync(ListPaging.PageNumber(P), views.ListItemsAsync, ct);
    }
}
