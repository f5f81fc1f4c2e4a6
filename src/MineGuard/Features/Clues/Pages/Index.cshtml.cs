using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Clues.Pages;

/// <summary>线索库: the clues of the caller's scope and department share, newest first, by state and keyword, 50 a page.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(ClueDesk desk, AppDbContext db) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? State { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? P { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? From { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? To { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Outcome { get; set; }

    public PageOf<ClueView> Result { get; private set; } = PageOf<ClueView>.Empty();
    public IReadOnlyList<ClueView> Items => Result.Items;
    public string? FilterError { get; private set; }
    public string? DivisionName { get; private set; }

    /// <summary>
    /// Open clues listed here that share their adit with other open clues of the same filter (on any page), and how many
    /// others: the list's hint that they probably describe one thing (the clue's page proposes them for merging, text-alike
    /// ones too).
    /// </summary>
    public Dictionary<Guid, int> SameAdit { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = CluesApi.Filter(db, new ClueFilter(
            State is "received" or "verifying" or "verified" or "closed" or "overdue" or "true" or "case" or "all" ? State : null, Q, Division, From, To, Source, Outcome));
        if (query is null)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(v => v));
            return;
        }
        if (!string.IsNullOrWhiteSpace(Division))
            DivisionName = (await db.DivisionNamesAsync([Division.Trim()], ct)).GetValueOrDefault(Division.Trim());
        Result = await query.PageAsync(ListPaging.PageNumber(P), (rows, token) => desk.ViewsAsync(rows, false, token), ct);
        var adits = Items.Where(c => c.AditId is not null && c.State is "received" or "verifying" or "verified").Select(c => c.AditId).Distinct().ToList();
        var counts = await query.Where(c => adits.Contains(c.AditId) && (c.State == ClueState.Received || c.State == ClueState.Verifying || c.State == ClueState.Verified))
            .GroupBy(c => c.AditId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key!.Value, x => x.Count, ct);
        SameAdit = Items.Where(c => c.AditId is { } a && adits.Contains(a) && counts.GetValueOrDefault(a) > 1)
            .ToDictionary(c => c.Id, c => counts[c.AditId!.Value] - 1);
    }
}
