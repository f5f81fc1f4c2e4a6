using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Bench;

/// <summary>
/// The adit map's query at city, county and township zoom, as a city-level user (ly-leader, scope 4103): latency over
/// HTTP against the running app, and the same query's time in the database alone (the EF query the handler runs).
/// dotnet run -c Release --project bench/MineGuard.Bench [-- --adits 100000 --iterations 200 --warmup 20 --plan --keep]
/// (with "spine" as the first argument: the deadlines and inbox benchmark, <see cref="SpineBench"/>; with "villages": the
/// village level's load, <see cref="VillagesBench"/>; with "import": the ledger import, <see cref="ImportBench"/>; with
/// "export": 1,000,000 adits to .xlsx and .csv, <see cref="ExportBench"/>; with "cases": case search and statistics, <see cref="CasesBench"/>;
/// with "risk": the risk score's back-test and 100,000 adits scored, <see cref="RiskBench"/>; with "sweeps": the problem and
/// rectification ledgers, <see cref="SweepsBench"/>; with "risk-scale": 100,000 adits
/// scored from the database and the map's risk layer, <see cref="RiskScaleBench"/>; with "dashboard": the province's
/// supervision dashboard and stage report, <see cref="DashboardBench"/>; with "explosives": a province's year of
/// explosives records checked for gaps, <see cref="ExplosivesBench"/>)
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string (a user who may create databases).
/// </summary>
public static class BenchProgram
{
    private const string City = "4103";
    private const string Songxian = "410325";
    private const string Leader = "ly-leader";
    private const int Width = 1280, Height = 800;

