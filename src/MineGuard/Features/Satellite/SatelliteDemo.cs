using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Satellite;

/// <summary>The province's demo user: Henan's office, which imports satellite patch batches and reviews the counties' findings.</summary>
public sealed class SatelliteDemo : IDemoData
{
    public int Order => 910;

    IReadOnlyList<DemoUser> IDemoData.Users => Users;

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("ha-office", Roles.Office, "河南省自然资源厅卫片执法 韩雪", "41", "natural-resources"),
    ];

    public Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct) => Task.CompletedTask;
}
