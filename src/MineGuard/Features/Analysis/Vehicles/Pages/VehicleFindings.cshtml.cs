using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis.Pages;

/// <summary>
/// 卡口车辆研判 as a page: the same findings, scope, masking and read audit as <c>GET /api/analysis/vehicle-findings</c>
/// (<see cref="VehicleFindingsApi.FindingsAsync"/>) for a period (from/to, China days; default the last 30 days).
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class VehicleFindingsModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public VehicleFindingsView? View { get; private set; }
    public FieldErrors Errors { get; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!VehicleFindingsApi.MayRead(db.CurrentUser)) return Forbid();
        var (start, end) = VehicleFindingsApi.Window(From, To, db, Errors);
        if (!Errors.Ok) return Page();
        View = await VehicleFindingsApi.FindingsAsync(db, start, end, ct);
        // The inputs show the window analysed, in China days (to is exclusive: the day before it is the last one shown).
        From ??= Platform.Time.ChinaTime.ToLocal(start).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        To ??= Platform.Time.ChinaTime.ToLocal(end).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }
}