    public static async Task<int> Main(string[] args)
    {
        var postgresServer = Environment.GetEnvironmentVariable("MINEGUARD_BENCH_POSTGRES") is { Length: > 0 } pg ? pg : null;
        if (args.FirstOrDefault() == "spine") return await SpineBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "villages") return await VillagesBench.RunAsync(postgresServer);
        if (args.FirstOrDefault() == "import") return await ImportBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "export") return await ExportBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "cases") return await CasesBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "risk") return await RiskBench.RunAsync(args);
        if (args.FirstOrDefault() == "spot") return await SpotBench.RunAsync(args);
        if (args.FirstOrDefault() == "sweeps") return await SweepsBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "risk-scale") return await RiskScaleBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "explosives") return await ExplosivesBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "dashboard") return await DashboardBench.RunAsync(args, postgresServer);
        if (args.FirstOrDefault() == "satellite") return await SatelliteBench.RunAsync(args, postgresServer);
        var options = Options.Parse(args);
        Console.WriteLine($"MineGuard map benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores");
        await using var app = await BenchApp.StartAsync(postgresServer, options.Keep);
        if (options.Keep) Console.WriteLine($"database kept: {app.ConnectionString}");

        var insert = Stopwatch.StartNew();
        var (counties, views) = await WithDbAsync(app, null, db => SeedAsync(db, options.Adits));
        Console.WriteLine($"{options.Adits} adits in {counties} counties of Luoyang inserted in {insert.Elapsed.TotalSeconds:F1} s");

        using var client = await app.LoginAsync(Leader);
        // The same user for the database-only runs: a principal with the leader's scope, read by the context's query filter.
        var leader = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, Leader), new Claim(MineGuardClaims.Scope, City)], "bench"));
        var results = new List<Row>();
        foreach (var view in views) results.Add(await RunAsync(app, client, leader, view, options));
        Print(results, options);
        return 0;
    }

    /// <summary>The fixed data set, and the views: all of Luoyang, all of Songxian, a township-sized and a village-sized piece of it.</summary>
    private static async Task<(int Counties, View[] Views)> SeedAsync(AppDbContext db, int adits)
    {
        var counties = await AditGenerator.InsertAsync(db, City, adits, seed: 2026);
        var outlines = await db.Divisions.AsNoTracking().Where(d => d.Code == City || d.Code == Songxian)
            .ToDictionaryAsync(d => d.Code, d => GeoJson.ReadFirstGeometry(d.BoundaryGeoJson!));
        var city = outlines[City].EnvelopeInternal.Centre;
        var county = outlines[Songxian].EnvelopeInternal.Centre;
        var township = outlines[Songxian].InteriorPoint.Coordinate;
        return (counties,
        [
            new View("city: all Luoyang", 9, Viewport(city.X, city.Y, 9)),
            new View("county: Songxian", 11, Viewport(county.X, county.Y, 11)),
            new View("township in Songxian", 14, Viewport(township.X, township.Y, 14)),
            new View("village in Songxian", 16, Viewport(township.X, township.Y, 16)),
        ]);
    }

    private static async Task<Row> RunAsync(BenchApp app, HttpClient client, ClaimsPrincipal leader, View view, Options options)
    {
        var filter = new AditMapFilter(view.Box, view.Zoom);
        var url = string.Create(CultureInfo.InvariantCulture,
            $"/api/map/adits?bbox={view.Box.MinLon:F6},{view.Box.MinLat:F6},{view.Box.MaxLon:F6},{view.Box.MaxLat:F6}&zoom={view.Zoom}");
        var first = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
        var bytes = 0;
        var total = 0;
        var (http, database) = await MeasureAsync(options,
            async () =>
            {
                using var response = await client.GetAsync(url);
                response.EnsureSuccessStatusCode();
                bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
            },
            () => WithDbAsync(app, leader, async db =>
            {
                total = (await AditMapQuery.RunAsync(db, filter, CancellationToken.None)).Total;
                return 0;
            }));
        if (total != first.GetProperty("total").GetInt32()) throw new InvalidOperationException($"{view.Name}: HTTP and database disagree");
        if (options.Plan) await WithDbAsync(app, leader, db => Plans.PrintAsync(db, filter));
        // The baseline of the pyramid: the same clusters counted from the adits under the view, timed alternately with
        // the pyramid's query in the same run.
        Stats? fromAdits = null;
        if (first.GetProperty("mode").GetString() == "clusters")
        {
            (_, var adits) = await MeasureAsync(options,
                () => WithDbAsync(app, leader, async db => (await AditMapQuery.ClusterQueryFromPyramid(db, filter).ToListAsync()).Count),
                () => WithDbAsync(app, leader, async db => (await AditMapQuery.ClusterQueryFromAdits(db, filter).ToListAsync()).Count));
            fromAdits = adits;
        }
        return new Row(view, first.GetProperty("mode").GetString()!, first.GetProperty("features").GetArrayLength(), total, bytes, http, database, fromAdits);
    }

    private static void Print(List<Row> results, Options options)
    {
        Console.WriteLine();
        Console.WriteLine($"{options.Iterations} timed requests per view after {options.Warmup} warm-up; viewport {Width}x{Height} px; times in ms");
        Console.WriteLine($"{"view",-22} {"zoom",4} {"mode",-8} {"features",8} {"adits",7} {"KB",5} | {"HTTP med",8} {"p99",7} | {"DB med",7} {"p99",7} | {"app/db med",10} {"p99",5} | {"from adits med",14} {"p99",7}");
        foreach (var r in results)
        {
            var baseline = r.FromAdits is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b.Median,14:F2} {b.P99,7:F2}") : $"{"—",14} {"—",7}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.View.Name,-22} {r.View.Zoom,4} {r.Mode,-8} {r.Features,8} {r.Total,7} {r.Bytes / 1024.0,5:F0} | {r.Http.Median,8:F2} {r.Http.P99,7:F2} | {r.Db.Median,7:F2} {r.Db.P99,7:F2} | {r.Http.Median / r.Db.Median,10:F2} {r.Http.P99 / r.Db.P99,5:F2} | {baseline}"));
        }
        Console.WriteLine("from adits: the cluster views counted from the adits under the view (before the pyramid), timed in the same run");
    }

    private static Task<(Stats A, Stats B)> MeasureAsync(Options options, Func<Task> a, Func<Task> b) =>
        MeasureAsync(options.Warmup, options.Iterations, a, b);

    /// <summary>Times the two alternately, so that both meet the same background load on a shared machine.</summary>
    internal static async Task<(Stats A, Stats B)> MeasureAsync(int warmup, int iterations, Func<Task> a, Func<Task> b)
    {
        for (var i = 0; i < warmup; i++)
        {
            await a();
            await b();
        }
        var timesA = new double[iterations];
        var timesB = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            timesA[i] = await TimeAsync(a);
            timesB[i] = await TimeAsync(b);
        }
        return (Stats.Of(timesA), Stats.Of(timesB));
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    // A unit of work like a request's: its own scope and context, as the system (null) or as the given user.
    internal static async Task<T> WithDbAsync<T>(BenchApp app, ClaimsPrincipal? user, Func<AppDbContext, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = user is null ? null : new DefaultHttpContext { User = user };
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (user is null) db.CurrentUser.ActAsSystem("bench");
            return await work(db);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    // The box a map of Width x Height pixels shows at this zoom around this centre.
    private static MapBox Viewport(double lon, double lat, int zoom)
    {
        var scale = 256.0 * (1 << zoom);
        var x = (lon + 180) / 360 * scale;
        var rad = lat * Math.PI / 180;
        var y = (1 - (Math.Log(Math.Tan(rad) + (1 / Math.Cos(rad))) / Math.PI)) / 2 * scale;
        var (west, north) = WebMercator.Corner((x - (Width / 2.0)) / 256, (y - (Height / 2.0)) / 256, zoom);
        var (east, south) = WebMercator.Corner((x + (Width / 2.0)) / 256, (y + (Height / 2.0)) / 256, zoom);
        return new MapBox(west, south, east, north);
    }
}

internal sealed record View(string Name, int Zoom, MapBox Box);

internal sealed record Stats(double Median, double P99)
{
    public static Stats Of(double[] times)
    {
        Array.Sort(times);
        var n = times.Length;
        var median = n % 2 == 1 ? times[n / 2] : (times[(n / 2) - 1] + times[n / 2]) / 2;
        return new Stats(median, times[(int)Math.Ceiling(n * 0.99) - 1]);
    }
}

internal sealed record Row(View View, string Mode, int Features, int Total, int Bytes, Stats Http, Stats Db, Stats? FromAdits);

internal sealed record Options(int Adits, int Iterations, int Warmup, bool Plan, bool Keep)
{
    public static Options Parse(string[] args)
    {
        int Int(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        return new Options(Int("--adits", 100_000), Int("--iterations", 200), Int("--warmup", 20), args.Contains("--plan"), args.Contains("--keep"));
    }
}
