using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/MineGuard.Bench -- import [--rows 100000]</c>: the ledger import of a fixed
/// .xlsx of 嵩县 adits as offices keep them (<see cref="LedgerGenerator"/>: short village names, 20,000 包保责任人 new to
/// the county with their phones) on SQLite, and on PostgreSQL too when MINEGUARD_BENCH_POSTGRES holds a connection
/// string (a user who may create databases). Three phases per engine, each on the same file: reading the sheet alone
/// (the baseline the import is quoted against), parse + validate (the preview and --dry-run), and parse + validate +
/// insert in one transaction (the import), each with its seconds and the process's peak working set; then the result
/// is checked (every adit, every new person, one audit record for the batch).
/// </summary>
public static class ImportBench
{
    private const double TargetSeconds = 20;
    private const double TargetPeakMb = 1000;

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        var rows = args.SkipWhile(a => a != "--rows").Skip(1).FirstOrDefault() is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 100_000;
        var file = Path.Combine(Path.GetTempPath(), $"mineguard-bench-{rows}-{LedgerGenerator.Seed}-{LedgerGenerator.Version}.xlsx");
        var engines = new List<string> { "sqlite" };
        if (postgresServer is not null) engines.Add("postgres");

        Console.WriteLine($"MineGuard ledger import benchmark: {rows:N0} adits of 嵩县 (seed {LedgerGenerator.Seed}), {Math.Min(rows, LedgerGenerator.People):N0} new 包保责任人, " +
            $"villages in short form; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        var results = new List<string>();
        var missed = false;
        foreach (var engine in engines)
        {
            var (connectionString, drop) = await BenchDatabase.CreateAsync(engine, "bench");
            try
            {
                await using var app = Host(engine, connectionString);
                var (county, townships) = await PrepareAsync(app);
                if (!File.Exists(file))
                {
                    var generated = Stopwatch.StartNew();
                    var places = LedgerGenerator.Places(county.Code, townships);
                    await using (var output = File.Create(file))
                        LedgerGenerator.Write(output, rows, PreparedGeometryFactory.Prepare(GeoJson.ReadFirstGeometry(county.BoundaryGeoJson!)), places);
                    Console.WriteLine($"generated {file} ({new FileInfo(file).Length / 1e6:F1} MB, villages from {places.Count} short names) in {generated.Elapsed.TotalSeconds:F1} s");
                }
                var scope = JurisdictionScope.Of(county.Code);

                // One unmeasured pass first, so that the baseline is not charged for compiling the reader or warming the file cache.
                ReadSheet(file);
                var read = await Measure(() => Task.FromResult(ReadSheet(file)));
                var check = await Measure(() => WithLedgerAsync(app, file, async (ledger, stream, layout) =>
                {
                    var summary = await ledger.CheckAsync(new AditLedger(), county, scope, stream, file, layout, ValueMap.None, LedgerImport.ListedErrors, default);
                    return $"{summary.Valid:N0} valid, {summary.Invalid:N0} invalid{FirstError(summary)}";
                }));
                var import = await Measure(() => WithLedgerAsync(app, file, async (ledger, stream, layout) =>
                {
                    var result = await ledger.ImportAsync(new AditLedger(), county, scope, stream, file, layout, ValueMap.None, county.Code, null, default);
                    return $"{result.Batch?.RowsImported ?? 0:N0} imported, {result.Summary.Invalid:N0} rejected{FirstError(result.Summary)}";
                }));
                var verified = await VerifyAsync(app, rows);

                foreach (var (phase, m) in new[] { ("read sheet (baseline)", read), ("preview: parse + validate", check), ("import: + insert", import) })
                {
                    results.Add($"{engine,-9} {phase,-26} {m.Seconds,8:F2} {rows / m.Seconds,10:N0} {m.Seconds / read.Seconds,7:F1}x {m.PeakMb,10:F0} {m.HeapMb,10:F0}   {m.Note}");
                }
                results.Add($"{engine,-9} check: {verified.Text}");
                var ok = import.Seconds < TargetSeconds && import.PeakMb < TargetPeakMb;
                missed |= !ok || !verified.Ok;
                results.Add($"{engine,-9} target: import < {TargetSeconds} s and < {TargetPeakMb:F0} MB peak working set: {(ok ? "met" : "MISSED")}");
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
        return missed ? 1 : 0;
    }

    private static string FirstError(LedgerSummary summary) =>
        summary.Errors.FirstOrDefault() is { } e ? $" (first: row {e.Row} {e.Header}: {e.Message})" : "";

    private static string ReadSheet(string file)
    {
        using var stream = File.OpenRead(file);
        var cells = 0L;
        foreach (var row in SheetReader.Read(stream, file)) cells += row.Cells.Length;
        return $"{cells:N0} cells";
    }

    private static WebApplication Host(string engine, string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = engine == "postgres" ? "Postgres" : "Sqlite",
            [engine == "postgres" ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"] = connectionString,
            ["Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(BenchDatabase.OwnAuditFiles());
        builder.AddMineGuard();
        return builder.Build();
    }

    /// <summary>The fresh database, and 嵩县 with its townships' names by code (the villages' parents in the shipped list).</summary>
    private static async Task<(Division County, Dictionary<string, string> Townships)> PrepareAsync(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        await DatabaseInitializer.PrepareAsync(scope.ServiceProvider, app.Logger, default);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var county = await db.Divisions.AsNoTracking().SingleAsync(d => d.Code == "410325");
        var townships = await db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(county.Code)).Where(d => d.Level == DivisionLevel.Township)
            .ToDictionaryAsync(d => d.Code, d => d.Name);
        return (county, townships);
    }

    // Each phase in its own unit of work, as the system (the CLI's way), after a full collection so phases do not pay for each other.
    private static async Task<string> WithLedgerAsync(WebApplication app, string file, Func<LedgerImport, Stream, LedgerLayout, Task<string>> work)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<AppDbContext>().CurrentUser.ActAsSystem("bench");
        LedgerLayout layout;
        await using (var head = File.OpenRead(file)) layout = LedgerImport.Propose(new AditLedger(), head, file);
        await using var stream = File.OpenRead(file);
        return await work(scope.ServiceProvider.GetRequiredService<LedgerImport>(), stream, layout);
    }

    private static async Task<Measurement> Measure(Func<Task<string>> phase)
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

    private static async Task<(bool Ok, string Text)> VerifyAsync(WebApplication app, int rows)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("bench");
        var adits = await db.Adits().CountAsync();
        var events = await db.SealingEvents().CountAsync();
        var perRow = await db.AuditRecords.CountAsync(a => a.EntityType == "Adit" || a.EntityType == "SealingEvent");
        var batch = await db.AuditRecords.CountAsync(a => a.Action == "import");
        var people = Math.Min(rows, LedgerGenerator.People);
        var persons = await db.Set<Person>().CountAsync(p => p.ImportBatchId != null);
        var withVillage = await db.Adits().CountAsync(a => a.VillageCode != null && a.ResponsiblePersonId != null);
        var ok = adits == rows && persons == people && withVillage == rows && perRow == 0 && batch == 1;
        return (ok, $"{(ok ? "as expected" : "UNEXPECTED")}: {adits:N0} adits ({withVillage:N0} with a village and a 包保责任人), {persons:N0} new persons, " +
            $"{events:N0} sealing events; {batch} audit record for the batch, {perRow} per row");
    }
}

internal sealed record Measurement(double Seconds, double PeakMb, double HeapMb, string Note);
