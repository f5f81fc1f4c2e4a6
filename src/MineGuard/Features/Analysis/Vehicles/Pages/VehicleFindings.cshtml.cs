using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis.Pages;

/// <summary>
/// 卡口车辆研判 as a page: the same findings, scope, masking and read audit as <c>GET /api/analysis/vehicle-findings</c>
/// (<see cref="VehicleFindingsApi.FindingsAsync"/>) for a period (from/to, China days; default the last 30 days), and the
/// stored findings (routed as clues, or explained) with an 已说明 form for those the API lets explain
/// (<see cref="VehicleFindingsApi.ExplainAsync"/>, the same command as <c>POST /api/analysis/vehicle-findings/{id}/explain</c>).
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class VehicleFindingsModel(AppDbContext db, IAuthorizationService authz) : PageModel
{
    /// <summary>How many stored findings the page lists (latest found first).</summary>
    public const int StoredShown = 100;

    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public VehicleFindingsView? View { get; private set; }
    public List<VehicleFindingsApi.VehicleFindingRecordView> Stored { get; private set; } = [];
    /// <summary>Whether the reader may mark a finding explained: the API's own policy (office), asked of the policy itself.</summary>
    public bool MayExplain { get; private set; }
    public FieldErrors Errors { get; } = new();

    /// <summary>The stored finding whose form was refused, its message and the note as typed.</summary>
    public (Guid Id, string Message, string? Note)? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!VehicleFindingsApi.MayRead(db.CurrentUser)) return Forbid();
        MayExplain = await MayExplainAsync();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostExplainAsync(Guid id, string? note, CancellationToken ct)
    {
        MayExplain = await MayExplainAsync();
        if (!VehicleFindingsApi.MayRead(db.CurrentUser) || !MayExplain) return Forbid();
        try
        {
            var (record, errors) = await VehicleFindingsApi.ExplainAsync(db, id, note, ct);
            if (record is null) return NotFound();
            if (errors.Ok) return Redirect($"/analysis/vehicles?from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&done={Uri.EscapeDataString("已说明")}");
            Refused = (id, string.Join("；", errors.Values.SelectMany(m => m)), note);
        }
        catch (BusinessRuleException rule)
        {
            Refused = (id, rule.Message, note);
        }
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    private async Task<bool> MayExplainAsync() => (await authz.AuthorizeAsync(User, Policies.Office)).Succeeded;

    private async Task LoadAsync(CancellationToken ct)
    {
        var (start, end) = VehicleFindingsApi.Window(From, To, db, Errors);
        if (Errors.Ok) View = await VehicleFindingsApi.FindingsAsync(db, start, end, ct);
        Stored = await VehicleFindingsApi.StoredAsync(db, StoredShown, ct);
        if (!Errors.Ok) return;
        // The inputs show the window analysed, in China days (to is exclusive: the day before it is the last one shown).
        From ??= Platform.Time.ChinaTime.ToLocal(start).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        To ??= Platform.Time.ChinaTime.ToLocal(end).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }
}
