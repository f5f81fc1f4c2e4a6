using System.Net;
using System.Security.Claims;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Auth;

/// <summary>
/// Who is acting in this unit of work (a request, a CLI verb, a background job): used for scoping every query and
/// for the audit trail. A web request reads its user from the HTTP context; system work calls <see cref="ActAsSystem"/>.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http)
{
    private string? systemName;
    private Actor? actingAs;

    private ClaimsPrincipal? Principal => systemName is null ? actingAs?.User ?? http.HttpContext?.User : null;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid? Id =>
        Guid.TryParse(Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public string Name =>
        systemName ?? (IsAuthenticated ? Principal!.Identity!.Name ?? "?" : "anonymous");

    public string DisplayName => Principal?.FindFirstValue(MineGuardClaims.DisplayName) ?? Name;

    public string? DepartmentCode => Principal?.FindFirstValue(MineGuardClaims.Department);

    /// <summary>An integration's API key (a jurisdiction, no department, no person): work it causes is nobody's by default.</summary>
    public bool IsIntegration => Principal?.Identity?.AuthenticationType == ApiKeyAuthentication.SchemeName;

    public bool IsDemo => Principal?.HasClaim(MineGuardClaims.IsDemo, "1") == true;

    /// <summary>Holds a role other than the leader's read-only one (the <see cref="Policies.Writer"/> policy).</summary>
    public bool CanWrite => Roles.All.Any(r => r.Name != Roles.Leader && IsInRole(r.Name));

    /// <summary>重点人员 are for the office and the police only.</summary>
    public bool CanSeeKeyPersons => IsInRole(Roles.Office) || (IsInRole(Roles.Department) && DepartmentCode == "public-security");

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;

    /// <summary>
    /// Sees the share of every department inside the scope: the system, the office (打非办, which coordinates them),
    /// leaders and administrators. A department officer sees only what was given to their department
    /// (IDepartmentShared); a patrol member or responsible person sees no department's share; a reward officer sees
    /// what the record grants reward officers.
    /// </summary>
    public bool SeesAllDepartments => systemName is not null || IsInRole(Roles.Office) || IsInRole(Roles.Leader) || IsInRole(Roles.Admin);

    /// <summary>The jurisdiction this actor sees: their node for a person or integration, nothing when anonymous.</summary>
    public JurisdictionScope Scope
    {
        get
        {
            if (systemName is not null) return JurisdictionScope.All;
            var code = IsAuthenticated ? Principal!.FindFirstValue(MineGuardClaims.Scope) : null;
            return string.IsNullOrEmpty(code) ? JurisdictionScope.None : JurisdictionScope.Of(code);
        }
    }

    /// <summary>The caller's address for the audit trail; "local" for system work.</summary>
    public string Address =>
        systemName is not null ? "local" : actingAs is not null ? actingAs.Address
        : http.HttpContext?.Connection.RemoteIpAddress is { } ip ? Format(ip) : "";

    /// <summary>Marks this unit of work as the system's own (start-up, CLI verb, job), seeing everything.</summary>
    public void ActAsSystem(string name) => systemName = name;

    /// <summary>Who acts now, to be carried into another unit of work (a background job the request starts).</summary>
    public Actor Snapshot() => new(Principal ?? new ClaimsPrincipal(new ClaimsIdentity()), Address, systemName);

    /// <summary>
    /// Makes this unit of work act as <paramref name="actor"/>: the same scope, roles and department, the same name and
    /// address in the audit trail. A background export runs as the person who started it, never as the system.
    /// </summary>
    public void ActAs(Actor actor)
    {
        systemName = actor.SystemName;
        actingAs = actor;
    }

    /// <summary>A unit of work's actor: the user (or the system's name) and the address they called from.</summary>
    public sealed record Actor(ClaimsPrincipal User, string Address, string? SystemName);

    private static string Format(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString();
}
