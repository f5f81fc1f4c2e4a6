using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Clues;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Cases.Pages;

/// <summary>立案: from a verified clue (<c>?clue=</c>, the clue page's 立案 button) or directly (a superior's assignment).</summary>
[Authorize(Policy = Policies.Writer)]
public sealed class NewModel(CaseDesk desk, AppDbContext db, Responsibility responsibility) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Clue { get; set; }
    [BindProperty] public CaseForm Input { get; set; } = new();

    public string? ClueSummary { get; private set; }
    public List<(Guid Id, string Label)> Officers { get; private set; } = [];
    public string? Problem { get; private set; }

    public sealed class CaseForm
    {
        public string? Type { get; set; }
        public string? Title { get; set; }
        public string? Facts { get; set; }
        public string? DivisionCode { get; set; }
        public string? DepartmentCode { get; set; }
        public List<Guid> OfficerIds { get; set; } = [];
        public string? SourceNote { get; set; }
        public string? FiledOn { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!desk.MayFile) return Forbid();
        if (!await LoadAsync(ct)) return NotFound();
        Input.DepartmentCode ??= db.CurrentUser.DepartmentCode;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!desk.MayFile) return Forbid();
        if (!await LoadAsync(ct)) return NotFound();
        try
        {
            var (c, _, errors) = await desk.FileAsync(new CaseInput(null, Input.Type, Input.Title, Input.Facts, Input.DivisionCode, Input.DepartmentCode,
                Input.OfficerIds, Clue is { } id ? [id] : null, null, null, Input.SourceNote, Input.FiledOn), ct);
            if (c is not null) return Redirect($"/cases/{c.Id}?done=filed");
            ModelState.AddFieldErrors(errors);
            Problem = string.Join("；", errors.Values.SelectMany(v => v));
        }
        catch (BusinessRuleException e)
        {
            Problem = e.Message;
        }
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (Clue is { } id)
        {
            var clue = await db.Set<Clue>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            if (clue is null) return false;
            ClueSummary = clue.Summary;
            Input.DivisionCode ??= clue.DivisionCode;
            Input.Title ??= clue.Summary.Length <= 200 ? clue.Summary : clue.Summary[..200];
            Input.DepartmentCode ??= clue.DepartmentCode;
        }
        var scope = db.CurrentUser.Scope;
        var county = (Input.DivisionCode ?? (scope.IsNone ? "" : scope.From)) is { Length: >= 6 } d ? d[..6] : "";
        Input.DivisionCode ??= county;
        if (county.Length == 6)
        {
            var users = (await responsibility.UsersOfRoleAsync(county, Roles.Department, null, ct))
                .Concat(await responsibility.UsersOfRoleAsync(county, Roles.Office, null, ct)).Select(a => a.UserId).OfType<Guid>().Distinct().ToList();
            Officers = (await db.Users.Where(u => users.Contains(u.Id)).OrderBy(u => u.DepartmentCode).ThenBy(u => u.DisplayName)
                    .Select(u => new { u.Id, u.DisplayName, u.DepartmentCode }).ToListAsync(ct))
                .Select(u => (u.Id, $"{u.DisplayName}（{MineGuard.Platform.Jurisdiction.Department.NameOf(u.DepartmentCode) ?? u.DepartmentCode}）")).ToList();
        }
        return true;
    }
}
