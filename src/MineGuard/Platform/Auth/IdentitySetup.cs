using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MineGuard.Data;

namespace MineGuard.Platform.Auth;

public static class IdentitySetup
{
    public static IServiceCollection AddMineGuardIdentity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddIdentity<AppUser, AppRole>(o =>
            {
                // Length over complexity (NIST SP 800-63B): at least 10 characters, no required character classes;
                // common and user-derived passwords are refused by PasswordPolicy.
                o.Password.RequiredLength = PasswordPolicy.MinLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                // No lock-out after wrong passwords (anyone could lock out the office): LoginGuard throttles instead.
                // A disabled account is still locked (LockoutEnd = max) by the admin pages.
                o.Lockout.AllowedForNewUsers = false;
                o.User.RequireUniqueEmail = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserManager<ClockedUserManager>()
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddPasswordValidator<PasswordPolicy>()
            .AddClaimsPrincipalFactory<MineGuardClaimsFactory>();

        services.AddSingleton<LoginGuard>();
        // A changed scope, role or password reaches every node within a minute; a log-out at once (Sessions).
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The refreshed cookie keeps its session id, so the session can still be revoked.
            o.OnRefreshingPrincipal = ctx =>
            {
                if (ctx.CurrentPrincipal?.FindFirst(MineGuardClaims.Session) is { } sid && ctx.NewPrincipal?.Identity is ClaimsIdentity identity
                    && !identity.HasClaim(c => c.Type == MineGuardClaims.Session))
                {
                    identity.AddClaim(new Claim(MineGuardClaims.Session, sid.Value));
                }
                return Task.CompletedTask;
            };
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "mineguard";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            // API callers get status codes, not a redirect to the log-in page.
            o.Events.OnValidatePrincipal = Sessions.ValidateAsync;
            o.Events.OnSigningIn = ctx =>
            {
                // Every sign-in starts a server-side session whose id the cookie carries (revoked at log-out).
                if (ctx.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == MineGuardClaims.Session))
                    identity.AddClaim(new Claim(MineGuardClaims.Session, Guid.NewGuid().ToString("N")));

                if (ctx.Properties.IsPersistent)
                {
                    var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    ctx.Properties.IssuedUtc = now;
                    ctx.Properties.ExpiresUtc = now.AddDays(14);
                }

                return Task.CompletedTask;
            };
            o.Events.OnRedirectToLogin = ctx => Reply(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Reply(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
        });

        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.All.Select(r => r.Name)))
            .AddPolicy(Policies.Writer, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.All.Select(r => r.Name).Where(r => r != Roles.Leader)))
            .AddPolicy(Policies.Office, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Office))
            .AddPolicy(Policies.OfficeOnly, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Office))
            .AddPolicy(Policies.Admin, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Head, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Head))
            .AddPolicy(Policies.KeyPersons, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireAssertion(ctx => ctx.User.IsInRole(Roles.Office)
                    || (ctx.User.IsInRole(Roles.Department) && ctx.User.HasClaim(MineGuardClaims.Department, "public-security"))))
            .AddPolicy(Policies.Integration, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser())
            .AddPolicy(Policies.ApiReader, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser().RequireAssertion(ctx =>
                    ctx.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyAuthentication.SchemeName)
                    || Roles.All.Any(r => ctx.User.IsInRole(r.Name))));
        return services;
    }

    private static Task Reply(HttpContext http, string redirectUri, int status)
    {
        // API callers and map tiles (images: a log-in page in their place helps nobody) get the status code.
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/tiles"))
        {
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Puts the user's scope, department and display name into the cookie so every request can scope its queries.</summary>
public sealed class MineGuardClaimsFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(MineGuardClaims.Scope, user.DivisionCode));
        identity.AddClaim(new Claim(MineGuardClaims.Department, user.DepartmentCode));
        identity.AddClaim(new Claim(MineGuardClaims.DisplayName, user.DisplayName));
        if (user.IsDemo) identity.AddClaim(new Claim(MineGuardClaims.IsDemo, "1"));
        return identity;
    }
}

/// <summary>Identity's messages in Chinese, for the forms that show them beside the field.</summary>
public sealed class ChineseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"用户名“{userName}”已被使用" };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"用户名“{userName}”无效：只能包含字母、数字和 - . _ @" };
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"密码至少需要 {length} 个字符" };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "密码必须包含数字" };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "密码必须包含小写字母" };
    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "密码必须包含大写字母" };
    public override IdentityError PasswordRequiresNonAlphanumeric() => new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "密码必须包含符号" };
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "密码不正确" };
    public override IdentityError DuplicateRoleName(string role) => new() { Code = nameof(DuplicateRoleName), Description = $"角色“{role}”已存在" };
    public override IdentityError UserAlreadyInRole(string role) => new() { Code = nameof(UserAlreadyInRole), Description = $"用户已拥有角色“{Roles.Chinese(role)}”" };
    public override IdentityError ConcurrencyFailure() => new() { Code = nameof(ConcurrencyFailure), Description = "数据已被他人修改，请刷新后重试" };
    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "操作失败" };
}
