using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Bench;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.AlertBench;

/// <summary>
/// <c>dotnet run -c Release --project bench/MineGuard.AlertBench -- import-load [--rows 100000] [--batch 250] [--cameras 2000]</c>
/// (issue 21, "SQLite under load"): the ledger benchmark's fixed .xlsx of 嵩县 adits (<see cref="LedgerGenerator"/>, the
/// file <c>bench/MineGuard.Bench -- import</c> caches) imported while an integration posts camera batches to
/// <c>/api/ingest/events</c> without pause, on SQLite and on PostgreSQL when MINEGUARD_BENCH_POSTGRES is set. Each engine
/// runs twice on fresh databases: alone (the ingest for as long as the import took, then the import) and together;
/// printed: events sent and stored, SMS in the outbox, ingest ev/s during the import against alone, arrival → SMS in the
/// outbox p50/p99 (an adit's first event to its first SMS) in both, and the import's seconds against alone.
/// </summary>
internal static class ImportLoadBench
{
    private sealed record Phase(int Sent, int Stored, int Sms, double IngestSeconds, List<double> Latencies, double ImportSeconds, string Import);

    public static async Task<List<string>> RunAsync(string engine, int rows, int batchSize, int cameraCount)
    {
        var alone = await OnFreshDatabaseAsync(engine, rows, batchSize, cameraCount, together: false);
        var together = await OnFreshDatabaseAsync(engine, rows, batchSize, cameraCount, together: true);
        var lines = new List<string>();
        foreach (var (name, p) in new[] { ("alone", alone), ("during import", together) })
        {
            lines.Add($"{engine,-9} ingest {name,-14} {p.Sent,7:N0} sent {p.Stored,7:N0} stored {p.Sms,6:N0} SMS {p.IngestSeconds,7:F1} s {p.Sent / p.IngestSeconds,7:N0} ev/s; " +
                $"arrival -> SMS in outbox p50 {Percentile(p.Latencies, 0.5),6:F0} ms, p99 {Percentile(p.Latencies, 0.99),6:F0} ms ({p.Latencies.Count:N0} alerts)");
        }
        lines.Add($"{engine,-9} import alone {alone.ImportSeconds,7:F1} s, under ingest {together.ImportSeconds,7:F1} s ({together.ImportSeconds / alone.ImportSeconds:F2}x): {together.Import}");
        lines.Add($"{engine,-9} ingest during the import: {together.Sent / together.IngestSeconds / (alone.Sent / alone.IngestSeconds):F2}x alone; " +
            $"every event stored: {(together.Stored == together.Sent && alone.Stored == alone.Sent ? "yes" : "NO")}");
        return lines;
    }

