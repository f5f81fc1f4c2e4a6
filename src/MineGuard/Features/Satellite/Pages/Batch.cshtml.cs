using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Satellite.Pages;

/// <summary>
/// One batch: its progress per county and its patches with their state, relation to the licences, matched adits and the
/// finding (with the proof of presence); the province agrees or disagrees with a finding from here.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class BatchModel(SatelliteDesk desk, PatchDesk patches, IAuthorizationService auth) : PageModel
{
    public BatchView Batch { get; private set; } = null!;
    public List<PatchView> Patches { get; private set; } = [];
    public bool CanReview { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!desk.SeesPatches) return Forbid();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostReviewAsync(Guid id, Guid patchId, bool? agree, string? note, CancellationToken ct)
    {
        if (!desk.SeesPatches || !patches.IsProvince || !(await auth.AuthorizeAsync(User, Policies.Writer)).Succeeded) return Forbid();
        if (await patches.FindAsync(patchId, ct) is not { } patch || patch.BatchId != id) return NotFound();
        var (_, errors) = await patches.ReviewAsync(patch, new ReviewInput(agree, note), ct);
        if (errors.Ok) return Redirect($"/satellite/{id}#p-{patchId}");
        Errors = errors;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await desk.BatchAsync(id, ct) is not { } batch) return false;
        Batch = batch;
        var errors = new Platform.Web.FieldErrors();
        Patches = await patches.ListAsync(new PatchQuery(id, null, null, null), errors, ct);
        CanReview = patches.IsProvince && (await auth.AuthorizeAsync(User, Policies.Writer)).Succeeded;
        return true;
    }
}
