using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Clues.Pages;

/// <summary>线索库: the clues of the caller's scope and department share, newest first, by state.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(ClueDesk desk, AppDbContext db) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? State { get; set; }

    public List<ClueView> Items { get; private set; } = [];

    /// <summary>
    /// Open clues listed here that share their adit with another listed open clue, and how many others: the list's hint
    /// that they probably describe one thing (the clue's page proposes them for merging, text-alike ones too).
    /// </summary>
    public Dictionary<Guid, int> SameAdit { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await CluesApi.List(State is "received" or "verifying" or "verified" or "closed" or "all" ? State : null, desk, db, ct);
        Items = result.Result is Microsoft.AspNetCore.Http.HttpResults.Ok<List<ClueView>> ok ? ok.Value! : [];
        SameAdit = Items.Where(c => c.AditId is not null && c.State is "received" or "verifying" or "verified").GroupBy(c => c.AditId)
            .Where(g => g.Count() > 1).SelectMany(g => g.Select(c => (c.Id, Others: g.Count() - 1))).ToDictionary(x => x.Id, x => x.Others);
    }
}
