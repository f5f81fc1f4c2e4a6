using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Persons.Pages;

/// <summary>Adds or edits one person (the office); an administrator can also give the person a log-in.</summary>
[Authorize(Policy = Policies.Office)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class EditModel(AppDbContext db, AdminCommands admin) : PageModel
{
    [BindProperty] public PersonInput Input { get; set; } = new(null, null, null, null, null, null);
    [BindProperty] public PersonAccountInput Account { get; set; } = new(null, null, null, null);

    public Guid? Id { get; private set; }
    public bool HasAccount { get; private set; }
    public bool IsAdmin => db.CurrentUser.IsInRole(Roles.Admin);
    public List<(string Code, string Name)> Divisions { get; private set; } = [];
    public string? Message { get; private set; }

    public string? Error(string field) =>
        ModelState.TryGetValue(field, out var e) && e.Errors.Count > 0 ? string.Join("；", e.Errors.Select(x => x.ErrorMessage)) : null;

    public async Task<IActionResult> OnGetAsync(Guid? id, string? done, CancellationToken ct)
    {
        Id = id;
        Message = done;
        if (id is { } existing)
        {
            var p = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == existing, ct);
            if (p is null) return NotFound();
            Input = new PersonInput(p.DivisionCode, p.Name, p.Phone, p.Unit, p.Post, p.Note);
            HasAccount = p.UserId is not null;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        Id = id;
        if (id is { } existing)
        {
            var updated = await PersonsApi.Update(existing, Input, db, ct);
            if (updated.Result is Microsoft.AspNetCore.Http.HttpResults.NotFound) return NotFound();
            if (updated.Result is Ok<PersonView>) return Redirect($"/persons/edit/{existing}?done={Uri.EscapeDataString("已保存")}");
            Show((ValidationProblem)updated.Result, "Input");
        }
        else
        {
            var created = await PersonsApi.Create(Input, db, ct);
            if (created.Result is Created<PersonView> c) return Redirect($"/persons/edit/{c.Value!.Id}?done={Uri.EscapeDataString("已登记")}");
            Show((ValidationProblem)created.Result, "Input");
        }
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAccountAsync(Guid id, CancellationToken ct)
    {
        if (!IsAdmin) return Forbid();
        Id = id;
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null) return NotFound();
        var (user, errors) = await PersonSheets.GiveAccountAsync(db, admin, person, Account, ct);
        if (user is not null) return Redirect($"/persons/edit/{id}?done={Uri.EscapeDataString($"已开通登录账号 {user.UserName}")}");
        ModelState.AddFieldErrors(errors, "Account");
        db.ChangeTracker.Clear();
        var p = await db.Set<Person>().AsNoTracking().FirstAsync(x => x.Id == id, ct);
        Input = new PersonInput(p.DivisionCode, p.Name, p.Phone, p.Unit, p.Post, p.Note);
        HasAccount = p.UserId is not null;
        await LoadAsync(ct);
        return Page();
    }

    private void Show(ValidationProblem problem, string prefix)
    {
        ModelState.Clear();
        foreach (var (field, messages) in problem.ProblemDetails.Errors)
        {
            var name = field.Length > 0 ? char.ToUpperInvariant(field[0]) + field[1..] : field;
            foreach (var m in messages) ModelState.AddModelError($"{prefix}.{name}", m);
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope).Where(d => d.Level >= DivisionLevel.County)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name, d.Level }).Take(5000).ToListAsync(ct);
        Divisions = rows.Select(d => (d.Code, new string('　', Math.Max(0, (int)d.Level - (int)DivisionLevel.County)) + d.Name)).ToList();
    }
}
