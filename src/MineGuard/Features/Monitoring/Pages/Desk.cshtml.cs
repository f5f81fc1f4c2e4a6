using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>预警台: the open alerts in the user's scope, refreshing by itself, on a list and a map, with acknowledge.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DeskModel(AlertCommands alerts, CurrentUser me) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    /// <summary>The shown page, for the pager (50 a page).</summary>
    public PageOf<AlertView> Result => new(List.Items, List.Total, List.Page, ListPaging.PageSize);

    public AlertList List { get; private set; } = new(0, 0, []);
    public string? FilterError { get; private set; }
    public string? Message { get; private set; }
    public bool CanWrite => me.CanWrite;
    public string ScopeCode => me.Scope.Code;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The rows alone, for the page's own refresh every few seconds.</summary>
    public async Task<IActionResult> OnGetRowsAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Partial("_AlertRows", this);
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        Message = await alerts.AcknowledgeByIdAsync(id, ct);
        if (Message is null) return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var (list, errors) = await alerts.ListAsync(new AlertListQuery(Status, Severity, Type, Overdue, ListPaging.PageSize, Q, ListPaging.PageNumber(P), Division, From, To), ct);
        if (list is null)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(v => v));
            (list, _) = await alerts.ListAsync(new AlertListQuery(null, null, null, null, ListPaging.PageSize), ct);
        }
        List = list!;
    }
}
