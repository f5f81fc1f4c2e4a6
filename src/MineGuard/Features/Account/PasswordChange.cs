using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Account;

/// <summary>自助修改密码: the current password, the new one twice.</summary>
public sealed record PasswordChangeInput(
    [property: System.ComponentModel.DataAnnotations.MaxLength(200)] string? CurrentPassword,
    [property: System.ComponentModel.DataAnnotations.MaxLength(200)] string? NewPassword,
    [property: System.ComponentModel.DataAnnotations.MaxLength(200)] string? ConfirmPassword);

/// <summary>What a change came to: field errors, a wait (too many wrong current passwords), or done.</summary>
public sealed record PasswordChangeResult(FieldErrors Errors, TimeSpan Wait)
{
    public bool Done => Errors.Ok && Wait == TimeSpan.Zero;
}

/// <summary>
/// Changes the caller's own password, shared by the page and the API. A wrong current password is guessing like a
/// wrong log-in, so it is counted and slowed by the same <see cref="LoginGuard"/> buckets (a stolen session cannot
/// guess the password faster here than at the log-in form). On success every other session of the user ends: the
/// security stamp changes (Identity) and this session's id is revoked before a fresh sign-in, so a copied cookie
/// dies at once.
/// </summary>
public sealed class PasswordChange(AppDbContext db, SignInManager<AppUser> signIn, LoginGuard guard)
{
    public const string Changed = "密码已修改";

    private UserManager<AppUser> Users => signIn.UserManager;

    public async Task<PasswordChangeResult> ChangeAsync(HttpContext http, PasswordChangeInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var user = await Users.GetUserAsync(http.User) ?? throw new InvalidOperationException("No signed-in user.");
        if (string.IsNullOrEmpty(input.CurrentPassword)) errors.Add(nameof(input.CurrentPassword), "请输入当前密码");
        if (string.IsNullOrEmpty(input.NewPassword)) errors.Add(nameof(input.NewPassword), "请输入新密码");
        else
        {
            // Identity's rules and PasswordPolicy, in Chinese (ChineseIdentityErrors), beside the new password.
            await Users.ValidatePasswordAsync(user, input.NewPassword, nameof(input.NewPassword), errors);
            if (input.NewPassword == input.CurrentPassword) errors.Add(nameof(input.NewPassword), "新密码不能与当前密码相同");
        }
        if (string.IsNullOrEmpty(input.ConfirmPassword)) errors.Add(nameof(input.ConfirmPassword), "请再次输入新密码");
        else if (!string.IsNullOrEmpty(input.NewPassword) && input.ConfirmPassword != input.NewPassword)
            errors.Add(nameof(input.ConfirmPassword), "两次输入的新密码不一致");
        if (!errors.Ok) return new(errors, TimeSpan.Zero);

        var wait = await guard.WaitAsync(http, user.UserName!, user.Id, ct);
        if (wait > TimeSpan.Zero)
        {
            db.AuditEvent("password-change-throttled", nameof(AppUser), user.Id.ToString(), null, user.DivisionCode);
            await db.SaveChangesAsync(ct);
            return new(errors, wait);
        }
        if (!await Users.CheckPasswordAsync(user, input.CurrentPassword!))
        {
            await guard.FailedAsync(http, user.UserName!, ct);
            db.AuditEvent("password-change-failed", nameof(AppUser), user.Id.ToString(), null, user.DivisionCode);
            await db.SaveChangesAsync(ct);
            errors.Add(nameof(input.CurrentPassword), "当前密码不正确");
            return new(errors, TimeSpan.Zero);
        }

        var changed = await Users.ChangePasswordAsync(user, input.CurrentPassword!, input.NewPassword!);
        if (!changed.Succeeded)
        {
            foreach (var e in changed.Errors)
                errors.Add(e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? nameof(input.CurrentPassword) : nameof(input.NewPassword), e.Description);
            return new(errors, TimeSpan.Zero);
        }
        // The user row's change (new hash and stamp, both hidden from the trail) is audited by the save inside
        // ChangePasswordAsync; this event says what it was, in the trail's words.
        await Sessions.RevokeAsync(db, http.User, ct);
        db.AuditEvent("password-change", nameof(AppUser), user.Id.ToString(), null, user.DivisionCode);
        await db.SaveChangesAsync(ct);
        await signIn.RefreshSignInAsync(user);
        return new(errors, TimeSpan.Zero);
    }

    /// <summary>"请 N 秒后再试", as the log-in form says it.</summary>
    public static string TooMany(TimeSpan wait) => $"尝试过于频繁，请 {LoginGuard.Describe(wait)}后再试";

    public static void SetRetryAfter(HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>The caller's own account over HTTP (cookie only: an API key has no password to change).</summary>
public sealed class AccountApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<PasswordChange>();

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/account").RequireAuthorization(Policies.Staff).WithTags("account");
        api.MapPost("/password", ChangePassword).WithSummary("修改本人密码");
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        PasswordChangeInput input, PasswordChange change, HttpContext http, CancellationToken ct)
    {
        var result = await change.ChangeAsync(http, input, ct);
        if (result.Wait > TimeSpan.Zero)
        {
            PasswordChange.SetRetryAfter(http.Response, result.Wait);
            return TypedResults.Problem(PasswordChange.TooMany(result.Wait), statusCode: StatusCodes.Status429TooManyRequests, title: "请求过于频繁");
        }
        if (!result.Errors.Ok) return result.Errors.ToProblem();
        return TypedResults.NoContent();
    }
}
