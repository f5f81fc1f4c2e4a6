using Microsoft.AspNetCore.Identity;

namespace MineGuard.Platform.Auth;

/// <summary>
/// What makes a password acceptable, wherever one is set (admin pages, <c>user add-admin</c>, any reset or change:
/// Identity runs every registered validator): at least <see cref="MinLength"/> characters, not one of the commonly
/// used passwords (<see cref="CommonPasswords"/>), not built from the user name, and not a run of a few characters.
/// No rule about character classes: length beats complexity (NIST SP 800-63B §5.1.1.2).
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<AppUser>
{
    public const int MinLength = 10;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(Problem(user.UserName, password) is { } message
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordWeak", Description = message })
            : IdentityResult.Success);

    /// <summary>The Chinese reason a password is refused, or null when it is acceptable (length is Identity's own check).</summary>
    public static string? Problem(string? userName, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return null; // Identity reports the length
        if (password.Distinct().Count() < 4) return "密码不能只由少数几个字符重复组成";
        if (CommonPasswords.Contains(password)) return "该密码过于常见，容易被猜中，请换一个（可用几个词组成的长句）";
        if (DerivedFromName(userName, password)) return "密码不能包含用户名或由用户名变化而来";
        return null;
    }

    /// <summary>Contains the user name (or a part of it of four or more letters), forwards, reversed or in l33t.</summary>
    public static bool DerivedFromName(string? userName, string password)
    {
        if (string.IsNullOrWhiteSpace(userName)) return false;
        var p = CommonPasswords.Normalize(password);
        var name = userName.Trim().ToLowerInvariant();
        var parts = name.Split(['-', '.', '_', '@', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Where(x => x.Length >= 4)
            .Append(new string(name.Where(char.IsLetterOrDigit).ToArray()))
            .Where(x => x.Length >= 3)
            .Distinct();
        foreach (var part in parts)
        {
            var n = CommonPasswords.Normalize(part);
            if (p.Contains(n, StringComparison.Ordinal) || p.Contains(new string(n.Reverse().ToArray()), StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

public static class PasswordChecks
{
    /// <summary>
    /// Every registered password validator's Chinese messages for <paramref name="password"/>, added under
    /// <paramref name="field"/>, so a form shows them with its other mistakes at once.
    /// </summary>
    public static async Task ValidatePasswordAsync(this UserManager<AppUser> users, AppUser user, string password, string field, Web.FieldErrors errors)
    {
        foreach (var validator in users.PasswordValidators)
        {
            foreach (var e in (await validator.ValidateAsync(users, user, password)).Errors) errors.Add(field, e.Description);
        }
    }
}
