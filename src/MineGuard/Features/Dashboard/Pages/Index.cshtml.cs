using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Dashboard.Pages;

/// <summary>The dashboard shell: who I am, what I am responsible for, and the map of my jurisdiction.</summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AppDbContext db, CurrentUser me, IConfiguration config) : PageModel
{
    public CurrentUser Me => me;
    public Division Scope { get; private set; } = null!;
    public string ScopePath { get; private set; } = "";
    public string DepartmentName => Department.NameOf(me.DepartmentCode ?? "") ?? "";
    public IEnumerable<string> RoleNames => Roles.All.Where(r => me.IsInRole(r.Name)).Select(r => r.Chinese);
    public List<(string Label, int Count)> Counts { get; } = [];
    public string TileUrl => MineGuard.Platform.Geo.MapTiles.From(config).Url;
    public string TileAttribution => MineGuard.Platform.Geo.MapTiles.From(config).Attribution;
    public bool TileIsGcj02 => MineGuard.Platform.Geo.MapTiles.From(config).IsGcj02;

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
