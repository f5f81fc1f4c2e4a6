using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin.Pages;

[Authorize(Policy = Policies.Admin)]
public sealed class UsersModel(AppDbContext db, AdminCommands admin) : PageModel
{
    public sealed class CreateInput
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
        public string? DivisionCode { get; set; }
        public string? DepartmentCode { get; set; }
        public string[] Roles { get; set; } = [];
        public string? PhoneNumber { get; set; }
    }

    [BindProperty]
    public CreateInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public List<UserView> Users { get; private set; } = [];
    public Dictionary<string, string> DivisionNames { get; private set; } = [];
    public string ScopeName { get; private set; } = "";
    public UserFormView Form { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, errors) = await admin.CreateUserAsync(
            new UserInput(Input.UserName, Input.DisplayName, Input.Password, Input.DivisionCode, Input.DepartmentCode, Input.Roles, Input.PhoneNumber), ct);
        if (user is not null) return Redirect($"/admin/users/{user.Id}?created=true");
        ModelState.AddFieldErrors(errors);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var query = admin.UsersInScope();
        if (!string.IsNullOrWhiteSpace(Q)) query = query.Where(u => u.UserName!.Contains(Q) || u.DisplayName.Contains(Q));
        var users = await query.OrderBy(u => u.DivisionCode).ThenBy(u => u.UserName).Take(500).ToListAsync(ct);
        Users = await AdminApi.ViewsAsync(db, users, ct);
        var codes = Users.Select(u => u.DivisionCode).Append(db.CurrentUser.Scope.Code).Distinct().ToList();
        DivisionNames = await db.DivisionNamesAsync(codes, ct);
        ScopeName = DivisionNames.GetValueOrDefault(db.CurrentUser.Scope.Code) ?? "";
        Form = new UserFormView(Input.DisplayName, Input.DivisionCode, Input.DepartmentCode, Input.Roles, Input.PhoneNumber,
            await UserFormView.OptionsAsync(db, ct), ModelState);
    }
}
