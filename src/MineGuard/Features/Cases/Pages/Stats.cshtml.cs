using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Cases.Pages;

/// <summary>案件统计: a county's figures (a city's or province's children side by side), each a link to the list of its cases.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class StatsModel(CaseStatistics statistics, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public CaseStatsView? Stats { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>The divisions the caller may choose: their scope and the cities and counties in it.</summary>
    public List<(string Code, string Name)> Choices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (stats, errors) = await statistics.StatsAsync(Division, From, To, ct);
        if (!errors.Ok) Problem = string.Join("；", errors.Values.SelectMany(v => v));
        else if (stats is null) return NotFound();
        Stats = stats;
        Division ??= stats?.Division;
        Choices = (await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope)
                .Where(d => d.Level == DivisionLevel.Province || d.Level == DivisionLevel.City || d.Level == DivisionLevel.County)
                .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).ToListAsync(ct))
            .Select(d => (d.Code, d.Name)).ToList();
        if (stats is not null && Choices.All(c => c.Code != stats.Division)) Choices.Insert(0, (stats.Division, stats.DivisionName));
        return Page();
    }

    /// <summary>What a figure shows: 1,234 for counts, two decimals at most for yuan and kilograms.</summary>
    public static string Figure(double value) => value.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);
}
