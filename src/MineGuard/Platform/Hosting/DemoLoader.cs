using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Hosting;

/// <summary>A demo user: made by the demo loader before any part's data, with <see cref="DemoLoader.Password"/>.</summary>
public sealed record DemoUser(string UserName, string Role, string DisplayName, string DivisionCode, string Department);

/// <summary>
/// A feature's part of the demo data set (演示数据), found by reflection like <see cref="IFeature"/>, so each feature
/// brings its own demo rows and the loader depends on none of them. Parts run in <see cref="Order"/>; those before
/// <see cref="DemoLoader.AfterCommit"/> share one transaction (all or nothing), the later ones run after it commits
/// (work that writes on another connection, such as encrypting ID numbers with a new key).
/// </summary>
public interface IDemoData
{
    int Order { get; }

    /// <summary>The demo users this part brings (made by the first part, which owns the demo divisions they live in).</summary>
    IReadOnlyList<DemoUser> Users => [];

    /// <summary>Loads the part into a database that had no users; <paramref name="users"/> maps demo user names to ids.</summary>
    Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct);

    /// <summary>Run at every later start-up: dated demo records brought up to the current period.</summary>
    Task BringUpToDateAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct) =>
        Task.CompletedTask;
}

/// <summary>Loads the demo set into an empty database once (several nodes starting together load it once).</summary>
public static class DemoLoader
{
    public const string Password = "Demo2026-mg";

    /// <summary>Parts ordered at or after this run after the shared transaction commits.</summary>
    public const int AfterCommit = 1000;

    private static readonly IDemoData[] Parts = typeof(DemoLoader).Assembly.GetTypes()
        .Where(t => t is { IsInterface: false, IsAbstract: false } && typeof(IDemoData).IsAssignableFrom(t))
        .Select(t => (IDemoData)Activator.CreateInstance(t)!)
        .OrderBy(p => p.Order).ThenBy(p => p.GetType().FullName, StringComparer.Ordinal).ToArray();

    /// <summary>Every demo user of every part, in a fixed order.</summary>
    public static IReadOnlyList<DemoUser> AllUsers { get; } = [.. Parts.SelectMany(p => p.Users)];

    /// <summary>Loads the demo set if the database has no users yet; returns the demo users present.</summary>
    public static async Task<IReadOnlyList<DemoUser>> SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        // Bringing the demo up to date moves alerts and deadlines that the escalation job may be moving at the same
        // moment; PostgreSQL then picks one of the two as a deadlock victim. Ours starts again from a clean slate.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SeedOnceAsync(services, ct);
            }
            catch (Exception e) when (attempt < 3 && IsDeadlock(e))
            {
                services.GetRequiredService<AppDbContext>().ChangeTracker.Clear();
            }
        }
    }

    private static bool IsDeadlock(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { SqlState: "40P01" }) return true;
        }
        return false;
    }

    private static async Task<IReadOnlyList<DemoUser>> SeedOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:demo");
        // Nodes starting together load the demo set once: the first takes the lock, the others then find users.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Wait for the loading node however long it takes (a loaded machine takes minutes), not for one command
        // timeout: polled, so no single statement waits on the lock.
        while (!await db.TryLockAsync(LockKey.Demo, ct))
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        if (await db.Users.AnyAsync(ct))
        {
            var present = await DemoUsersAsync(db, ct);
            // A demo loaded weeks ago still opens on the current period: its dated records are brought up to today.
            if (present.Count > 0)
            {
                foreach (var part in Parts) await part.BringUpToDateAsync(services, db, present, ct);
            }
            await tx.CommitAsync(ct);
            return AllUsers.Where(u => present.ContainsKey(u.UserName)).ToList();
        }

        foreach (var part in Parts.Where(p => p.Order < AfterCommit))
        {
            await part.SeedAsync(services, db, await DemoUsersAsync(db, ct), ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        foreach (var part in Parts.Where(p => p.Order >= AfterCommit))
        {
            await part.SeedAsync(services, db, await DemoUsersAsync(db, ct), ct);
            await db.SaveChangesAsync(ct);
        }
        return AllUsers;
    }

    private static Task<Dictionary<string, Guid>> DemoUsersAsync(AppDbContext db, CancellationToken ct) =>
        db.Users.Where(u => u.IsDemo).ToDictionaryAsync(u => u.UserName!, u => u.Id, ct);
}
