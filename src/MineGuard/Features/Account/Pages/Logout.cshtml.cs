using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Account.Pages;

/// <summary>退出: ends the session on the server too, so a copy of the cookie stops working at once on every node.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class LogoutModel(SignInManager<AppUser> signIn, AppDbContext db) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await Sessions.RevokeAsync(db, User, ct);
        db.AuditEvent("logout", nameof(AppUser), db.CurrentUser.Id?.ToString() ?? "", null, null);
        await db.SaveChangesAsync(ct);
        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
