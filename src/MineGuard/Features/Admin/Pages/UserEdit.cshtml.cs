using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Admin.Pages;

[Authorize(Policy = Policies.Admin)]
public sealed class UserEditModel(AppDbContext db, AdminCommands admin) : PageModel
{
    public sealed class EditInput
    {
        public string? DisplayName { get; set; }
        public string? DivisionCode { get; set; }
        public string? DepartmentCode { get; set; }
        public string[] Roles { get; set; } = [];
        public string? PhoneNumber { get; set; }
        public bool Disabled { get; set; }
        public string? NewPassword { get; set; }
    }

    [BindProperty]
    public EditInput Input { get; set; } = new();

    public string UserName { get; private set; } = "";
    public bool IsDemo { get; private set; }
    public string? Notice { get; private set; }
    public UserFormView Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, bool? created, bool? saved, CancellationToken ct)
    {
        var user = await admin.UsersInScope().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return NotFound();
        var view = (await AdminApi.ViewsAsync(db, [user], ct))[0];
        Input = new EditInput
        {
            DisplayName = view.DisplayName, DivisionCode = view.DivisionCode, DepartmentCode = view.DepartmentCode,
            Roles = view.Roles, PhoneNumber = view.PhoneNumber, Disabled = view.Disabled,
        };
        Notice = created == true ? "已创建用户" : saved == true ? "已保存" : null;
        await LoadAsync(user, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var user = await admin.UsersInScope().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return NotFound();
        var errors = await admin.UpdateUserAsync(user, new UserUpdate(
            Input.DisplayName, Input.DivisionCode, Input.DepartmentCode, Input.Roles, Input.PhoneNumber, Input.Disabled, Input.NewPassword), ct);
        if (errors.Ok) return Redirect($"/admin/users/{id}?saved=true");
        ModelState.AddFieldErrors(errors);
        // Show what the admin typed, not the stored values.
        db.ChangeTracker.Clear();
        await LoadAsync(user, ct);
        return Page();
    }

    private async Task LoadAsync(Platform.Auth.AppUser user, CancellationToken ct)
    {
        UserName = user.UserName!;
        IsDemo = user.IsDemo;
        Form = new UserFormView(Input.DisplayName, Input.DivisionCode, Input.DepartmentCode, Input.Roles, Input.PhoneNumber,
            await UserFormView.OptionsAsync(db, ct), ModelState);
    }
}
