using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Data;

/// <summary>
/// Contexts are pooled: the next unit of work may get the very object the last one used. It must get none of that unit's
/// user, queued audit records or transaction state.
/// </summary>
public sealed class PooledContextTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_returned_context_forgets_its_user_and_comes_back_without_the_last_units_audit_records(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, demo: false);
        Assert.IsType<PooledDbContextFactory<AppDbContext>>(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var probe = Guid.NewGuid().ToString();

        AppDbContext first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            first.CurrentUser.ActAsSystem("test");
            first.AuditEvent("test", "PoolProbe", probe); // queued, never saved
        }
        Assert.Throws<InvalidOperationException>(() => first.CurrentUser);

        // Rent until the pool hands the same object out again (FIFO: the others it holds come first).
        var held = new List<AsyncServiceScope>();
        try
        {
            AppDbContext? again = null;
            for (var i = 0; i < 2_000 && again is null; i++)
            {
                var scope = app.Services.CreateAsyncScope();
                held.Add(scope);
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                if (ReferenceEquals(db, first)) again = db;
            }
            Assert.NotNull(again);
            again.CurrentUser.ActAsSystem("test");
            Assert.Equal("test", again.CurrentUser.Name);
            again.AuditEvent("test", "PoolProbe", probe + "-second");
            await again.SaveChangesAsync();
        }
        finally
        {
            foreach (var scope in held) await scope.DisposeAsync();
        }

        var written = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityType == "PoolProbe").Select(a => a.EntityId).ToListAsync());
        Assert.Equal([probe + "-second"], written);
    }
}
