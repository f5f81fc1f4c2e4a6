using System.Diagnostics;
using MineGuard.Features.Monitoring;

namespace MineGuard.AlertBench;

/// <summary>
/// E-fence pings against 100,000 zones (circles of 100–500 m and small polygons, seeded, spread over a 嵩县-sized box):
/// the grid index per core, and a scan of every zone as the baseline, on the same pings.
/// </summary>
public static class ZoneBench
{
    public static void Run(int zones, int pings)
    {
        var random = new Random(2026);
        const double minLon = 111.5, maxLon = 112.4, minLat = 33.7, maxLat = 34.5;
        var all = new List<ZoneGrid.Zone>(zones);
        for (var i = 0; i < zones; i++)
        {
            var lon = minLon + random.NextDouble() * (maxLon - minLon);
            var lat = minLat + random.NextDouble() * (maxLat - minLat);
            if (i % 5 == 0)
            {
                var d = 0.001 + random.NextDouble() * 0.003;
                all.Add(new ZoneGrid.Zone(Guid.NewGuid(), 0, 0, 0, [lon - d, lat - d, lon + d, lat - d, lon + d, lat + d, lon - d, lat + d, lon - d, lat - d]));
            }
            else all.Add(new ZoneGrid.Zone(Guid.NewGuid(), lon, lat, 100 + random.NextDouble() * 400, null));
        }
        var built = Stopwatch.StartNew();
        var grid = new ZoneGrid();
        foreach (var z in all) grid.Add(z);
        built.Stop();
        var points = new (double Lon, double Lat)[pings];
        for (var i = 0; i < pings; i++) points[i] = (minLon + random.NextDouble() * (maxLon - minLon), minLat + random.NextDouble() * (maxLat - minLat));

        // Warm up, then one core.
        var hits = 0;
        for (var i = 0; i < Math.Min(pings, 100_000); i++) hits += grid.CountContaining(points[i].Lon, points[i].Lat);
        hits = 0;
        var single = Stopwatch.StartNew();
        for (var i = 0; i < pings; i++) hits += grid.CountContaining(points[i].Lon, points[i].Lat);
        single.Stop();

        // All cores, each with its own share of the pings.
        var cores = Environment.ProcessorCount;
        var parallel = Stopwatch.StartNew();
        var parallelHits = 0;
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, c =>
        {
            var local = 0;
            for (var i = c; i < pings; i += cores) local += grid.CountContaining(points[i].Lon, points[i].Lat);
            Interlocked.Add(ref parallelHits, local);
        });
        parallel.Stop();

        // Baseline: test every zone for a sample of the pings (the same answers, checked).
        var sample = Math.Min(pings, 2_000);
        var scanHits = 0;
        var gridSampleHits = 0;
        var scan = Stopwatch.StartNew();
        for (var i = 0; i < sample; i++)
        {
            foreach (var z in all)
            {
                if (z.Contains(points[i].Lon, points[i].Lat)) scanHits++;
            }
        }
        scan.Stop();
        for (var i = 0; i < sample; i++) gridSampleHits += grid.CountContaining(points[i].Lon, points[i].Lat);

        var perCore = pings / single.Elapsed.TotalSeconds;
        var scanRate = sample / scan.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"e-fence pings: {zones:N0} zones (index built in {built.Elapsed.TotalMilliseconds:F0} ms), {pings:N0} pings, {hits:N0} hits");
        Console.WriteLine($"  grid index, 1 core        {perCore,14:N0} pings/s");
        Console.WriteLine($"  grid index, {cores} cores      {pings / parallel.Elapsed.TotalSeconds,14:N0} pings/s ({pings / parallel.Elapsed.TotalSeconds / cores:N0} per core), {parallelHits:N0} hits");
        Console.WriteLine($"  scan of all zones, 1 core {scanRate,14:N0} pings/s (baseline, {sample:N0} pings)");
        Console.WriteLine($"  index vs scan             {perCore / scanRate,14:N0}x   same answers on the sample: {(scanHits == gridSampleHits ? "yes" : $"NO ({scanHits} vs {gridSampleHits})")}");
    }
}
