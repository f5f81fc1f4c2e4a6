using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Account.Pages;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, AppDbContext db) : PageModel
{
    [BindProperty, Required(ErrorMessage = "请输入用户名")]
    public string UserName { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "请输入密码"), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = await signIn.UserManager.FindByNameAsync(UserName.Trim());
        // The field app (/field) must keep working offline for days after one log-in, so its cookie outlives the
        // browser session (14 days, see IdentitySetup); the office pages keep a session cookie.
        var field = ReturnUrl?.StartsWith("/field", StringComparison.Ordinal) == true;
        var result = await signIn.PasswordSignInAsync(UserName.Trim(), Password, isPersistent: field, lockoutOnFailure: true);
        db.AuditEvent(result.Succeeded ? "login" : "login-failed", nameof(AppUser), user?.Id.ToString() ?? UserName.Trim(),
            result.IsLockedOut ? "locked out" : null, user?.DivisionCode);
        await db.SaveChangesAsync();
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }
        ModelState.AddModelError("", result.IsLockedOut
            ? "账号已锁定（登录失败次数过多或已停用），请 15 分钟后再试或联系管理员"
            : "用户名或密码不正确");
        return Page();
    }
}
