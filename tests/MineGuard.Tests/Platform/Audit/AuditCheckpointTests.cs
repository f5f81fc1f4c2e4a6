using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Platform.Audit;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Audit;

/// <summary>
/// Tampering that the hash chain alone cannot see, done as someone holding the database would (the triggers that
/// refuse UPDATE and DELETE dropped first), is reported by `audit verify` against the signed checkpoints: exit code 2.
/// </summary>
public sealed class AuditCheckpointTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task An_untampered_chain_verifies_and_verify_checkpoints_the_head(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var first = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("audit chain intact", first.Output, StringComparison.Ordinal);
        Assert.Contains("checkpoint written", first.Output, StringComparison.Ordinal);
        var head = await HeadAsync(app);
        var checkpoint = LastCheckpoint(app);
        Assert.Equal(head, checkpoint.Sequence);
        Assert.Equal(await app.WithDbAsync(db => db.AuditRecords.Where(a => a.Sequence == head).Select(a => a.Hash).SingleAsync()), checkpoint.Hash);

        var again = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("checkpoint up to date", again.Output, StringComparison.Ordinal);

        await app.WithDbAsync(db =>
        {
            db.AuditEvent("test", "Checkpoint", "1");
            return db.SaveChangesAsync();
        });
        var moved = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.True(moved.ExitCode == 0, moved.Output);
        Assert.Contains($"checkpoint written: record {head + 1}", moved.Output, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(CheckpointFile(app)).Length);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Deleting_the_newest_record_is_reported_as_truncation(string provider)
    {
        await using var app = await CheckpointedAppAsync(provider);
        var head = await HeadAsync(app);
        await TamperAsync(app, "DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = (SELECT MAX(\"Sequence\") FROM \"AuditRecords\")");

        var result = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("audit chain intact", result.Output, StringComparison.Ordinal); // the chain alone is fooled
        Assert.Contains($"audit trail TRUNCATED", result.Output, StringComparison.Ordinal);
        Assert.Contains($"covers record {head} but the database ends at record {head - 1}", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("checkpoint written", result.Output, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Deleting_the_newest_hundred_records_is_reported_as_truncation(string provider)
    {
        await using var app = await CheckpointedAppAsync(provider);
        var head = await HeadAsync(app);
        Assert.True(head > 100, $"only {head} records");
        await TamperAsync(app, "DELETE FROM \"AuditRecords\" WHERE \"Sequence\" > (SELECT MAX(\"Sequence\") FROM \"AuditRecords\") - 100");

        var result = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"covers record {head} but the database ends at record {head - 100}", result.Output, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Deleting_every_record_is_reported_as_truncation(string provider)
    {
        await using var app = await CheckpointedAppAsync(provider);
        var head = await HeadAsync(app);
        await TamperAsync(app, "DELETE FROM \"AuditRecords\"");

        var result = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("audit trail TRUNCATED", result.Output, StringComparison.Ordinal);
        Assert.Contains($"covers record {head} but the database holds no audit record", result.Output, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Rewriting_a_record_and_recomputing_the_later_hashes_is_reported_as_rechaining(string provider)
    {
        await using var app = await CheckpointedAppAsync(provider);
        var head = await HeadAsync(app);
        await TamperAsync(app);
        var target = head - 10;
        await app.WithDbAsync(db => RewriteAndRechainAsync(db, target));
        var chainOnly = await app.WithDbAsync(db => AuditChain.VerifyAsync(db));
        Assert.True(chainOnly.IsIntact, "the re-chained trail should fool the hash chain alone");

        var result = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("audit trail REWRITTEN", result.Output, StringComparison.Ordinal);
        Assert.Contains($"record {head} does not match the signed checkpoint", result.Output, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_forged_checkpoint_line_is_reported(string provider)
    {
        await using var app = await CheckpointedAppAsync(provider);
        var real = LastCheckpoint(app);
        // Someone who can write the file but holds no key: a checkpoint moved back to fit a truncated trail.
        var forged = real with { Sequence = real.Sequence - 1 };
        await File.AppendAllTextAsync(CheckpointFile(app), forged.ToJson() + "\n");

        var result = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 2: signature does not verify", result.Output, StringComparison.Ordinal);
    }

    [Theory, OnSqlite]
    public async Task The_timer_checkpoints_only_a_moved_head_and_never_a_truncated_chain(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var checkpoints = app.Services.GetRequiredService<AuditCheckpoints>();
        var first = await app.WithDbAsync(db => checkpoints.WriteAsync(db));
        Assert.NotNull(first.Written);
        var unchanged = await app.WithDbAsync(db => checkpoints.WriteAsync(db));
        Assert.Null(unchanged.Written);
        Assert.Null(unchanged.Refused);

        await TamperAsync(app, "DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = (SELECT MAX(\"Sequence\") FROM \"AuditRecords\")");
        await app.WithDbAsync(db =>
        {
            db.AuditEvent("test", "Checkpoint", "after-truncation");
            return db.SaveChangesAsync();
        });
        var refused = await app.WithDbAsync(db => checkpoints.WriteAsync(db));
        Assert.Null(refused.Written);
        Assert.Contains("differs from its signed checkpoint", refused.Refused, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(CheckpointFile(app)));
    }

    [Theory, OnSqlite]
    public async Task The_hosted_timer_writes_checkpoints_on_its_interval(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await using var timed = app.WithWebHostBuilder(b => b.UseSetting("Audit:CheckpointInterval", "00:00:00.200"));
        _ = timed.Server;
        var file = CheckpointFile(app);
        for (var i = 0; i < 100 && !File.Exists(file); i++) await Task.Delay(100);
        Assert.True(File.Exists(file), "no checkpoint written by the timer");
        Assert.Equal(await HeadAsync(app), LastCheckpoint(app).Sequence);
    }

    [Theory, OnSqlite]
    public async Task Each_checkpoint_is_also_posted_to_the_configured_witness(string provider)
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var witness = new System.Net.HttpListener();
        witness.Prefixes.Add($"http://127.0.0.1:{port}/witness/");
        witness.Start();
        var received = Task.Run(async () =>
        {
            var context = await witness.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 204;
            context.Response.Close();
            return body;
        });

        await using var app = await TestApp.StartAsync(provider, demo: false);
        await using var witnessed = app.WithWebHostBuilder(b => b.UseSetting("Audit:WitnessUrl", $"http://127.0.0.1:{port}/witness/"));
        var checkpoints = witnessed.Services.GetRequiredService<AuditCheckpoints>();
        AuditCheckpoints.Outcome written;
        using (var scope = witnessed.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            written = await checkpoints.WriteAsync(db);
        }
        Assert.NotNull(written.Written);
        var body = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(written.Written, AuditCheckpoint.Parse(body));
    }

    internal static async Task<TestApp> CheckpointedAppAsync(string provider)
    {
        var app = await TestApp.StartAsync(provider);
        var verify = await Cli.RunAsync(provider, app.ConnectionString, "audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("checkpoint written", verify.Output, StringComparison.Ordinal);
        return app;
    }

    internal static Task<long> HeadAsync(TestApp app) => app.WithDbAsync(db => db.AuditRecords.MaxAsync(a => a.Sequence));

    internal static string CheckpointFile(TestApp app) => app.Services.GetRequiredService<AuditCheckpoints>().CheckpointFile;

    internal static AuditCheckpoint LastCheckpoint(TestApp app) =>
        AuditCheckpoint.Parse(File.ReadAllLines(CheckpointFile(app)).Last(l => l.Length > 0))!;

    /// <summary>Drops the guard an attacker with the database drops, then runs the statements.</summary>
    internal static async Task TamperAsync(TestApp app, params string[] statements)
    {
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(app.Provider == Databases.Postgres
            ? "ALTER TABLE \"AuditRecords\" DISABLE TRIGGER USER"
            : "DROP TRIGGER IF EXISTS \"AuditRecords_no_update\"; DROP TRIGGER IF EXISTS \"AuditRecords_no_delete\";"));
        foreach (var sql in statements) await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql));
    }

    /// <summary>Changes one record's actor and recomputes its hash and every later one, as a careful attacker would.</summary>
    internal static async Task<int> RewriteAndRechainAsync(AppDbContext db, long sequence)
    {
        var records = await db.AuditRecords.Where(a => a.Sequence >= sequence).OrderBy(a => a.Sequence).ToListAsync();
        var previous = await db.AuditRecords.Where(a => a.Sequence == sequence - 1).Select(a => a.Hash).SingleAsync();
        db.Entry(records[0]).Property(a => a.ActorName).CurrentValue = "nobody";
        foreach (var record in records)
        {
            db.Entry(record).Property(a => a.PreviousHash).CurrentValue = previous;
            db.Entry(record).Property(a => a.Hash).CurrentValue = record.ComputeHash();
            previous = record.Hash;
        }
        return await db.SaveChangesAsync();
    }
}
