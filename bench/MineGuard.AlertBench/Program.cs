using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MineGuard.AlertBench;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Notifications;
using Npgsql;

// Two benchmarks of the alerts issue, printed as figures and as ratios to a baseline measured in the same run:
// 1. event ingestion over HTTP (batches to POST /api/ingest/events, rules, correlation, routing by the background
//    router) on SQLite, and on PostgreSQL when MINEGUARD_BENCH_POSTGRES is set: accepted events per second and the
//    time from an event's arrival to its SMS being in the outbox (p50, p99), against a raw insert of the same rows;
// 2. e-fence position pings against 100,000 zones: pings per second per core, against a scan of every zone.
//   dotnet run -c Release --project bench/MineGuard.AlertBench [-- --adits 1000 --batches 20 --batch 250 --zones 100000 --pings 2000000]
// --engines sqlite,postgres (the default; PostgreSQL only with MINEGUARD_BENCH_POSTGRES set).
List<string> Engines() => BenchDatabase.Engines(args);
int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();
if (args.FirstOrDefault() == "zones")
{
    // Only the e-fence benchmark: dotnet run -c Release --project bench/MineGuard.AlertBench -- zones [--zones 100000 --pings 2000000]
    await ZoneBench.RunAsync(Arg("--zones", 100_000), Arg("--pings", 2_000_000));
    return 0;
}
if (args.FirstOrDefault() == "meter-scale")
{
    // A province's year of meter readings and the daily scan (issue 16): dotnet run -c Release --project bench/MineGuard.AlertBench -- meter-scale
    //   [--meters 1000] [--days 365] [--engines sqlite,postgres]   (the issue's province: --meters 10000 on PostgreSQL)
    var scaleLines = new List<string>();
    foreach (var engine in Engines())
    {
        var (cs, drop) = await BenchDatabase.CreateAsync(engine, "meterscale");
        try
        {
            scaleLines.AddRange(await MeterScaleBench.RunAsync(engine, cs, Arg("--meters", 1000), Arg("--days", 365)));
        }
        finally
        {
            await drop();
        }
    }
    Console.WriteLine($"MineGuard meter scale benchmark, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    foreach (var line in scaleLines) Console.WriteLine(line);
    return 0;
}
if (args.FirstOrDefault() == "import-load")
{
    // A 100,000-row ledger import while events are ingested (issue 21, "SQLite under load"):
    //   dotnet run -c Release --project bench/MineGuard.AlertBench -- import-load [--rows 100000] [--batch 250] [--cameras 2000]
    var loadLines = new List<string>();
    foreach (var engine in Engines()) loadLines.AddRange(await ImportLoadBench.RunAsync(engine, Arg("--rows", 100_000), Arg("--batch", 250), Arg("--cameras", 2000)));
    Console.WriteLine($"MineGuard import under load benchmark, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    foreach (var line in loadLines) Console.WriteLine(line);
    return 0;
}
if (args.FirstOrDefault() == "meters")
{
    // Only the meter readings ingest (issue 16): dotnet run -c Release --project bench/MineGuard.AlertBench -- meters [--meters 200 --days 90]
    var meterLines = new List<string>();
    foreach (var engine in Engines())
    {
        var (cs, drop) = await BenchDatabase.CreateAsync(engine, "meterbench");
        try
        {
            await using var app = await StartAsync(engine, cs);
            meterLines.AddRange(await MeterBench.RunAsync(app.Services, engine, Arg("--meters", 200), Arg("--days", 90)));
        }
        finally
        {
            await drop();
        }
    }
    Console.WriteLine($"MineGuard meter readings benchmark, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    foreach (var line in meterLines) Console.WriteLine(line);
    return 0;
}
var aditCount = Arg("--adits", 1000);
var batches = Arg("--batches", 20);
var batchSize = Arg("--batch", 250);
Console.WriteLine($"MineGuard alert benchmark: {batches} batches of {batchSize} camera events over {aditCount:N0} sealed adits, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

var lines = new List<string>();
foreach (var engine in Engines())
{
    var (cs, drop) = await BenchDatabase.CreateAsync(engine, "alertbench");
    try
    {
        await using var app = await StartAsync(engine, cs);
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The measured cameras, and WarmUpAdits more for the warm-up: a server runs all day, so the ingestion is measured
        // warm, as its baselines are (they run after it, on code it has compiled). A heartbeat alone left the alert paths
        // cold: the first measured batch ran 2-3x the others (JIT), a tenth of the measured time.
        const int WarmUpAdits = 100;
        var (key, arranged) = await ArrangeAsync(app, aditCount + WarmUpAdits);
        var cameras = arranged.Take(aditCount).ToList();
        var warmCameras = arranged.Skip(aditCount).ToList();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var random = new Random(7);
        var plan = Enumerable.Range(0, batches).Select(b => Enumerable.Range(0, batchSize)
            .Select(i => (Id: $"b{b}-e{i}", Camera: cameras[(b * batchSize + i) % cameras.Count])).ToList()).ToList();

        // Warm-up on its own adits: two batches (alerts opened, then events joining them), routed and sent before the clock
        // starts; the figures below count only the measured adits' alerts, SMS and rows.
        for (var w = 0; w < 2; w++)
        {
            await PostAsync(http, Enumerable.Range(0, batchSize).Select(i => (object)new
            {
                id = $"warm-{w}-{i}", type = EventTypes.Camera, deviceId = warmCameras[i % warmCameras.Count], occurredAt = DateTimeOffset.UtcNow.ToString("o"),
                subject = "person",
            }).ToArray());
        }
        await PostAsync(http, [new { id = "warm-heartbeat", type = EventTypes.Heartbeat, deviceId = cameras[0], occurredAt = DateTimeOffset.UtcNow.ToString("o") }]);
        var warmWait = Stopwatch.StartNew();
        while (warmWait.Elapsed < TimeSpan.FromMinutes(5) && await CountAsync(app, async db => await db.Set<SmsMessage>().CountAsync(m => m.Status == SmsStatus.Pending)
                   + await db.Alerts().CountAsync(a => a.RoutedUtc == null && !a.IsDemo)) > 0)
            await Task.Delay(50);
        var (warmAlerts, warmSms, warmAudit) = (await CountAsync(app, db => db.Alerts().CountAsync(a => !a.IsDemo)),
            await CountAsync(app, db => db.Set<SmsMessage>().CountAsync(m => m.SourceType == "alert")),
            await CountAsync(app, db => db.Set<MineGuard.Platform.Audit.AuditRecord>().CountAsync(r => r.Action == "ingest")));

        var arrival = new Dictionary<string, DateTime>();
        var accepted = 0;
        var answered = new List<double>(batches);
        var ingestStartUtc = DateTime.UtcNow;
        Settle();
        var (pauseBefore, allocatedBefore, gcsBefore) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
        var ingest = Stopwatch.StartNew();
        foreach (var batch in plan)
        {
            var events = batch.Select(e => (object)new
            {
                id = e.Id, type = EventTypes.Camera, deviceId = e.Camera, occurredAt = DateTimeOffset.UtcNow.ToString("o"),
                subject = random.Next(3) switch { 0 => "person", 1 => "vehicle", _ => "machine" },
            }).ToArray();
            var at = DateTime.UtcNow;
            foreach (var e in batch) arrival.TryAdd(e.Camera, at);
            var result = await PostAsync(http, events);
            accepted += result.GetProperty("acceptedCount").GetInt32();
            answered.Add((DateTime.UtcNow - at).TotalMilliseconds);
        }
        ingest.Stop();
        var (pauses, allocated, gcs) = (GC.GetTotalPauseDuration() - pauseBefore, GC.GetTotalAllocatedBytes() - allocatedBefore, GC.CollectionCount(0) - gcsBefore);

        // Wait for the router to tell everyone (it was woken by each batch and runs alongside the ingestion).
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(10) && await CountAsync(app, db => db.Alerts().CountAsync(a => a.RoutedUtc == null && !a.IsDemo)) > 0)
            await Task.Delay(50);
        var latencies = await AlertScene.ArrivalToSmsAsync(app, arrival);
        var smsCount = await CountAsync(app, db => db.Set<SmsMessage>().CountAsync(s => s.SourceType == "alert")) - warmSms;

        // The sender hands the outbox to the gateway in the background; let it finish so the baseline runs on a quiet database.
        while (waited.Elapsed < TimeSpan.FromMinutes(10) && await CountAsync(app, db => db.Set<SmsMessage>().CountAsync(s => s.Status == SmsStatus.Pending)) > 0)
            await Task.Delay(50);

        // Baseline: the same event rows (and one SMS row per first signal of an adit) inserted raw, batch by batch, one transaction each.
        var raw = await RawInsertAsync(app, plan, cameras);
        var eventsPerSecond = accepted / ingest.Elapsed.TotalSeconds;
        var rawPerSecond = accepted / raw.TotalSeconds;
        var (allRows, allRaw) = await RawSameRowsAsync(app, ingestStartUtc);
        var allRawPerSecond = accepted / allRaw.TotalSeconds;
        lines.Add($"{engine,-9} ingest over HTTP    {accepted,8:N0} events {ingest.Elapsed.TotalSeconds,7:F2} s {eventsPerSecond,9:N0} ev/s   {eventsPerSecond / rawPerSecond,5:F2}x raw");
        lines.Add($"{engine,-9} raw insert          {accepted,8:N0} rows   {raw.TotalSeconds,7:F2} s {rawPerSecond,9:N0} rows/s (the events, and one SMS per adit)");
        lines.Add($"{engine,-9} raw insert, all     {allRows,8:N0} rows   {allRaw.TotalSeconds,7:F2} s {allRawPerSecond,9:N0} events/s ({eventsPerSecond / allRawPerSecond:F2}x): every row the ingestion stored (events, timeline lines, alerts, deadlines, notifications, SMS), the same rows again, one transaction per ingested batch");
        lines.Add($"{engine,-9} arrival -> SMS in outbox: {latencies.Count:N0} alerts, {smsCount:N0} SMS, p50 {Percentile(latencies, 0.5),7:F0} ms, p99 {Percentile(latencies, 0.99),7:F0} ms, max {latencies.LastOrDefault(),7:F0} ms");
        // The SMS row's CreatedUtc is stamped before its transaction commits; a batch that routes in place has committed
        // its SMS when it answers, so the answer time bounds when they are visible in the outbox.
        answered.Sort();
        lines.Add($"{engine,-9} during the ingestion (this process: app, router, SMS sender, client): {gcs} collections, GC pauses {pauses.TotalMilliseconds:F0} ms, {allocated / 1e6:F0} MB allocated");
        lines.Add($"{engine,-9} arrival -> batch answered (commit): p50 {Percentile(answered, 0.5),7:F0} ms, p99 {Percentile(answered, 0.99),7:F0} ms");
        lines.Add($"{engine,-9} check: {await CountAsync(app, db => db.Alerts().CountAsync(a => !a.IsDemo)) - warmAlerts:N0} alerts for {Math.Min(aditCount, batches * batchSize):N0} adits, audit records for the ingestion: {await CountAsync(app, db => db.Set<MineGuard.Platform.Audit.AuditRecord>().CountAsync(r => r.Action == "ingest")) - warmAudit} (after a warm-up of 2 batches on {WarmUpAdits} other adits: {warmAlerts:N0} alerts, {warmSms:N0} SMS)");
    }
    finally
    {
        await drop();
    }
}
Console.WriteLine();
foreach (var line in lines) Console.WriteLine(line);
await ZoneBench.RunAsync(Arg("--zones", 100_000), Arg("--pings", 2_000_000));
return 0;

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static async Task<JsonElement> PostAsync(HttpClient http, object[] events)
{
    var response = await http.PostAsJsonAsync("/api/ingest/events", new { events });
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ingest failed: {(int)response.StatusCode} {body}");
    return JsonSerializer.Deserialize<JsonElement>(body);
}

static Task<WebApplication> StartAsync(string engine, string cs) => BenchHost.StartAsync(engine, cs);

static Task<T> WithDbAsync<T>(WebApplication app, Func<AppDbContext, Task<T>> work) => BenchHost.WithDbAsync(app.Services, work);

static Task<int> CountAsync(WebApplication app, Func<AppDbContext, Task<int>> count) => WithDbAsync(app, count);

// Sealed adits in 陶村林场's first grid, each with sx-resp named and a camera of one integration.
static async Task<(string Key, List<string> Cameras)> ArrangeAsync(WebApplication app, int count)
{
    var (key, _, cameras) = await AlertScene.ArrangeAsync(app, count, "压测视频平台", "BENCH-CAM-", 926);
    // A real database has its statistics: autovacuum analyses a table within a minute of this many new rows. Without them
    // PostgreSQL plans the ingestion's device-and-adit read for empty tables (a scan of the adits per device: 30 ms a batch).
    using var scope = app.Services.CreateScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("ANALYZE");
    return (key, cameras);
}

// The second baseline: every row the ingestion (and the routing it did) stored, read back, deleted, and inserted again raw
// with the same values, one transaction per ingested batch (rows stamped with the same time), alerts before their lines.
static async Task<(int Rows, TimeSpan Elapsed)> RawSameRowsAsync(WebApplication app, DateTime sinceUtc)
{
    return await WithDbAsync(app, async db =>
    {
        var alerts = await db.Alerts().IgnoreQueryFilters().AsNoTracking().Where(a => !a.IsDemo && a.OpenedUtc >= sinceUtc).ToListAsync();
        var entries = await db.Set<AlertEntry>().IgnoreQueryFilters().AsNoTracking().Where(e => e.AtUtc >= sinceUtc).ToListAsync();
        var events = await db.DeviceEvents().IgnoreQueryFilters().AsNoTracking().Where(e => e.ReceivedUtc >= sinceUtc).ToListAsync();
        var deadlines = await db.Set<MineGuard.Platform.Deadlines.Deadline>().IgnoreQueryFilters().AsNoTracking().Where(d => d.CreatedUtc >= sinceUtc).ToListAsync();
        var notifications = await db.Set<Notification>().IgnoreQueryFilters().AsNoTracking().Where(n => n.CreatedUtc >= sinceUtc).ToListAsync();
        var sms = await db.Set<SmsMessage>().IgnoreQueryFilters().AsNoTracking().Where(m => m.CreatedUtc >= sinceUtc).ToListAsync();
        var smsIds = sms.Select(m => m.Id).ToList();
        await db.Set<MineGuard.Platform.Notifications.SmsAttempt>().IgnoreQueryFilters().Where(a => smsIds.Contains(a.SmsMessageId)).ExecuteDeleteAsync();
        await db.Set<SmsMessage>().IgnoreQueryFilters().Where(m => m.CreatedUtc >= sinceUtc).ExecuteDeleteAsync();
        await db.Set<Notification>().IgnoreQueryFilters().Where(n => n.CreatedUtc >= sinceUtc).ExecuteDeleteAsync();
        await db.Set<MineGuard.Platform.Deadlines.Deadline>().IgnoreQueryFilters().Where(d => d.CreatedUtc >= sinceUtc).ExecuteDeleteAsync();
        await db.DeviceEvents().IgnoreQueryFilters().Where(e => e.ReceivedUtc >= sinceUtc).ExecuteDeleteAsync();
        await db.Set<AlertEntry>().IgnoreQueryFilters().Where(e => e.AtUtc >= sinceUtc).ExecuteDeleteAsync();
        await db.Alerts().IgnoreQueryFilters().Where(a => !a.IsDemo && a.OpenedUtc >= sinceUtc).ExecuteDeleteAsync();
        var stamped = new List<(DateTime At, int Order, object Row)>();
        stamped.AddRange(alerts.Select(r => (r.OpenedUtc, 0, (object)r)));
        stamped.AddRange(deadlines.Select(r => (r.CreatedUtc, 1, (object)r)));
        stamped.AddRange(notifications.Select(r => (r.CreatedUtc, 2, (object)r)));
        stamped.AddRange(sms.Select(r => (r.CreatedUtc, 3, (object)r)));
        stamped.AddRange(events.Select(r => (r.ReceivedUtc, 4, (object)r)));
        stamped.AddRange(entries.Select(r => (r.AtUtc, 5, (object)r)));
        // Each row goes with the ingested batch it came from (the last batch time at or before it; routing done later by
        // the router goes with the batch before it), so there are as many transactions as batches.
        var batchTimes = events.Select(e => e.ReceivedUtc).Distinct().Order().ToList();
        int BatchOf(DateTime at) { var i = batchTimes.BinarySearch(at); return i >= 0 ? i : Math.Max(0, ~i - 1); }
        var groups = stamped.GroupBy(r => BatchOf(r.At)).OrderBy(g => g.Key).Select(g => g.OrderBy(r => r.Order).Select(r => r.Row).ToList()).ToList();
        Settle();
        var watch = Stopwatch.StartNew();
        foreach (var rows in groups)
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.InsertAsync(rows, default);
            await tx.CommitAsync();
        }
        watch.Stop();
        return (stamped.Count, watch.Elapsed);
    });
}

// Before each timed phase: the garbage of what came before (arranging 1,000 adits, the previous phase) is collected, so
// a phase pays for its own collections only (one blocking collection of the arranging's heap took 60-90 ms of a 0.8 s
// ingestion here).
static void Settle()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

static async Task<TimeSpan> RawInsertAsync(WebApplication app, List<List<(string Id, string Camera)>> plan, List<string> cameras)
{
    return await WithDbAsync(app, async db =>
    {
        var keyId = Guid.CreateVersion7();
        Settle();
        var watch = Stopwatch.StartNew();
        var seen = new HashSet<string>();
        foreach (var batch in plan)
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var now = DateTime.UtcNow;
            var rows = new List<object>(batch.Count);
            foreach (var e in batch)
            {
                rows.Add(DeviceEvent.Create(Guid.CreateVersion7(), "410325400G001", keyId, "raw-" + e.Id, EventTypes.Camera, null, now, now, null, null,
                    $$"""{"id":"{{e.Id}}","type":"camera.detection","deviceId":"{{e.Camera}}","subject":"person"}""", null));
                if (seen.Add(e.Camera)) rows.Add(SmsMessage.Create("13800000004", "raw", "410325400G001", null, "raw", null, now));
            }
            await db.InsertAsync(rows, default);
            await tx.CommitAsync();
        }
        watch.Stop();
        return watch.Elapsed;
    });
}

