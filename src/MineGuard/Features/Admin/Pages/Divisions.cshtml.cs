using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin.Pages;

[Authorize(Policy = Policies.Admin)]
public sealed class DivisionsModel(AppDbContext db, AdminCommands admin) : PageModel
{
    public sealed class AddInput
    {
        public string? ParentCode { get; set; }
        public string? Kind { get; set; } = "grid";
        public string? Name { get; set; }
        public string? Code { get; set; }
    }

    [BindProperty]
    public AddInput Input { get; set; } = new();

    public Division Current { get; private set; } = null!;
    public List<Division> Path { get; } = [];
    public List<Division> Children { get; private set; } = [];
    public Dictionary<string, int> ChildCounts { get; private set; } = [];
    public string? Added { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, string? added, CancellationToken ct)
    {
        Added = added;
        return await LoadAsync(code, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (division, errors) = await admin.AddDivisionAsync(new DivisionInput(Input.ParentCode, Input.Kind, Input.Name, Input.Code), ct);
        if (division is not null) return Redirect($"/admin/divisions?code={division.ParentCode}&added={Uri.EscapeDataString(division.Name)}");
        ModelState.AddFieldErrors(errors);
        return await LoadAsync(Input.ParentCode, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string? code, CancellationToken ct)
    {
        var scope = db.CurrentUser.Scope;
        var wanted = Division.NormalizeCode(code ?? scope.Code);
        var current = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == wanted, ct);
        if (current is null || !scope.Contains(current.Code)) return false;
        Current = current;
        for (var d = current; d is not null && scope.Contains(d.Code);
             d = d.ParentCode is null ? null : await db.Divisions.AsNoTracking().FirstOrDefaultAsync(p => p.Code == d.ParentCode, ct))
        {
            Path.Insert(0, d);
        }
        Children = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == current.Code).OrderBy(d => d.Code).ToListAsync(ct);
        var codes = Children.Select(c => c.Code).ToList();
        ChildCounts = await db.Divisions.Where(d => d.ParentCode != null && codes.Contains(d.ParentCode))
            .GroupBy(d => d.ParentCode!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return true;
    }
}
