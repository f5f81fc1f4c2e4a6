using MineGuard.Platform.Jurisdiction;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;

namespace MineGuard.Platform.Auth;

/// <summary>Authenticates integrations by the "X-Api-Key" header (or "Authorization: ApiKey …").</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AppDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].FirstOrDefault();
        if (presented is null && Request.Headers.Authorization.FirstOrDefault() is { } auth
            && auth.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            presented = auth[(SchemeName.Length + 1)..].Trim();
        }
        if (string.IsNullOrEmpty(presented)) return AuthenticateResult.NoResult();
        if (ApiKey.Parse(presented) is not var (prefix, secret)) return AuthenticateResult.Fail("malformed key");

        // The caller has no scope yet, so the lookup is the one deliberate unscoped read of keys.
        var key = await db.ApiKeys.Beyond(ScopeExit.NoScopeYet).FirstOrDefaultAsync(k => k.Prefix == prefix, Context.RequestAborted);
        if (key is null || !key.Matches(secret)) return AuthenticateResult.Fail("unknown or revoked key");

        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (key.LastUsedUtc is null || now - key.LastUsedUtc > TimeSpan.FromMinutes(5))
        {
            // Bookkeeping only: written without an audit record, which would otherwise grow with every call.
            await db.ApiKeys.Beyond(ScopeExit.NoScopeYet).Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedUtc, now), Context.RequestAborted);
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new Claim(ClaimTypes.Name, "apikey:" + key.Name),
            new Claim(MineGuardClaims.Scope, key.DivisionCode),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
