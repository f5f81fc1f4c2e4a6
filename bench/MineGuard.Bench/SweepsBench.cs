using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Features.Sweeps;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;

namespace MineGuard.Bench;

/// <summary>
/// Issue 17's benchmark: a county sweep of 嵩县 with 100,000 inspections (one problem each) of which 50,000 problems are
/// rectification items (assignments of kind rectification), inserted with <see cref="BulkInsert"/>. Then, as the county
/// office: the rectification ledger's first page and the sweep's coverage by area over HTTP, each timed alternately with
/// the same rows read from the database alone (the baseline); and the 整改台账 export in the upward layout through the
/// product's own path (<see cref="RectificationsApi.LedgerPlan"/> written by <see cref="Export.WriteAsync"/>) of 10,000
/// and of 50,000 items, beside reading the rows alone, with the peak working set: constant memory means the 50,000-row
/// export's growth is about the 10,000-row one's. Both also against a raw SQL read (ADO.NET, no EF) of the same rows: the
/// ledger's first page with filters (the big sweep, items being rectified) and every item of the export.
/// dotnet run -c Release --project bench/MineGuard.Bench -- sweeps [--inspections 100000 --items 50000 --iterations 30]
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string.
/// </summary>
public static class SweepsBench
{
    private const string County = "410325";

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        int Int(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var (inspections, items, iterations) = (Int("--inspections", 100_000), Int("--items", 50_000), Int("--iterations", 30));
        Console.WriteLine($"MineGuard sweeps benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores, " +
                          $"{inspections:N0} inspections, {items:N0} rectification items");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);
        var insert = Stopwatch.StartNew();
        var (big, small, smallItems) = await BenchProgram.WithDbAsync(app, null, db => SeedAsync(db, inspections, items));
        if (postgresServer is not null) await BenchProgram.WithDbAsync(app, null, db => db.Database.ExecuteSqlRawAsync("ANALYZE"));
        Console.WriteLine($"inserted in {insert.Elapsed.TotalSeconds:F1} s");

