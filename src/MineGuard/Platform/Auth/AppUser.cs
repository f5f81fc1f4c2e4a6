using Microsoft.AspNetCore.Identity;

namespace MineGuard.Platform.Auth;

/// <summary>A person who logs in: belongs to one department and one jurisdiction node (scope).</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>The division code of the user's scope: they see this node and everything below it.</summary>
    public string DivisionCode { get; set; } = "";

    public string DepartmentCode { get; set; } = "";

    /// <summary>Part of the demo data set (演示数据).</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedUtc { get; set; }

    public bool IsDisabled { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() { }

    public AppRole(string name) : base(name) => NormalizedName = name.ToUpperInvariant();
}
