using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps.Pages;

/// <summary>排查行动 the caller sees (by kind, keyword), 50 a page.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(SweepDesk desk) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }

    public PageOf<SweepSummary> Result { get; private set; } = PageOf<SweepSummary>.Empty();
    public IReadOnlyList<SweepSummary> Items => Result.Items;
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = desk.Filter(Q, Kind);
        if (query is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = await query.PageAsync(ListPaging.PageNumber(P), desk.SummariesAsync, ct);
    }
}
