using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.ImportBench;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;

// Times the ledger import of a fixed 100,000-row .xlsx of 嵩县 adits on SQLite, and on PostgreSQL when
// MINEGUARD_BENCH_POSTGRES holds a connection string (a user who may create databases). Three phases per engine,
// each on the same file: reading the sheet alone (the baseline the import is quoted against), parse + validate
// (the preview and --dry-run), and parse + validate + insert in one transaction (the import).
//   dotnet run -c Release --project bench/MineGuard.ImportBench [-- --rows 100000]
var rows = args.Length >= 2 && args[0] == "--rows" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var file = Path.Combine(Path.GetTempPath(), $"mineguard-bench-{rows}-{LedgerGenerator.Seed}.xlsx");
var engines = new List<string> { "sqlite" };
if (Environment.GetEnvironmentVariable("MINEGUARD_BENCH_POSTGRES") is { Length: > 0 }) engines.Add("postgres");

Console.WriteLine($"MineGuard ledger import benchmark: {rows:N0} adits of 嵩县 (seed {LedgerGenerator.Seed}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var results = new List<string>();
foreach (var engine in engines)
{
    var (connectionString, drop) = await BenchDatabase.CreateAsync(engine, "bench");
    try
    {
        await using var app = Host(engine, connectionString);
        var county = await PrepareAsync(app);
        if (!File.Exists(file))
        {
            var generated = Stopwatch.StartNew();
            await using (var output = File.Create(file)) LedgerGenerator.Write(output, rows, PreparedGeometryFactory.Prepare(GeoJson.ReadFirstGeometry(county.BoundaryGeoJson!)));
            Console.WriteLine($"generated {file} ({new FileInfo(file).Length / 1e6:F1} MB) in {generated.Elapsed.TotalSeconds:F1} s");
        }
        var scope = JurisdictionScope.Of(county.Code);

        // One unmeasured pass first, so that the baseline is not charged for compiling the reader or warming the file cache.
        ReadSheet(file);
        var read = await Measure(() => Task.FromResult(ReadSheet(file)));
        var check = await Measure(() => WithLedgerAsync(app, file, async (ledger, stream, layout) =>
        {
            var summary = await ledger.CheckAsync(new AditLedger(), county, scope, stream, file, layout, ValueMap.None, LedgerImport.ListedErrors, default);
            return $"{summary.Valid:N0} valid, {summary.Invalid:N0} invalid";
        }));
        var import = await Measure(() => WithLedgerAsync(app, file, async (ledger, stream, layout) =>
        {
            var result = await ledger.ImportAsync(new AditLedger(), county, scope, stream, file, layout, ValueMap.None, county.Code, null, default);
            return $"{result.Batch?.RowsImported ?? 0:N0} imported, {result.Summary.Invalid:N0} rejected";
        }));
        var verified = await VerifyAsync(app, rows);

        foreach (var (phase, m) in new[] { ("read sheet (baseline)", read), ("parse + validate", check), ("parse + validate + insert", import) })
        {
            results.Add($"{engine,-9} {phase,-26} {m.Seconds,8:F2} {rows / m.Seconds,10:N0} {m.Seconds / read.Seconds,7:F1}x {m.PeakMb,10:F0} {m.HeapMb,10:F0}   {m.Note}");
        }
        results.Add($"{engine,-9} check: {verified}");
    }
    finally
    {
        await drop();
    }
}
Console.WriteLine();
Console.WriteLine($"{"engine",-9} {"phase",-26} {"seconds",8} {"rows/s",10} {"vs read",8} {"peak WS MB",10} {"heap MB",10}");
foreach (var line in results) Console.WriteLine(line);
Console.WriteLine($"process peak working set (whole run, incl. file generation): {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
return 0;

static string ReadSheet(string file)
{
    using var stream = File.OpenRead(file);
    var cells = 0L;
    foreach (var row in SheetReader.Read(stream, file)) cells += row.Cells.Length;
    return $"{cells:N0} cells";
}

static WebApplication Host(string engine, string connectionString)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = engine == "postgres" ? "Postgres" : "Sqlite",
        [engine == "postgres" ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"] = connectionString,
        ["Demo:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    });
    builder.AddMineGuard();
    return builder.Build();
}

static async Task<Division> PrepareAsync(WebApplication app)
{
    using var scope = app.Services.CreateScope();
    await DatabaseInitializer.PrepareAsync(scope.ServiceProvider, app.Logger, default);
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    return await db.Divisions.AsNoTracking().SingleAsync(d => d.Code == "410325");
}

// Each phase in its own unit of work, as the system (the CLI's way), after a full collection so phases do not pay for each other.
static async Task<string> WithLedgerAsync(WebApplication app, string file, Func<LedgerImport, Stream, LedgerLayout, Task<string>> work)
{
    using var scope = app.Services.CreateScope();
    scope.ServiceProvider.GetRequiredService<AppDbContext>().CurrentUser.ActAsSystem("bench");
    LedgerLayout layout;
    await using (var head = File.OpenRead(file)) layout = LedgerImport.Propose(new AditLedger(), head, file);
    await using var stream = File.OpenRead(file);
    return await work(scope.ServiceProvider.GetRequiredService<LedgerImport>(), stream, layout);
}

static async Task<Measurement> Measure(Func<Task<string>> phase)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    var peak = 0L;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
        }
    });
    var clock = Stopwatch.StartNew();
    var note = await phase();
    var seconds = clock.Elapsed.TotalSeconds;
    await sampling.CancelAsync();
    await sampler;
    return new Measurement(seconds, peak / 1e6, GC.GetTotalMemory(false) / 1e6, note);
}

static async Task<string> VerifyAsync(WebApplication app, int rows)
{
    using var scope = app.Services.CreateScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    db.CurrentUser.ActAsSystem("bench");
    var adits = await db.Adits().CountAsync();
    var events = await db.SealingEvents().CountAsync();
    var perRow = await db.AuditRecords.CountAsync(a => a.EntityType == "Adit" || a.EntityType == "SealingEvent");
    var batch = await db.AuditRecords.CountAsync(a => a.Action == "import");
    if (adits != rows || perRow != 0 || batch != 1) throw new InvalidOperationException($"unexpected result: {adits} adits, {perRow} per-row audit records, {batch} batch records");
    return $"{adits:N0} adits and {events:N0} sealing events in the database, {batch} audit record for the batch, {perRow} per row";
}

internal sealed record Measurement(double Seconds, double PeakMb, double HeapMb, string Note);
