using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;

namespace MineGuard.Platform.Auth;

/// <summary>
/// A log-in session that was ended (logged out). Every cookie carries its session's id (<see cref="MineGuardClaims.Session"/>);
/// a cookie whose session is listed here is refused on every node at once, even though the cookie itself is still
/// valid and unexpired (a copied cookie must die with the log-out).
/// </summary>
public sealed class RevokedSession
{
    private RevokedSession() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public DateTime RevokedUtc { get; private set; }

    public static RevokedSession Of(Guid sessionId, Guid userId, DateTime nowUtc) => new() { Id = sessionId, UserId = userId, RevokedUtc = nowUtc };
}

internal sealed class RevokedSessionConfiguration : IEntityTypeConfiguration<RevokedSession>
{
    public void Configure(EntityTypeBuilder<RevokedSession> e)
    {
        e.ToTable("RevokedSessions");
        e.HasKey(s => s.Id);
        e.HasIndex(s => s.RevokedUtc);
    }
}

/// <summary>Session ids in the cookie, checked on every request; revoked at log-out.</summary>
public static class Sessions
{
    /// <summary>No cookie lives longer than this (the field app's 14 days), so older revocations can go.</summary>
    private static readonly TimeSpan KeepRevoked = TimeSpan.FromDays(15);

    public static Guid? Id(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(MineGuardClaims.Session), out var id) ? id : null;

    /// <summary>
    /// Cookie validation (before Identity's security-stamp check): a cookie without a session id (issued before
    /// sessions existed) or with a revoked one signs the caller out. One primary-key lookup per request.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        if (ctx.Principal?.Identity?.IsAuthenticated != true) return;
        var id = Id(ctx.Principal);
        var db = ctx.HttpContext.RequestServices.GetRequiredService<AppDbContext>();
        if (id is null || await db.Set<RevokedSession>().AsNoTracking().AnyAsync(s => s.Id == id, ctx.HttpContext.RequestAborted))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
            return;
        }
        await Microsoft.AspNetCore.Identity.SecurityStampValidator.ValidatePrincipalAsync(ctx);
    }

    /// <summary>Ends the caller's session for good (this cookie and every copy of it); the caller saves.</summary>
    public static async Task RevokeAsync(AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (Id(user) is { } id && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && !await db.Set<RevokedSession>().AnyAsync(s => s.Id == id, ct))
        {
            db.Add(RevokedSession.Of(id, userId, now));
        }
        var old = now - KeepRevoked;
        await db.Set<RevokedSession>().Where(s => s.RevokedUtc < old).ExecuteDeleteAsync(ct);
    }
}
