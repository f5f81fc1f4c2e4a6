using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Imports;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// Issue 21, "SQLite under load": a ledger import commits in chunks, so events keep being ingested and alerts routed
/// while it runs; and an import that fails part-way leaves nothing imported and can be confirmed again.
/// </summary>
public sealed class ImportUnderLoadTests
{
    private static readonly string[] Headers = ["编号", "乡镇", "经度", "纬度"];

    private static int ValidOf(JsonElement session, int rows)
    {
        var valid = session.GetProperty("summary").GetProperty("valid").GetInt32();
        Assert.InRange(valid, rows - 5, rows);
        return valid;
    }

    private static (byte[] File, string[] Numbers) LedgerOf(int rows)
    {
        var numbers = Enumerable.Range(0, rows).Select(_ => Spots.Unique("LOAD")).ToArray();
        var file = Ledger.Xlsx(Headers, numbers.Select(n =>
        {
            var p = Spots.Next();
            return new object?[] { n, "城关镇", Math.Round(p.Lon, 6), Math.Round(p.Lat, 6) };
        }).ToList());
        return (file, numbers);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Events_ingested_during_a_chunked_import_are_all_stored_and_routed_and_the_import_is_whole(string provider)
    {
        var chunks = 0;
        // After its first chunk the import waits (up to a minute) for an ingest batch to be answered, so a loaded machine
        // cannot finish the whole import before the first batch is even sent. An ingestion that the import blocks is
        // still caught: no batch is answered during the wait, and none before the import ends.
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(provider,
            services: s => s.Configure<ImportOptions>(o => o.AfterChunk = async (_, _, _) =>
            {
                if (Interlocked.Increment(ref chunks) == 1) await Task.WhenAny(answered.Task, Task.Delay(TimeSpan.FromMinutes(1)));
            }),
            settings: new Dictionary<string, string?> { ["Imports:CommitRows"] = "200" });
        var resp = await UserIdAsync(app, "sx-resp");
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var cameras = new List<(Guid Adit, string Camera)>();
        for (var i = 0; i < 10; i++)
        {
            var adit = await AditAsync(app, resp);
            cameras.Add((adit.Id, (await DeviceAsync(office, "camera", keyId, adit.Id)).GetProperty("code").GetString()!));
        }

        const int rows = 3000;
        var (file, numbers) = LedgerOf(rows);
        var session = await Ledger.SessionAsync(office, file, "大台账.xlsx");
        // A random spot within 20 m of a demo adit is refused now and then: the import is checked against what the check accepted.
        var valid = ValidOf(session, rows);

        var confirm = office.PostAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/confirm", null);
        var sent = 0;
        var answeredDuringImport = 0;
        for (var b = 0; b < 200 && (b < 3 || !confirm.IsCompleted); b++)
        {
            var events = Enumerable.Range(0, 20).Select(i => Event(EventTypes.Camera, cameras[(b + i) % cameras.Count].Camera,
                new { subject = "person" }, id: $"load-{b}-{i}-{keyId:N}")).ToArray();
            var result = await IngestAsync(integration, events);
            Assert.Equal(events.Length, result.GetProperty("acceptedCount").GetInt32());
            sent += events.Length;
            if (!confirm.IsCompleted)
            {
                answeredDuringImport++;
                answered.TrySetResult();
            }
        }
        var response = await confirm;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.True(chunks >= rows / 200 - 1, $"{chunks} chunks committed");
        Assert.True(answeredDuringImport > 0, "no ingest batch was answered while the import ran");

        // Every event stored; every camera's adit has its alert, routed, with its SMS in the outbox.
        Assert.Equal(sent, await app.WithDbAsync(db => db.DeviceEvents().CountAsync(e => e.ApiKeyId == keyId)));
        await RunJobsAsync(app);
        foreach (var (aditId, _) in cameras)
        {
            var alert = await AlertOfAsync(app, aditId);
            Assert.NotNull(alert.RoutedUtc);
            Assert.Contains(await SmsForAsync(app, alert.Id), s => s.UserId == resp);
        }

        // The import is whole: every row, the batch's counts, one audit record, the session imported.
        var batch = JsonDocument.Parse(body).RootElement;
        Assert.Equal((rows, valid, rows - valid), (batch.GetProperty("rowsRead").GetInt32(), batch.GetProperty("rowsImported").GetInt32(), batch.GetProperty("rowsRejected").GetInt32()));
        var batchId = Guid.Parse(batch.GetProperty("id").GetString()!);
        Assert.Equal(valid, await app.WithDbAsync(db => db.Adits().CountAsync(a => a.ImportBatchId == batchId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditRecords.CountAsync(r => r.EntityId == batchId.ToString())));
        Assert.Equal("imported", (await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{session.GetProperty("id").GetString()}")).GetProperty("status").GetString());
        var listed = await office.GetFromJsonAsync<JsonElement>($"/api/imports/{batchId}");
        Assert.Equal(rows - valid, listed.GetProperty("rejected").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_import_failing_after_its_first_chunk_leaves_nothing_imported_and_can_be_confirmed_again(string provider)
    {
        var fail = true;
        await using var app = await TestApp.StartAsync(provider,
            services: s => s.Configure<ImportOptions>(o => o.AfterChunk = (_, written, _) =>
                fail && written >= 100 ? throw new InvalidOperationException("injected fault after the first chunk") : Task.CompletedTask),
            settings: new Dictionary<string, string?> { ["Imports:CommitRows"] = "100" });
        var office = await app.LoginAsync("sx-office");
        const int rows = 350;
        var (file, numbers) = LedgerOf(rows);
        var session = await Ledger.SessionAsync(office, file, "会失败的台账.xlsx");
        var valid = ValidOf(session, rows);
        var id = session.GetProperty("id").GetString();

        var audited = await app.WithDbAsync(db => db.AuditRecords.CountAsync(r => r.Action == "import"));
        var failed = await office.PostAsync($"/api/imports/sessions/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        // Nothing of it is left: no adit, no batch, no audit record; the session is pending again.
        Assert.Equal(0, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportBatch>().CountAsync(b => b.FileName == "会失败的台账.xlsx")));
        Assert.Equal(audited, await app.WithDbAsync(db => db.AuditRecords.CountAsync(r => r.Action == "import")));
        var pending = await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{id}");
        Assert.Equal("pending", pending.GetProperty("status").GetString());

        // Confirmed again (the fault gone), it imports every row once; a third confirmation is refused.
        fail = false;
        var batch = await Ledger.ConfirmAsync(office, session);
        Assert.Equal(valid, batch.GetProperty("rowsImported").GetInt32());
        Assert.Equal(valid, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        Assert.Equal(audited + 1, await app.WithDbAsync(db => db.AuditRecords.CountAsync(r => r.Action == "import")));
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsync($"/api/imports/sessions/{id}/confirm", null)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_import_whose_node_stopped_is_swept_once_its_heartbeat_is_stale_and_the_session_can_be_confirmed_again(string provider)
    {
        // The "stopped node": its import hangs after the first chunk until the test lets it go (and then dies).
        var hang = true;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(provider,
            services: s => s.Configure<ImportOptions>(o => o.AfterChunk = async (_, written, _) =>
            {
                if (!hang || written < 100) return;
                reached.TrySetResult();
                await gate.Task;
                throw new InvalidOperationException("the node stopped");
            }),
            settings: new Dictionary<string, string?> { ["Imports:CommitRows"] = "100", ["Imports:SweepIntervalSeconds"] = "3600" });
        var office = await app.LoginAsync("sx-office");
        const int rows = 250;
        var (file, numbers) = LedgerOf(rows);
        var session = await Ledger.SessionAsync(office, file, "中断的台账.xlsx");
        var valid = ValidOf(session, rows);
        var id = session.GetProperty("id").GetString();
        var sweep = app.Services.GetRequiredService<ImportSweep>();

        var stopped = office.PostAsync($"/api/imports/sessions/{id}/confirm", null);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // Part-way: the first chunk's rows are in the registry, the batch is listed as importing and cannot be read or undone.
        Assert.Equal(100, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        var listed = (await office.GetFromJsonAsync<JsonElement>("/api/imports")).EnumerateArray()
            .Single(b => b.GetProperty("fileName").GetString() == "中断的台账.xlsx");
        Assert.Equal(ImportBatch.Importing, listed.GetProperty("status").GetString());
        var batchId = listed.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/imports/{batchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsync($"/api/imports/{batchId}/undo", null)).StatusCode);

        // Alive (heartbeat fresh): the sweep leaves it.
        Assert.Equal(0, await sweep.RunOnceAsync(CancellationToken.None));
        Assert.Equal(100, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));

        // Ten minutes later (the setting's default is 300 s), no chunk since: the sweep takes it back. The clock moves
        // rather than the heartbeat being written back: rows newer than the heartbeat would be taken for changed since.
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await sweep.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportBatch>().CountAsync(b => b.FileName == "中断的台账.xlsx")));
        Assert.DoesNotContain((await office.GetFromJsonAsync<JsonElement>("/api/imports")).EnumerateArray(),
            b => b.GetProperty("fileName").GetString() == "中断的台账.xlsx");
        var pending = await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{id}");
        Assert.Equal("pending", pending.GetProperty("status").GetString());

        // Confirmed again, it imports every row once; the stopped import, let go, dies and takes nothing of the new one.
        hang = false;
        var batch = await Ledger.ConfirmAsync(office, session);
        Assert.Equal(valid, batch.GetProperty("rowsImported").GetInt32());
        Assert.Equal(ImportBatch.Done, batch.GetProperty("status").GetString());
        gate.SetResult();
        Assert.Equal(HttpStatusCode.InternalServerError, (await stopped).StatusCode);
        Assert.Equal(valid, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        Assert.Equal("imported", (await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{id}")).GetProperty("status").GetString());
        var finished = await app.WithDbAsync(db => db.Set<ImportBatch>().AsNoTracking().SingleAsync(b => b.FileName == "中断的台账.xlsx"));
        Assert.True(finished.StartedUtc <= finished.CreatedUtc);
        Assert.NotNull(finished.HeartbeatUtc);
    }

    [Fact]
    public void A_busy_database_is_told_from_other_failures()
    {
        var busy = new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);
        Assert.True(MineGuard.Data.DatabaseBusy.Is(busy));
        Assert.True(MineGuard.Data.DatabaseBusy.Is(new DbUpdateException("save", busy)));
        Assert.False(MineGuard.Data.DatabaseBusy.Is(new Microsoft.Data.Sqlite.SqliteException("constraint", 19)));
        Assert.False(MineGuard.Data.DatabaseBusy.Is(new InvalidOperationException("other")));
        // PostgreSQL's deadlock victim and serialization failure (wrapped by the retry strategy) rolled back whole too.
        Assert.True(MineGuard.Data.DatabaseBusy.Is(new InvalidOperationException("transient", new Npgsql.PostgresException("deadlock detected", "ERROR", "ERROR", "40P01"))));
        Assert.True(MineGuard.Data.DatabaseBusy.Is(new Npgsql.PostgresException("could not serialize access", "ERROR", "ERROR", "40001")));
        Assert.False(MineGuard.Data.DatabaseBusy.Is(new Npgsql.PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
    }
}
