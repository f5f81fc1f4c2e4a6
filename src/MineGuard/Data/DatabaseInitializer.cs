using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Data;

/// <summary>Brings the database to the current schema and reference data; with demo on, loads the demo set once.</summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, IConfiguration config, ILogger<DatabaseInitializer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        await PrepareAsync(scope.ServiceProvider, log, ct);
        // Make (or load) the data-protection key now, outside any transaction: it is written on its own connection.
        scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("MineGuard.Startup").Protect([1]);
        if (!config.GetValue("Demo:Enabled", true))
        {
            if (!await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.AnyAsync(ct))
            {
                Console.WriteLine("尚无用户。请先创建管理员 / No users yet. Create the first administrator with:");
                Console.WriteLine("  dotnet run --project src/MineGuard -- user add-admin --username admin --scope 410325 --name 管理员");
            }
            return;
        }
        // The demo users are listed by the start-up banner, once the server listens (StartupBanner).
        await Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Schema, departments, divisions and roles: what every start and every CLI verb needs.</summary>
    public static async Task PrepareAsync(IServiceProvider services, ILogger log, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:start-up");
        var applied = await SchemaMigrator.MigrateAsync(db, ct);
        if (applied.Count > 0) log.LogInformation("Applied schema scripts {Scripts}", string.Join(", ", applied));
        var seeded = await DivisionSeeder.SeedAsync(db, ct);
        if (seeded > 0) log.LogInformation("Loaded {Count} division codes", seeded);
        // Two nodes starting at the same moment: one creates the roles, the other waits and finds them (before, both
        // inserted and one logged a unique-key error for each role).
        var roles = services.GetRequiredService<RoleManager<AppRole>>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(LockKey.Schema, ct);
        foreach (var (name, _) in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name)) await roles.CreateAsync(new AppRole(name));
        }
        await tx.CommitAsync(ct);
    }
}
