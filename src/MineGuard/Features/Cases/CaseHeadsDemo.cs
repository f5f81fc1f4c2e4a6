using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Cases;

/// <summary>
/// The head of each demo county's natural-resources bureau (机关负责人), who decides whether a case goes to the police
/// (国务院令第310号 art. 5: within 3 days of the report). Users only; the demo cases are elsewhere.
/// </summary>
public sealed class CaseHeadsDemo : IDemoData
{
    public int Order => DemoLoader.AfterCommit + 20;

    IReadOnlyList<DemoUser> IDemoData.Users => Users;

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("sx-head", Roles.Head, "嵩县自然资源局局长 陈刚", "410325", "natural-resources"),
        new("hj-head", Roles.Head, "洪江市自然资源局局长 唐勇", "431281", "natural-resources"),
    ];

    public Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct) =>
        Task.CompletedTask;
}
