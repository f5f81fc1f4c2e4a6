using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Dashboard.Pages;

/// <summary>
/// The home page: who I am, then a section of my own work for each role I hold (a person with several roles sees each
/// role's section), and the map of my jurisdiction.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AppDbContext db, CurrentUser me, HomeSections sections, Campaigns.JointOperationDesk jointOperations) : PageModel
{
    public CurrentUser Me => me;
    public Division Scope { get; private set; } = null!;
    public string ScopePath { get; private set; } = "";
    public string DepartmentName => Department.NameOf(me.DepartmentCode ?? "") ?? "";
    public IEnumerable<string> RoleNames => Roles.All.Where(r => me.IsInRole(r.Name)).Select(r => r.Chinese);
    public List<(string Label, int Count)> Counts { get; } = [];

    public ResponsibleHome? Responsible { get; private set; }
    public PatrolHome? Patrol { get; private set; }
    public OfficeHome? Office { get; private set; }
    public LeaderHome? Leader { get; private set; }
    public RewardHome? Reward { get; private set; }
    public DepartmentHome? DepartmentWork { get; private set; }
    public bool IsAdmin => me.IsInRole(Roles.Admin);

    /// <summary>Counties in scope whose last joint operation is older than their "one every N months" rule (or none yet).</summary>
    public int? JointOperationBreaches { get; private set; }

    /// <summary>Half a row on a wide screen when there are several of the narrow sections to show side by side.</summary>
    public string NarrowColumn => new object?[] { Patrol, Responsible, Reward, DepartmentWork }.Count(s => s is not null) > 1 ? "col-lg-6" : "col-12";

    /// <summary>The leader's trends as JSON for the chart script (months and one series per figure).</summary>
    public string TrendJson => Leader is null ? "{}" : System.Text.Json.JsonSerializer.Serialize(Leader.Trend, System.Text.Json.JsonSerializerOptions.Web);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == me.Scope.Code, ct);
        if (scope is null) return Forbid();
        Scope = scope;
        ScopePath = await PathAsync(scope, ct);

        var below = db.Divisions.Within(me.Scope);
        var byLevel = await below.Where(d => d.Level > scope.Level).GroupBy(d => d.Level)
            .Select(g => new { Level = g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var level in byLevel.OrderBy(l => l.Level)) Counts.Add((level.Level.Chinese(), level.Count));
        Counts.Add(("用户", await db.Users.Within(me.Scope, u => u.DivisionCode).CountAsync(ct)));

        if (me.IsInRole(Roles.Responsible)) Responsible = await sections.ResponsibleAsync(ct);
        if (me.IsInRole(Roles.Patrol)) Patrol = await sections.PatrolAsync(ct);
        if (me.IsInRole(Roles.Office))
        {
            Office = await sections.OfficeAsync(ct);
            JointOperationBreaches = (await jointOperations.RuleAsync(ct)).Count(r => r.Breached);
        }
        if (me.IsInRole(Roles.Leader)) Leader = await sections.LeaderAsync(6, ct);
        if (me.IsInRole(Roles.Reward)) Reward = await sections.RewardAsync(ct);
        if (me.IsInRole(Roles.Department)) DepartmentWork = await sections.DepartmentAsync(ct);
        return Page();
    }

    private async Task<string> PathAsync(Division division, CancellationToken ct)
    {
        var names = new List<string> { division.Name };
        var parent = division.ParentCode;
        while (parent is not null)
        {
            var p = await db.Divisions.AsNoTracking().Where(d => d.Code == parent).Select(d => new { d.Name, d.ParentCode }).FirstAsync(ct);
            names.Insert(0, p.Name);
            parent = p.ParentCode;
        }
        return string.Join(" / ", names);
    }
}