    private static async Task<Phase> OnFreshDatabaseAsync(string engine, int rows, int batchSize, int cameraCount, bool together)
    {
        var (cs, drop) = await BenchDatabase.CreateAsync(engine, together ? "hload_together" : "hload_alone");
        try
        {
            await using var app = await BenchHost.StartAsync(engine, cs);
            var file = await LedgerFileAsync(app, rows);
            // One camera more than measured: its alert warms the path (the JIT, the queries' plans, routing in place), so
            // the first measured batch is not a cold start; it is left out of the latencies.
            var (key, keyId, arranged) = await AlertScene.ArrangeAsync(app, cameraCount + 1, "导入压测视频平台", "IL-CAM-", 921);
            var cameras = arranged[..cameraCount];
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            var warm = await http.PostAsJsonAsync("/api/ingest/events", new
            {
                events = new[] { new { id = "il-warm", type = EventTypes.Camera, deviceId = arranged[^1], occurredAt = DateTimeOffset.UtcNow.ToString("o"), subject = "person" } },
            });
            if (!warm.IsSuccessStatusCode) throw new InvalidOperationException($"warm-up failed: {(int)warm.StatusCode}");

            var arrival = new Dictionary<string, DateTime>();
            var sent = 0;
            var batch = 0;
            async Task PostBatchAsync()
            {
                var at = DateTime.UtcNow;
                var events = Enumerable.Range(0, batchSize).Select(i =>
                {
                    var camera = cameras[(batch * batchSize + i) % cameras.Count];
                    arrival.TryAdd(camera, at);
                    return (object)new { id = $"il-{batch}-{i}", type = EventTypes.Camera, deviceId = camera, occurredAt = DateTimeOffset.UtcNow.ToString("o"), subject = "person" };
                }).ToArray();
                batch++;
                var response = await http.PostAsJsonAsync("/api/ingest/events", new { events });
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ingest failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                sent += events.Length;
            }

            double importSeconds, ingestSeconds;
            string imported;
            if (together)
            {
                var import = Task.Run(() => ImportAsync(app, file));
                var clock = Stopwatch.StartNew();
                while (!import.IsCompleted) await PostBatchAsync();
                ingestSeconds = clock.Elapsed.TotalSeconds;
                (importSeconds, imported) = await import;
            }
            else
            {
                // The same number of batches the import's length allows at this pace is unknown beforehand: ingest for 20 s.
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < TimeSpan.FromSeconds(20)) await PostBatchAsync();
                ingestSeconds = clock.Elapsed.TotalSeconds;
                (importSeconds, imported) = await ImportAsync(app, file);
            }

            // Alerts the router (not the ingestion) routes: let it finish before reading the outbox.
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromMinutes(5) && await BenchHost.WithDbAsync(app.Services, db => db.Alerts().CountAsync(a => a.RoutedUtc == null && !a.IsDemo)) > 0)
                await Task.Delay(100);
            var latencies = await AlertScene.ArrivalToSmsAsync(app, arrival);
            var stored = await BenchHost.WithDbAsync(app.Services, db => db.DeviceEvents().CountAsync(e => e.ApiKeyId == keyId && e.ExternalId != "il-warm"));
            var sms = await BenchHost.WithDbAsync(app.Services, db => db.Set<SmsMessage>().CountAsync(s => s.SourceType == "alert"));
            return new Phase(sent, stored, sms, ingestSeconds, latencies, importSeconds, imported);
        }
        finally
        {
            await drop();
        }
    }

    /// <summary>The ledger benchmark's file for this many rows (generated once, then taken from the temp folder).</summary>
    private static async Task<string> LedgerFileAsync(WebApplication app, int rows)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mineguard-bench-{rows}-{LedgerGenerator.Seed}-{LedgerGenerator.Version}.xlsx");
        if (File.Exists(file)) return file;
        var (county, townships) = await BenchHost.WithDbAsync(app.Services, async db =>
        {
            var county = await db.Divisions.AsNoTracking().SingleAsync(d => d.Code == "410325");
            var townships = await db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(county.Code)).Where(d => d.Level == DivisionLevel.Township)
                .ToDictionaryAsync(d => d.Code, d => d.Name);
            return (county, townships);
        });
        var partial = file + ".part";
        await using (var output = File.Create(partial))
            LedgerGenerator.Write(output, rows, PreparedGeometryFactory.Prepare(GeoJson.ReadFirstGeometry(county.BoundaryGeoJson!)), LedgerGenerator.Places(county.Code, townships));
        File.Move(partial, file, overwrite: true);
        return file;
    }

    /// <summary>The import as the CLI runs it (as the system, no session), timed.</summary>
    private static async Task<(double Seconds, string Result)> ImportAsync(WebApplication app, string file)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("bench");
        var county = await db.Divisions.AsNoTracking().SingleAsync(d => d.Code == "410325");
        LedgerLayout layout;
        await using (var head = File.OpenRead(file)) layout = LedgerImport.Propose(new AditLedger(), head, file);
        await using var stream = File.OpenRead(file);
        var clock = Stopwatch.StartNew();
        var result = await scope.ServiceProvider.GetRequiredService<LedgerImport>()
            .ImportAsync(new AditLedger(), county, JurisdictionScope.Of(county.Code), stream, file, layout, ValueMap.None, county.Code, null, default);
        var seconds = clock.Elapsed.TotalSeconds;
        var adits = await db.Adits().CountAsync(a => a.ImportBatchId == result.Batch!.Id);
        return (seconds, $"{result.Batch?.RowsImported ?? 0:N0} imported, {result.Summary.Invalid:N0} rejected, {adits:N0} adits of the batch in the registry");
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
