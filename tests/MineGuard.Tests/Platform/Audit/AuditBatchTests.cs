using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Files;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Audit;

/// <summary>A bulk change audited as one event: per-row records suspended inside the scope, never lost outside it.</summary>
public sealed class AuditBatchTests
{
    private static StoredFile NewFile(DateTime now) => StoredFile.Create(RandomNumberGenerator.GetBytes(32), "application/octet-stream", "x.bin", now);

    [Theory, OnSqlite, OnPostgres]
    public async Task A_normal_save_is_audited_per_row_and_a_batch_writes_exactly_one_record(string provider)
    {
        var app = await TestApp.Shared(provider);
        var batchId = Guid.NewGuid().ToString();
        var (single, many) = await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var one = NewFile(now);
            db.Add(one);
            await db.SaveChangesAsync();

            var files = Enumerable.Range(0, 3).Select(_ => NewFile(now)).ToList();
            await using var tx = await db.Database.BeginTransactionAsync();
            using (var batch = db.AuditAsBatch("test-batch", "StoredFile", batchId, "410325"))
            {
                db.AddRange(files);
                await db.SaveChangesAsync();
                batch.Complete("3 个文件");
                await db.SaveChangesAsync();
            }
            await tx.CommitAsync();
            return (one.Id.ToString(), files.Select(f => f.Id.ToString()).ToList());
        });

        var records = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityType == "StoredFile").ToListAsync());
        Assert.Single(records, r => r.EntityId == single && r.Action == "create");
        Assert.DoesNotContain(records, r => many.Contains(r.EntityId));
        var batchRecord = Assert.Single(records, r => r.EntityId == batchId);
        Assert.Equal("test-batch", batchRecord.Action);
        Assert.Equal("3 个文件", batchRecord.Changes);
        Assert.Equal("410325", batchRecord.DivisionCode);
        var ids = many.ConvertAll(Guid.Parse);
        Assert.Equal(3, await app.WithDbAsync(db => db.Set<StoredFile>().CountAsync(f => ids.Contains(f.Id))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_batch_whose_event_was_never_written_is_rolled_back(string provider)
    {
        var app = await TestApp.Shared(provider);
        var file = await app.WithDbAsync(async db =>
        {
            var f = NewFile(db.Clock.GetUtcNow().UtcDateTime);
            await using var tx = await db.Database.BeginTransactionAsync();
            using (db.AuditAsBatch("test-batch", "StoredFile", Guid.NewGuid().ToString(), "410325"))
            {
                db.Add(f);
                await db.SaveChangesAsync();
                // Forgot batch.Complete(...): the scope ends and takes the unaudited row with it.
            }
            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => tx.CommitAsync());
            return f;
        });
        Assert.False(await app.WithDbAsync(db => db.Set<StoredFile>().AnyAsync(f => f.Id == file.Id)));

        await app.WithDbAsync<int>(db =>
        {
            Assert.Throws<InvalidOperationException>(() => db.AuditAsBatch("test-batch", "StoredFile", "x", "410325"));
            return Task.FromResult(0);
        });
    }
}
