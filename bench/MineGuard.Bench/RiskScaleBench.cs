using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Analysis;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;

namespace MineGuard.Bench;

/// <summary>
/// Risk at a province's scale (issue 16), through the product's own path on a database: N adits (the fixed data set of
/// <see cref="AditGenerator"/>, spread over Luoyang's counties) scored by <see cref="RiskScorer.ScoreAsync"/> as the city's
/// leader (every signal's query, then the model), against a baseline in the same run: reading the same adits' scoring
/// columns alone. Then the map's risk layer (<c>GET /api/analysis/risk-map</c>) over HTTP for a view of at most
/// <see cref="RiskMapApi.MaxAdits"/> adits, against the map's own adit layer (<c>GET /api/map/adits</c>) for the same view.
/// Timed alternately (each pair meets the same background load); medians. Peak working set at the end.
/// dotnet run -c Release --project bench/MineGuard.Bench -- risk-scale [--adits 100000] [--iterations 5] [--requests 30, 10 from 50,000 adits]
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string.
/// </summary>
public static class RiskScaleBench
{
    private const string City = "4103";
    private const string Leader = "ly-leader";

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var count = Arg("--adits", 100_000);
        var iterations = Arg("--iterations", 5);
        // The layer's requests each scan the adits table (the view's box has no index of its own): fewer at a province's scale.
        var requests = Arg("--requests", count >= 50_000 ? 10 : 30);
        Console.WriteLine($"MineGuard risk scale benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);
        var insert = Stopwatch.StartNew();
        await BenchProgram.WithDbAsync(app, null, db => AditGenerator.InsertAsync(db, City, count, seed: 2026));
        Console.WriteLine($"{count:N0} adits in Luoyang's counties inserted in {insert.Elapsed.TotalSeconds:F1} s; load average {LoadAverage()}");

        var leader = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, Leader), new Claim(MineGuardClaims.Scope, City)], "bench"));
        var scored = 0;
        var read = 0;
        var (score, baseline) = await BenchProgram.MeasureAsync(1, iterations,
            () => BenchProgram.WithDbAsync(app, leader, async db =>
            {
                var scorer = ActivatorUtilities.CreateInstance<RiskScorer>(app.Services, db);
                scored = (await scorer.ScoreAsync(db.Adits(), CancellationToken.None)).Count;
                return 0;
            }),
            () => BenchProgram.WithDbAsync(app, leader, async db =>
            {
                read = (await db.Adits().AsNoTracking().Select(a => new { a.Id, a.CountyCode, a.VillageCode, a.Lon, a.Lat, a.State, a.CurrentSealMethod, a.BreachCount, a.LastBreachedOn })
                    .ToListAsync()).Count;
                return 0;
            }));
        if (scored != read) throw new InvalidOperationException($"scored {scored} adits of {read}");
        Console.WriteLine($"score all {scored:N0} adits (RiskScorer, as {Leader}): median {score.Median / 1000:F2} s (p99 {score.P99 / 1000:F2} s) " +
                          $"= {score.Median / baseline.Median:F1}x reading their columns alone ({baseline.Median / 1000:F2} s); {iterations} runs each, alternately");

        // The risk layer for a view the server scores (at most MaxAdits adits in it), as the map asks for it.
        using var client = await app.LoginAsync(Leader);
        var centre = await BenchProgram.WithDbAsync(app, null, db => db.Divisions.AsNoTracking().Where(d => d.Code == "410325")
            .Select(d => d.BoundaryGeoJson).FirstAsync());
        var point = GeoJson.ReadFirstGeometry(centre!).InteriorPoint.Coordinate;
        var (half, total) = (0.2, 0);
        string Box(double h) => string.Create(CultureInfo.InvariantCulture, $"{point.X - h:F6},{point.Y - (h * 0.6):F6},{point.X + h:F6},{point.Y + (h * 0.6):F6}");
        while (true)
        {
            var view = JsonDocument.Parse(await client.GetStringAsync($"/api/analysis/risk-map?bbox={Box(half)}")).RootElement;
            total = view.GetProperty("total").GetInt32();
            if (!view.GetProperty("truncated").GetBoolean()) break;
            half *= 0.7;
        }
        var riskUrl = $"/api/analysis/risk-map?bbox={Box(half)}";
        var mapUrl = $"/api/map/adits?bbox={Box(half)}&zoom=16";
        var (layer, map) = await BenchProgram.MeasureAsync(3, requests,
            async () => (await client.GetAsync(riskUrl)).EnsureSuccessStatusCode(),
            async () => (await client.GetAsync(mapUrl)).EnsureSuccessStatusCode());
        Console.WriteLine($"risk layer for a view of {total:N0} adits (GET /api/analysis/risk-map): median {layer.Median:F0} ms (p99 {layer.P99:F0} ms) " +
                          $"= {layer.Median / map.Median:F1}x the map's adit layer for the same view ({map.Median:F0} ms); {requests} requests each, alternately");
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB; load average {LoadAverage()}");
        return 0;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
