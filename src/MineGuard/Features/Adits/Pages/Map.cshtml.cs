using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Adits.Pages;

/// <summary>
/// 矿硐分布图: every adit of the jurisdiction on one map, coloured by seal state, with the licensed mines' boundaries.
/// The page only frames the map and its filters; the data comes from /api/map as the map moves.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class MapModel(AppDbContext db, CurrentUser me) : PageModel
{
    public sealed record Option(string Value, string Label);

    public sealed record OptionGroup(string? Label, List<Option> Options);

    public Division Scope { get; private set; } = null!;

    /// <summary>Townships of the jurisdiction, grouped by county when the user sees more than one county.</summary>
    public List<OptionGroup> Townships { get; } = [];

    /// <summary>People in the jurisdiction who can be named 包保责任人.</summary>
    public List<Option> People { get; private set; } = [];

    // Initial filter values, so a link such as /map?state=weak opens the map already filtered.
    [BindProperty(SupportsGet = true)] public string? Township { get; set; }
    [BindProperty(SupportsGet = true)] public string? Mineral { get; set; }
    [BindProperty(SupportsGet = true)] public string? Origin { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Responsible { get; set; }


    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == me.Scope.Code, ct);
        if (scope is null) return Forbid();
        Scope = scope;

        var below = await db.Divisions.AsNoTracking().Within(me.Scope)
            .Where(d => d.Level == DivisionLevel.County || d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name, d.Level, d.ParentCode }).ToListAsync(ct);
        var townships = below.Where(d => d.Level == DivisionLevel.Township).ToList();
        var counties = below.Where(d => d.Level == DivisionLevel.County).ToDictionary(d => d.Code, d => d.Name);
        foreach (var county in townships.GroupBy(t => t.ParentCode))
        {
            var label = counties.Count > 1 ? counties.GetValueOrDefault(county.Key ?? "") ?? county.Key : null;
            Townships.Add(new OptionGroup(label, county.Select(t => new Option(t.Code, t.Name)).ToList()));
        }

        var people = await db.Users.AsNoTracking().Within(me.Scope, u => u.DivisionCode).Where(u => !u.IsDisabled)
            .OrderBy(u => u.DivisionCode).ThenBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct);
        People = people.Select(u => new Option(u.Id.ToString(), $"{u.DisplayName}（{u.UserName}）")).ToList();
        return Page();
    }
}
