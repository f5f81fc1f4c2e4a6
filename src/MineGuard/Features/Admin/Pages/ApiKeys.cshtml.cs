using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin.Pages;

[Authorize(Policy = Policies.Admin)]
public sealed class ApiKeysModel(AppDbContext db, AdminCommands admin) : PageModel
{
    public sealed class CreateInput
    {
        public string? Name { get; set; }
        public string? DivisionCode { get; set; }
    }

    [BindProperty]
    public CreateInput Input { get; set; } = new();

    public List<ApiKey> Keys { get; private set; } = [];
    public Dictionary<string, string> DivisionNames { get; private set; } = [];
    public List<DivisionChoice> Divisions { get; private set; } = [];

    /// <summary>The plain key, rendered in the response to the POST that created it and never again.</summary>
    public string? NewKey { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.DivisionCode = db.CurrentUser.Scope.Code;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (plain, _, errors) = await admin.CreateApiKeyAsync(new ApiKeyInput(Input.Name, Input.DivisionCode), ct);
        if (plain is null) ModelState.AddFieldErrors(errors);
        else
        {
            NewKey = plain;
            Input = new CreateInput { DivisionCode = db.CurrentUser.Scope.Code };
            ModelState.Clear();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return NotFound();
        key.Revoke(db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Redirect("/admin/api-keys");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedUtc).ToListAsync(ct);
        var codes = Keys.Select(k => k.DivisionCode).Distinct().ToList();
        DivisionNames = await db.DivisionNamesAsync(codes, ct);
        await Villages.EnsureForAsync(db, db.CurrentUser.Scope.Code, ct); // a county's villages to pick, on first need
        Divisions = await db.Divisions.ChoicesAsync(db.CurrentUser.Scope, DivisionLevel.Village, ct);
    }
}
