using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Tests.Infrastructure;
using Npgsql;

namespace MineGuard.Tests.Platform.Data;

/// <summary>
/// A context takes each advisory lock once per transaction (a second take is a round trip that changes nothing), and
/// takes it again in its next transaction: the lock went with the last one's commit. Seen from another connection.
/// </summary>
public sealed class AdvisoryLockTests
{
    [Theory, OnPostgres]
    public async Task A_lock_taken_in_one_transaction_is_taken_again_in_the_next(string provider)
    {
        var app = await TestApp.Shared(provider);
        var part = $"lock-test-{Guid.NewGuid():N}";
        await app.WithDbAsync(async db =>
        {
            await using var other = new NpgsqlConnection(db.Database.GetConnectionString());
            await other.OpenAsync();
            async Task<bool> HeldElsewhere()
            {
                // A transaction-scoped try in its own statement: released at once when it gets the lock.
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@key, hashtext(@part))", other);
                command.Parameters.AddWithValue("key", (int)LockKey.AditNumbers);
                command.Parameters.AddWithValue("part", part);
                return !(bool)(await command.ExecuteScalarAsync())!;
            }

            await using (var first = await db.Database.BeginTransactionAsync())
            {
                await db.LockAsync(LockKey.AditNumbers, part, default);
                await db.LockAsync(LockKey.AditNumbers, part, default);
                Assert.True(await HeldElsewhere());
                await first.CommitAsync();
            }

            Assert.False(await HeldElsewhere());
            await using (var second = await db.Database.BeginTransactionAsync())
            {
                await db.LockAsync(LockKey.AditNumbers, part, default);
                Assert.True(await HeldElsewhere());
                await second.RollbackAsync();
            }

            Assert.False(await HeldElsewhere());
            return 0;
        });
    }
}