        using var office = await app.LoginAsync("sx-office");
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "sx-office"), new Claim(MineGuardClaims.Scope, County), new Claim(ClaimTypes.Role, Roles.Office)], "bench"));
        var load = Load();
        var (pageHttp, pageDb) = await BenchProgram.MeasureAsync(3, iterations, () => GetAsync(office, "/api/rectifications?p=2"),
            () => BenchProgram.WithDbAsync(app, principal, db => db.Set<Problem>().AsNoTracking().Where(p => p.AssignmentId != null)
                .OrderByDescending(p => p.FoundUtc).ThenBy(p => p.Id).Skip(50).Take(50).ToListAsync()));
        // The ledger page as the office opens it with filters (first page, the big sweep, items still being rectified), against a
        // raw SQL read of the same 50 rows and their items (no EF, no scope filter: the bare database cost).
        var sweepParameter = postgresServer is null ? (object)big.ToString().ToUpperInvariant() : big;
        var (firstHttp, firstSql) = await BenchProgram.MeasureAsync(3, iterations, () => GetAsync(office, $"/api/rectifications?status=rectifying&sweepId={big}&p=1"),
            () => BenchProgram.WithDbAsync(app, null, db => RawAsync(db, RawPage, sweepParameter)));
        var (coverHttp, coverDb) = await BenchProgram.MeasureAsync(3, iterations, () => GetAsync(office, $"/api/sweeps/{big}"),
            () => BenchProgram.WithDbAsync(app, principal, db => db.Set<Inspection>().AsNoTracking().Where(i => i.SweepId == big).GroupBy(i => i.DivisionCode)
                .Select(g => new { g.Key, N = g.Count() }).ToListAsync()));
        Console.WriteLine();
        Console.WriteLine($"{iterations} timed requests after 3 warm-up, alternating HTTP and the database alone; ms; load (1 min) {load} → {Load()}");
        Console.WriteLine($"{"query",-36} | {"HTTP p50",8} {"p99",8} | {"DB p50",7} {"p99",7} | {"HTTP/DB p50",11}");
        foreach (var (name, http, db) in new[]
                 {
                     ("rectification ledger, page 2 (50)", pageHttp, pageDb), ("ledger page 1 filtered / raw SQL", firstHttp, firstSql),
                     ("sweep coverage by area (100,000)", coverHttp, coverDb),
                 })
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-36} | {http.Median,8:F1} {http.P99,8:F1} | {db.Median,7:F1} {db.P99,7:F1} | {http.Median / db.Median,11:F1}"));

        var actor = new CurrentUser.Actor(principal, "bench", null);
        var all = RectificationsApi.LedgerPlan(true, null, null, null);
        var part = RectificationsApi.LedgerPlan(true, null, small, null);
        async Task<long> Write(IServiceProvider services, FileStream file, ExportPlan plan, ExportFormat format) =>
            await Export.WriteAsync(services, plan, format, file, null, services.GetRequiredService<ExportJobs>().MaxRows, CancellationToken.None);
        var results = new List<(string Name, ExportBench.Measured M)>
        {
            ("rows alone (read, build cells)", await ExportBench.MeasureAsync(app, actor, async (services, _) =>
            {
                var n = 0L;
                await foreach (var row in all.Rows(services, CancellationToken.None)) n++;
                return n;
            })),
            ("raw SQL read of the same items", await ExportBench.MeasureAsync(app, actor, async (services, _) =>
                await RawAsync(services.GetRequiredService<AppDbContext>(), RawLedger, null))),
            ($"product .xlsx, {smallItems:N0} items", await ExportBench.MeasureAsync(app, actor, (s, f) => Write(s, f, part, ExportFormat.Xlsx))),
            ($"product .xlsx, {items:N0} items", await ExportBench.MeasureAsync(app, actor, (s, f) => Write(s, f, all, ExportFormat.Xlsx))),
            ($"product .csv, {items:N0} items", await ExportBench.MeasureAsync(app, actor, (s, f) => Write(s, f, all, ExportFormat.Csv))),
        };
        var (baseline, raw, smallRun) = (results[0].M, results[1].M, results[2].M);
        Console.WriteLine();
        Console.WriteLine("整改台账 export; peak WS: the process's working set at its highest; +MB: above its level when the run began");
        Console.WriteLine($"{"run",-32} {"rows",8} {"s",7} {"MB file",8} {"peak WS MB",10} {"+MB",6} | {"time/rows alone",15} {"time/raw SQL",12} {"+MB/10k run",11} {"s per row/10k run",17}");
        foreach (var (name, m) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-32} {m.Rows,8:N0} {m.Seconds,7:F1} {m.FileBytes / 1048576.0,8:F1} {m.PeakBytes / 1048576.0,10:F0} {(m.PeakBytes - m.StartBytes) / 1048576.0,6:F0} | " +
                $"{m.Seconds / baseline.Seconds,15:F2} {m.Seconds / raw.Seconds,12:F2} {(double)(m.PeakBytes - m.StartBytes) / Math.Max(1, smallRun.PeakBytes - smallRun.StartBytes),11:F2} " +
                $"{m.Seconds / Math.Max(1, m.Rows) / (smallRun.Seconds / Math.Max(1, smallRun.Rows)),17:F2}"));
        }
        return 0;
    }

    /// <summary>The filtered ledger's first page: problems of a sweep whose item is open, newest first, with the item's columns.</summary>
    private const string RawPage = """
        SELECT p."Id", p."Description", p."Place", p."FoundUtc", p."FoundByName", p."SignerName", a."Id", a."ResponsibleUnit", a."DueOn", a."Status", a."Measures"
        FROM "Problems" p JOIN "Assignments" a ON a."Id" = p."AssignmentId"
        WHERE p."DivisionCode" LIKE '410325%' AND p."SweepId" = @s AND a."Status" = 0
        ORDER BY p."FoundUtc" DESC, p."Id" LIMIT 50
        """;

    /// <summary>Every item of the county with the columns the upward layout prints, in the export's order.</summary>
    private const string RawLedger = """
        SELECT p."Description", p."Place", p."FoundUtc", p."FoundByName", p."SignerName", a."Measures", a."ResponsibleUnit", a."ResponsiblePersonId",
               a."DueOn", a."Status", a."ClosedById", a."ClosedUtc"
        FROM "Problems" p JOIN "Assignments" a ON a."Id" = p."AssignmentId"
        WHERE p."DivisionCode" LIKE '410325%'
        ORDER BY p."FoundUtc" DESC, p."Id"
        """;

    /// <summary>Runs a raw read with ADO.NET on the context's connection, touching every value; returns the rows read.</summary>
    private static async Task<long> RawAsync(AppDbContext db, string sql, object? sweep)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (sweep is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@s";
            parameter.Value = sweep;
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var (rows, values) = (0L, new object[reader.FieldCount]);
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows++;
        }
        return rows;
    }

    private static async Task GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>
    /// Two sweeps of the county over its townships: the big one takes four fifths of the inspections, the small one the
    /// rest; every inspection found one problem, and every other problem became an open rectification item. Returns the sweeps' ids and the small sweep's number of items.
    /// </summary>
    private static async Task<(Guid Big, Guid Small, int SmallItems)> SeedAsync(AppDbContext db, int inspections, int items)
    {
        var townships = await db.Divisions.AsNoTracking().Where(d => d.Code.StartsWith(County) && d.Code.Length == 9).OrderBy(d => d.Code)
            .Select(d => new { d.Code, d.Name }).ToListAsync();
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now.AddHours(8));
        var big = Sweep.Create(County, "百日攻坚大排查", SweepKinds.Sweep, null, today.AddDays(-60), today.AddDays(30), null, null, now);
        var small = Sweep.Create(County, "煤场专项排查", SweepKinds.Sweep, null, today.AddDays(-30), today.AddDays(30), null, null, now);
        var rows = new List<object> { big, small };
        // The last township is left out of the big sweep's inspections: its coverage names an area not yet reported.
        foreach (var t in townships) rows.Add(SweepArea.Create(big.Id, t.Code, t.Name, $"{t.Name}巡查队"));
        rows.Add(SweepArea.Create(small.Id, townships[0].Code, townships[0].Name, null));
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.InsertAsync(rows, CancellationToken.None);
        rows.Clear();
        var random = new Random(2026);
        var every = Math.Max(1, inspections / Math.Max(1, items));
        var smallItems = 0;
        for (var i = 0; i < inspections; i++)
        {
            var inSmall = i % 5 == 4;
            var township = inSmall ? townships[0].Code : townships[i % Math.Max(1, townships.Count - 1)].Code;
            var at = now.AddMinutes(-random.Next(1, 60 * 24 * 60));
            var inspection = Inspection.Create(Guid.CreateVersion7(), township, inSmall ? small.Id : big.Id, "village", null, null, $"第{i}号检查点", 112.0, 34.1,
                null, "{\"spoil\":true}", null, null, "巡查员", "巡查员", at, at, "bench");
            var problem = Problem.Create(Guid.CreateVersion7(), inspection, 1, "transport", $"无证堆放矿石 {i}", $"第{i}号检查点", null, false);
            rows.Add(inspection);
            rows.Add(problem);
            if (i % every == 0 && i / every < items)
            {
                var item = Assignment.Open(township, null, AssignmentKinds.Rectification, ProblemLedger.SourceType, problem.Id, problem.Description,
                    "整改要求：清运矿石", "乡镇政府", null, null, null, today.AddDays(random.Next(-10, 30)), null, null, now);
                problem.Rectify(item.Id, "清运矿石", "没收清运");
                rows.Add(item);
                if (inSmall) smallItems++;
            }
            if (rows.Count < 6000) continue;
            await db.InsertAsync(rows, CancellationToken.None);
            rows.Clear();
        }
        if (rows.Count > 0) await db.InsertAsync(rows, CancellationToken.None);
        await tx.CommitAsync();
        return (big.Id, small.Id, smallItems);
    }
}
