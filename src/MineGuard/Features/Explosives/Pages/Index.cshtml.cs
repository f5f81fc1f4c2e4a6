using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Explosives.Pages;

/// <summary>
/// 民爆物品、氰化钠闭环 of the caller's county: each holder with its balance per material (the ledger's expected stock
/// beside the last count), its open gaps and its history as Excel; a chosen holder's balance over time drawn; below,
/// the gaps with the records and numbers.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AppDbContext db, ExplosivesDesk desk, GapDesk gaps) : PageModel
{
    public List<HolderView> Holders { get; private set; } = [];
    public List<GapView> Gaps { get; private set; } = [];

    /// <summary>The holder whose balance over time is drawn (<c>?holder=</c>), if in scope.</summary>
    public HolderView? Chosen { get; private set; }

    public List<BalanceSeries> Series { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? holder, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayRead(db.CurrentUser)) return Forbid();
        Holders = await desk.ListAsync(null, ct);
        Gaps = await gaps.ListAsync(null, ct);
        Chosen = holder is { } id ? Holders.FirstOrDefault(h => h.Id == id) : null;
        if (Chosen is not null) Series = await BalanceChart.SeriesAsync(db, Chosen.Id, ct);
        return Page();
    }
}
