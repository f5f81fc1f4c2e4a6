using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Data;

/// <summary>
/// A SQLite connection of the app waits for the write lock inside SQLite (its busy timeout, 30 s), which retries within
/// milliseconds; without it Microsoft.Data.Sqlite sleeps 150 ms between tries, which cost ingestion a fifth of its time
/// and tips their p99 (the alert and tips benchmarks).
/// </summary>
public sealed class SqliteBusyWaitTests
{
    [Fact]
    public async Task Every_connection_of_the_app_waits_for_the_write_lock_inside_sqlite()
    {
        var app = await TestApp.Shared("sqlite");
        // Twice: the first connection opened for the query, and again after it went back to the pool.
        for (var i = 0; i < 2; i++)
        {
            var timeout = await app.WithDbAsync(async db =>
            {
                var connection = db.Database.GetDbConnection();
                await db.Database.OpenConnectionAsync();
                try
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA busy_timeout";
                    return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            });
            Assert.Equal(SqliteBusyWait.Milliseconds, timeout);
        }
    }
}
