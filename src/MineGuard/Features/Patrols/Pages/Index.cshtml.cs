using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>巡查记录: the month's patrols in the user's scope (keyword, 50 a page, Excel) and the check-ins flagged for review.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PatrolIndexModel(PatrolQueries queries, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    public PageOf<PatrolRow> Result { get; private set; } = PageOf<PatrolRow>.Empty();
    public IReadOnlyList<PatrolRow> Patrols => Result.Items;
    /// <summary>The first page of the review list (the whole list, searchable, is /patrols/check-ins).</summary>
    public PageOf<(CheckInView View, string Member)> Flagged { get; private set; } = PageOf<(CheckInView View, string Member)>.Empty();
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Error = PatrolCompliance.Month(Month, db.Clock, out var first);

        Month = $"{first:yyyy-MM}";
        var (query, errors) = PatrolsApi.FilterPatrols(Month, null, Q, db, queries);
        if (query is null) Error = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = await query.PageAsync(ListPaging.PageNumber(P), queries.RowsAsync, ct);
        Flagged = await queries.Flagged(null).PageAsync(1, queries.FlaggedViewsAsync, ct);
    }
}
