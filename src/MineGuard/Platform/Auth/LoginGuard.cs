using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Auth;

/// <summary>
/// Password guessing control without a hard lock-out (see DEVELOPING.md, "Log-in throttling").
/// </summary>
/// <remarks>
/// <para><b>Per source address</b>: the first <see cref="SourceFree"/> wrong passwords in an hour cost nothing; after
/// that each attempt from the address must wait 2 s × 2^(n − 5) since its latest failure, up to 15 minutes. Attempts
/// made while waiting are refused unchecked and count too, so hammering keeps the address waiting.</para>
/// <para><b>Per account</b>, over all sources: after <see cref="AccountFree"/> wrong passwords in an hour the account
/// asks 2 s × 2^(n − 20) between attempts, up to 5 minutes — but not of a browser that has logged in to this account
/// before (it carries a signed device cookie, <see cref="DeviceCookie"/>), so a guesser spread over many addresses
/// slows down the guessing, not the owner at their usual desk.</para>
/// <para>Nothing locks: the right password always opens the account once the waits allow an attempt, so nobody can
/// lock out the office by typing wrong passwords. Unknown and known user names get the same answers after the same
/// work (an unknown name's password is checked against a dummy hash), and the account bucket counts unknown names
/// too, so neither the answer nor the waits tell which names exist.</para>
/// </remarks>
public sealed class LoginGuard(RateLimits limits, TimeProvider clock, IDataProtectionProvider protection, IPasswordHasher<AppUser> hasher)
{
    public const int SourceFree = 5;
    public const int AccountFree = 20;
    public const string DeviceCookie = "mineguard-device";

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan First = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SourceMax = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan AccountMax = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DeviceLife = TimeSpan.FromDays(180);

    private readonly IDataProtector devices = protection.CreateProtector("MineGuard.Login.Device");
    private readonly Lazy<string> dummyHash = new(() => hasher.HashPassword(new AppUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static string SourceBucket(HttpContext http) => "login:src:" + (http.Connection.RemoteIpAddress?.ToString() ?? "-");

    private static string AccountBucket(string userName) => "login:acct:" + userName.Trim().ToUpperInvariant();

    /// <summary>How long this caller must wait before a password for <paramref name="userName"/> is checked (zero: go).</summary>
    public async Task<TimeSpan> WaitAsync(HttpContext http, string userName, Guid? userId, CancellationToken ct)
    {
        var source = await limits.ReadAsync(SourceBucket(http), Window, ct);
        var wait = source.Wait(SourceFree, First, SourceMax, Now);
        if (wait == TimeSpan.Zero && !KnownDevice(http, userId))
        {
            var account = await limits.ReadAsync(AccountBucket(userName), Window, ct);
            wait = account.Wait(AccountFree, First, AccountMax, Now);
        }
        // An attempt refused while waiting counts against the source (not the account: no password was checked).
        if (wait > TimeSpan.Zero) await limits.HitAsync(SourceBucket(http), Window, ct);
        return wait;
    }

    /// <summary>A wrong password (or an unknown name): counts against the source and the name.</summary>
    public async Task FailedAsync(HttpContext http, string userName, CancellationToken ct)
    {
        await limits.HitAsync(SourceBucket(http), Window, ct);
        await limits.HitAsync(AccountBucket(userName), Window, ct);
    }

    /// <summary>The same work as checking a real password, for a name that does not exist.</summary>
    public void CheckDummy(string password) => hasher.VerifyHashedPassword(new AppUser(), dummyHash.Value, password);

    /// <summary>Marks this browser as one the user logs in from (exempt from the per-account wait).</summary>
    public void Remember(HttpContext http, Guid userId)
    {
        var value = devices.Protect(userId.ToString("N") + "|" + new DateTimeOffset(Now).ToUnixTimeSeconds());
        http.Response.Cookies.Append(DeviceCookie, value, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/login", IsEssential = true,
            MaxAge = DeviceLife,
        });
    }

    private bool KnownDevice(HttpContext http, Guid? userId)
    {
        if (userId is null || http.Request.Cookies[DeviceCookie] is not { Length: > 0 and < 1000 } value) return false;
        try
        {
            var parts = devices.Unprotect(value).Split('|');
            return parts.Length == 2 && parts[0] == userId.Value.ToString("N") && long.TryParse(parts[1], out var issued)
                   && Now - DateTimeOffset.FromUnixTimeSeconds(issued).UtcDateTime < DeviceLife;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>"请 N 秒后再试" / "请 N 分钟后再试", rounded up.</summary>
    public static string Describe(TimeSpan wait) => wait < TimeSpan.FromMinutes(1)
        ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} 秒"
        : $"{(int)Math.Ceiling(wait.TotalMinutes)} 分钟";
}
