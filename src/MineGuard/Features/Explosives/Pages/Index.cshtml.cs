using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
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
public sealed class IndexModel(AppDbContext db, ExplosivesDesk desk, GapDesk gaps, MovementUpload upload) : PageModel
{
    public List<HolderView> Holders { get; private set; } = [];
    public List<GapView> Gaps { get; private set; } = [];

    /// <summary>The holder whose balance over time is drawn (<c>?holder=</c>), if in scope.</summary>
    public HolderView? Chosen { get; private set; }

    public List<BalanceSeries> Series { get; private set; } = [];

    public bool MayWrite => ExplosivesDesk.MayWrite(db.CurrentUser);

    /// <summary>The outcome of an upload of a source system's monthly export, shown above the holders.</summary>
    public MovementUploadResult? Uploaded { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? holder, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayRead(db.CurrentUser)) return Forbid();
        await LoadAsync(holder, ct);
        return Page();
    }

    /// <summary>导入流向记录: the same checks as <c>POST /api/explosives/movements/upload</c>; a unit may be chosen for a file without 单位名称.</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, Guid? uploadHolder, CancellationToken ct)
    {
        if (!MayWrite) return Forbid();
        await using var stream = file?.OpenReadStream();
        var (result, errors) = await upload.UploadAsync(file?.FileName, stream, uploadHolder, ct);
        foreach (var (field, messages) in errors)
            foreach (var m in messages) ModelState.AddModelError(field == "holderId" ? "uploadHolder" : field, m);
        Uploaded = result;
        await LoadAsync(null, ct);
        return Page();
    }

    private async Task LoadAsync(Guid? holder, CancellationToken ct)
    {
        Holders = await desk.ListAsync(null, ct);
        Gaps = await gaps.ListAsync(null, ct);
        Chosen = holder is { } id ? Holders.FirstOrDefault(h => h.Id == id) : null;
        if (Chosen is not null) Series = await BalanceChart.SeriesAsync(db, Chosen.Id, ct);
    }
}
