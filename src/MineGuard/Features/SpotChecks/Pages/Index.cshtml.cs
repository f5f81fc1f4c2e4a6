using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.SpotChecks.Pages;

/// <summary>
/// 抽查 for the drawing level (city or province office, leaders, administrators) and its discipline commission: the draw
/// form (share or count, seed, strata), the kept draws with seed, list, algorithm and result, one draw's sampled items
/// with their check state, and the check form (confirmed or not). Anyone else gets 404, as on the API: the county never
/// learns what was sampled.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(SpotCheckDesk desk) : PageModel
{
    public sealed class DrawForm
    {
        public Guid? ClientId { get; set; }

        /// <summary>County codes, separated by spaces, commas or 、.</summary>
        public string? Counties { get; set; }
        public List<string> Kinds { get; set; } = [];
        public string? From { get; set; }
        public string? To { get; set; }
        public decimal? Share { get; set; }
        public int? Count { get; set; }
        public bool ByTownship { get; set; }
        public bool ByKind { get; set; }
        public string? Seed { get; set; }
    }

    public sealed class ResultForm
    {
        public Guid ItemId { get; set; }
        public string? Result { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public DrawForm Draw { get; set; } = new();
    [BindProperty] public ResultForm Check { get; set; } = new();

    public List<SpotCheckDrawView> Draws { get; private set; } = [];
    public SpotCheckDrawView? Selected { get; private set; }
    public bool MayWrite => desk.CanWrite;
    public decimal DefaultShare { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!desk.CanRead) return NotFound();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostDrawAsync(CancellationToken ct)
    {
        if (!desk.CanRead) return NotFound();
        if (!desk.CanWrite) return Forbid();
        // A share or count that is not a number is said so beside its field, never taken for "none" (the default share).
        var unreadable = new FieldErrors();
        if (ModelState["Draw.Share"]?.Errors.Count > 0) unreadable.Add("Share", "抽查比例须为 0–100 之间的数字");
        if (ModelState["Draw.Count"]?.Errors.Count > 0) unreadable.Add("Count", "抽查数量须为正整数");
        if (!unreadable.Ok)
        {
            ModelState.Clear();
            ModelState.AddFieldErrors(unreadable, "Draw");
            return await PageAsync(ct);
        }
        var counties = (Draw.Counties ?? "").Split([' ', ',', '，', '、', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var (draw, _, errors) = await desk.DrawAsync(new SpotCheckDrawInput(counties, Draw.Kinds.Count == 0 ? null : Draw.Kinds, Draw.From, Draw.To,
            Draw.Share, Draw.Count, Draw.ByTownship, Draw.ByKind, string.IsNullOrWhiteSpace(Draw.Seed) ? null : Draw.Seed.Trim(), null, Draw.ClientId), ct);
        if (draw is not null) return Redirect($"/spot-checks?id={draw.Id}");
        ModelState.Clear();
        ModelState.AddFieldErrors(errors, "Draw");
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        if (!desk.CanRead || Id is not { } id) return NotFound();
        if (!desk.CanWrite) return Forbid();
        var (item, errors) = await desk.RecordAsync(id, Check.ItemId, new SpotCheckResultInput(Check.Result, Check.Note), ct);
        if (item is null) return NotFound();
        if (errors.Ok) return Redirect($"/spot-checks?id={id}#item-{Check.ItemId}");
        ModelState.Clear();
        ModelState.AddFieldErrors(errors, "Check");
        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Draws = await desk.ListAsync(ct);
        if (Id is { } id && (Selected = await desk.DetailAsync(id, ct)) is null) return NotFound();
        DefaultShare = await desk.DefaultShareAsync(ct);
        Draw.ClientId ??= Guid.NewGuid();
        return Page();
    }
}
