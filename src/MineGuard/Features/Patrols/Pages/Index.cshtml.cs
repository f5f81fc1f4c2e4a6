using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>巡查记录: the month's patrols in the user's scope and the check-ins flagged for review.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PatrolIndexModel(PatrolQueries queries, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }

    public List<PatrolRow> Patrols { get; private set; } = [];
    public List<CheckInView> Flagged { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Error = PatrolCompliance.Month(Month, db.Clock, out var first);

        Month = $"{first:yyyy-MM}";
        var (from, to) = PatrolCompliance.UtcRange(first);
        Patrols = await queries.PatrolsAsync(from, to, null, 500, ct);
        Flagged = await queries.FlaggedAsync(ct);
    }
}
