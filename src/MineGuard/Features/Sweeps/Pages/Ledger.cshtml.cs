using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps.Pages;

/// <summary>问题台账 (/rectifications/problems) and 整改台账 (/rectifications): status, sweep, keyword, 50 a page, the export.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class LedgerModel(ProblemLedger ledger) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Ledger { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? SweepId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }

    public bool Problems => Ledger == "problems";
    public PageOf<ProblemView> Result { get; private set; } = PageOf<ProblemView>.Empty();
    public IReadOnlyList<ProblemView> Items => Result.Items;
    public string? FilterError { get; private set; }

    public string ExportLink(HttpRequest request)
    {
        var link = ListPaging.ExportLink(request, "/api/rectifications/export.xlsx");
        return link + (link.Contains('?') ? "&" : "?") + "ledger=" + (Problems ? "problems" : "rectifications");
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = ledger.Filter(!Problems, Status, SweepId, Q);
        if (query is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = await query.PageAsync(ListPaging.PageNumber(P), ledger.ViewsAsync, ct);
    }
}
