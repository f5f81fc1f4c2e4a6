using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Audit;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Audit;

public sealed class AuditTrailTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Every_change_is_recorded_with_who_what_and_from_where(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("hj-admin");
        var name = $"审计网格{Guid.NewGuid():N}"[..12];
        var created = await admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = "431281102", kind = "grid", name });
        created.EnsureSuccessStatusCode();

        var record = await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityType == "Division" && a.Changes!.Contains(name)));
        Assert.Equal("create", record.Action);
        Assert.Equal("hj-admin", record.ActorName);
        Assert.NotNull(record.ActorId);
        Assert.StartsWith("431281102G", record.DivisionCode, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", record.Address);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, record.AtUtc, TimeSpan.FromMilliseconds(1));
        Assert.Equal(record.Hash, record.ComputeHash());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_read_of_sensitive_data_is_recorded_in_the_chain_with_nothing_else_saved(string provider)
    {
        var app = await TestApp.Shared(provider);
        var id = Guid.NewGuid().ToString();
        await app.WithDbAsync(async db =>
        {
            db.AuditRead("KeyPerson", id, "410325400", "查看完整身份证号");
            return await db.SaveChangesAsync();
        });
        var record = await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityId == id));
        Assert.Equal("read", record.Action);
        Assert.Equal("KeyPerson", record.EntityType);
        Assert.Equal("test", record.ActorName);
        Assert.Equal("查看完整身份证号", record.Changes);
        Assert.Equal("410325400", record.DivisionCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Audit_records_cannot_be_updated_or_deleted_through_the_database(string provider)
    {
        var app = await TestApp.Shared(provider);
        await app.WithDbAsync<int>(async db =>
        {
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditRecords\" SET \"ActorName\" = 'x' WHERE \"Sequence\" = 1"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 1"));
            return 0;
        });
        var intact = await app.WithDbAsync(db => AuditChain.VerifyAsync(db));
        Assert.True(intact.IsIntact, intact.Reason);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Verify_finds_the_first_changed_or_deleted_record(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var ok = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("audit chain intact", ok.Output, StringComparison.Ordinal);
        var total = await app.WithDbAsync(db => db.AuditRecords.CountAsync());
        Assert.True(total > 20);

        // Someone with database access disables the guard and edits record 7, then deletes record 12.
        var postgres = provider == Databases.Postgres;
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(postgres
            ? "ALTER TABLE \"AuditRecords\" DISABLE TRIGGER USER"
            : "DROP TRIGGER \"AuditRecords_no_update\"; DROP TRIGGER \"AuditRecords_no_delete\";"));
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditRecords\" SET \"ActorName\" = 'nobody' WHERE \"Sequence\" = 7"));
        var changed = await app.WithDbAsync(db => AuditChain.VerifyAsync(db));
        Assert.Equal(7, changed.BrokenAt);
        Assert.Contains("被改动", changed.Reason, StringComparison.Ordinal);

        var cli = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("BROKEN at record 7", cli.Output, StringComparison.Ordinal);

        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditRecords\" SET \"ActorName\" = 'system:start-up' WHERE \"Sequence\" = 7"));
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 12"));
        var deleted = await app.WithDbAsync(db => AuditChain.VerifyAsync(db));
        Assert.Equal(12, deleted.BrokenAt);
        Assert.Contains("被删除", deleted.Reason, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Concurrent_writers_keep_one_unbroken_chain(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var admin = await app.LoginAsync("sx-admin");
        var tasks = Enumerable.Range(0, 12).Select(i =>
            admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = "410325101", kind = "grid", name = $"并发网格{i}" }));
        var responses = await Task.WhenAll(tasks);
        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode));
        var codes = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString()));
        Assert.Equal(12, codes.Distinct().Count());
        var result = await app.WithDbAsync(db => AuditChain.VerifyAsync(db));
        Assert.True(result.IsIntact, result.Reason);
        var sequences = await app.WithDbAsync(db => db.AuditRecords.OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync());
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
    }
}
