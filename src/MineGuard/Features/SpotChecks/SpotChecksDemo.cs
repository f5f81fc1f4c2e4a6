using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.SpotChecks;

/// <summary>The drawing level's demo users: Luoyang's office, which draws spot checks over its counties, and its discipline commission.</summary>
public sealed class SpotChecksDemo : IDemoData
{
    public int Order => 900;

    IReadOnlyList<DemoUser> IDemoData.Users => Users;

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("ly-office", Roles.Office, "洛阳市打非办 程远", "4103", "natural-resources"),
        new("ly-discipline", Roles.Department, "洛阳市纪委监委 白洁", "4103", Department.Discipline),
    ];

    public Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct) => Task.CompletedTask;
}
