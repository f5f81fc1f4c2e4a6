using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Account.Pages;

/// <summary>
/// 登录. Throttled per source and per account with growing delays, never locked (<see cref="LoginGuard"/>); an unknown
/// name and a wrong password get the same answer after the same work.
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, LoginGuard guard, AppDbContext db) : PageModel
{
    public const string Wrong = "用户名或密码不正确";
    public const string Disabled = "账号已停用，请联系管理员";

    [BindProperty, Required(ErrorMessage = "请输入用户名")]
    public string UserName { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "请输入密码"), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var name = UserName.Trim();
        var user = await signIn.UserManager.FindByNameAsync(name);
        var wait = await guard.WaitAsync(HttpContext, name, user?.Id, ct);
        if (wait > TimeSpan.Zero)
        {
            db.AuditEvent("login-throttled", nameof(AppUser), user?.Id.ToString() ?? name, null, user?.DivisionCode);
            await db.SaveChangesAsync(ct);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError("", $"登录尝试过于频繁，请 {LoginGuard.Describe(wait)}后再试");
            return Page();
        }

        bool right;
        if (user is null)
        {
            guard.CheckDummy(Password);
            right = false;
        }
        else
        {
            right = await signIn.UserManager.CheckPasswordAsync(user, Password);
        }
        var enabled = user is not null && !user.IsDisabled;
        if (right && enabled)
        {
            // The field app (/field) must keep working offline for days after one log-in, so its cookie outlives the
            // browser session (14 days, see IdentitySetup); the office pages keep a session cookie. Signed in first,
            // so the audit record names the person who logged in as its actor.
            var field = ReturnUrl?.StartsWith("/field", StringComparison.Ordinal) == true;
            await signIn.SignInAsync(user!, isPersistent: field);
        }
        db.AuditEvent(right && enabled ? "login" : "login-failed", nameof(AppUser), user?.Id.ToString() ?? name,
            right && !enabled ? "disabled" : null, user?.DivisionCode);
        if (!right) await guard.FailedAsync(HttpContext, name, ct);
        await db.SaveChangesAsync(ct);
        if (right && enabled)
        {
            guard.Remember(HttpContext, user!.Id);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }
        // Only someone who knows the password learns that the account is disabled.
        ModelState.AddModelError("", right ? Disabled : Wrong);
        return Page();
    }
}
