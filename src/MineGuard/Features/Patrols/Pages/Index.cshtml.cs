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
        var today = ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime);
        if (!PatrolCompliance.TryParseMonth(Month, out var first))
        {
            if (Month is not null) Error = "月份格式应为 2026-11";
            first = new DateOnly(today.Year, today.Month, 1);
        }

        Month = $"{first:yyyy-MM}";
        Patrols = await queries.PatrolsAsync(ChinaTime.ToUtc(first.ToDateTime(TimeOnly.MinValue)),
            ChinaTime.ToUtc(first.AddMonths(1).ToDateTime(TimeOnly.MinValue)), null, 500, ct);
        Flagged = await queries.FlaggedAsync(ct);
    }
}
