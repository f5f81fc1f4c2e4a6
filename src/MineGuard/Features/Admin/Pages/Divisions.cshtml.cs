using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Admin.Pages;

/// <summary>
/// 区划与责任分工: the jurisdiction tree with who answers for each node (责任人, 分管领导), named here by the office;
/// administrators also add villages and grids.
/// </summary>
[Authorize(Policy = Policies.Office)]
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

    /// <summary>The current division's people as typed (name, phone or "姓名（手机号）").</summary>
    [BindProperty]
    public PeopleForm People { get; set; } = new();

    public sealed class PeopleForm
    {
        public string? Responsible { get; set; }
        public string? Leader { get; set; }
    }

    public bool IsAdmin => User.IsInRole(Roles.Admin);
    public Dictionary<string, DivisionPeopleView> Answering { get; private set; } = [];
    public List<(string Label, string Post)> Choices { get; private set; } = [];
    public bool PeopleSaved { get; private set; }

    public Division Current { get; private set; } = null!;
    public List<Division> Path { get; } = [];
    public List<Division> Children { get; private set; } = [];
    public Dictionary<string, int> ChildCounts { get; private set; } = [];
    public string? Added { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, string? added, bool? saved, CancellationToken ct)
    {
        Added = added;
        PeopleSaved = saved == true;
        if (!await LoadAsync(code, ct)) return NotFound();
        People = new PeopleForm
        {
            Responsible = await db.PersonLabelAsync(Current.ResponsiblePersonId, ct),
            Leader = await db.PersonLabelAsync(Current.LeaderPersonId, ct),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostPeopleAsync(string? code, CancellationToken ct)
    {
        var (division, errors) = await DivisionPeople.NameAsync(db, code ?? "", new DivisionPeopleInput(People.Responsible, People.Leader), ct);
        if (division is null) return NotFound();
        if (errors.Ok) return Redirect($"/admin/divisions?code={division.Code}&saved=true");
        ModelState.AddFieldErrors(errors, "People");
        db.ChangeTracker.Clear();
        return await LoadAsync(code, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsAdmin) return Forbid();
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
        await Villages.EnsureForAsync(db, current.Code, ct); // the county's shipped villages, on first need
        Children = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == current.Code).OrderBy(d => d.Code).ToListAsync(ct);
        var codes = Children.Select(c => c.Code).ToList();
        Answering = (await DivisionPeople.ViewsAsync(db, [current, .. Children], ct)).ToDictionary(v => v.Code);
        Choices = await db.PersonChoicesAsync(ct);
        ChildCounts = await db.Divisions.Where(d => d.ParentCode != null && codes.Contains(d.ParentCode))
            .GroupBy(d => d.ParentCode!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return true;
    }
}
