using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>The office's review list: flagged check-ins not yet reviewed, by keyword, 50 a page, to Excel.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class FlaggedCheckInsModel(PatrolQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }

    /// <summary>The dashboard's part of the filter, kept and shown (<c>_DashboardFilter</c>).</summary>
    public MineGuard.Features.Shared.DashboardFilter Dashboard => new(Division, null, From, To, "签到", "/patrols/check-ins");

    public string Title => State switch { "all" => "签到", "flagged" => "有疑点的签到", _ => "待核查的可疑签到" };

    public PageOf<(CheckInView View, string Member)> Result { get; private set; } = PageOf<(CheckInView View, string Member)>.Empty();
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var errors = new FieldErrors();
        var keyword = ListPaging.Keyword(Q, errors);
        var filter = CheckInFilter.Read(Division, From, To, State, errors);
        if (!errors.Ok) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = await queries.Flagged(keyword, filter).PageAsync(ListPaging.PageNumber(P), queries.FlaggedViewsAsync, ct);
    }
}
