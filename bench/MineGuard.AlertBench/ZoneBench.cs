using System.Diagnostics;
using MineGuard.Features.Monitoring;

namespace MineGuard.AlertBench;

/// <summary>
/// E-fence pings against 100,000 zones (circles of 100–500 m and small polygons, seeded, spread over a 嵩县-sized box):
/// the grid index per core, and a scan of every zone as the baseline, on the same pings.
/// </summary>
public static class ZoneBench
{
    public static async Task RunAsync(int zones, int pings)
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
        var cellsPerZone = double.TryParse(Environment.GetEnvironmentVariable("MINEGUARD_BENCH_CELLS_PER_ZONE"),
            System.Globalization.CultureInfo.InvariantCulture, out var k) ? k : 5;
        var built = Stopwatch.StartNew();
        var grid = ZoneGrid.Build(all, cellsPerZone);
        built.Stop();
        var points = new (double Lon, double Lat)[pings];
        for (var i = 0; i < pings; i++) points[i] = (minLon + random.NextDouble() * (maxLon - minLon), minLat + random.NextDouble() * (maxLat - minLat));

        // Warm up every form until the JIT's optimised code runs (tiered compilation recompiles hot loops in the
        // background), then time each form three times and keep the best: on a shared machine a run's worst minutes
        // say more about the neighbours than about the index. CPU time besides wall time: the wall clock also counts
        // the time other processes held the core.
        var counts = new int[pings];
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1_000)
        {
            for (var i = 0; i < Math.Min(pings, 100_000); i++) grid.CountContaining(points[i].Lon, points[i].Lat);
            for (var i = 0; i < Math.Min(pings, 100_000); i += 256) grid.CountContaining(points.AsSpan(i, Math.Min(256, pings - i)), counts.AsSpan(i));
        }
        Thread.Sleep(300);
        (double Wall, double Cpu, int Hits) Best(Func<int> run)
        {
            var best = (Wall: double.MaxValue, Cpu: double.MaxValue, Hits: 0);
            for (var round = 0; round < 3; round++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var found = run();
                watch.Stop();
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                best = (Math.Min(best.Wall, watch.Elapsed.TotalSeconds), Math.Min(best.Cpu, used), found);
            }
            return best;
        }

        // One core, a ping a call.
        var (singleWall, singleCpu, hits) = Best(() =>
        {
            var found = 0;
            for (var i = 0; i < pings; i++) found += grid.CountContaining(points[i].Lon, points[i].Lat);
            return found;
        });

        // One core, the pings in batches of 256 (a few ingest batches' worth).
        var (batchedWall, batchedCpu, batchedHits) = Best(() =>
        {
            for (var i = 0; i < pings; i += 256) grid.CountContaining(points.AsSpan(i, Math.Min(256, pings - i)), counts.AsSpan(i));
            return counts.Sum();
        });

        // The same, through the ids form ingestion calls (ContainingBatch).
        var zoneIds = new Guid[4_096];
        var offsets = new int[257];
        var (idsWall, idsCpu, idsHits) = Best(() =>
        {
            var found = 0;
            for (var i = 0; i < pings; i += 256)
            {
                var batch = points.AsSpan(i, Math.Min(256, pings - i));
                var n = grid.ContainingBatch(batch, zoneIds, offsets);
                if (n > zoneIds.Length) n = grid.ContainingBatch(batch, zoneIds = new Guid[n], offsets);
                found += n;
            }
            return found;
        });

        // One core, the same pings in order of position: the index's data stays in the caches, so this is what its
        // arithmetic costs (random pings above pay for memory latency besides).
        var ordered = points.OrderBy(p => Math.Round((p.Lat - minLat) * 200)).ThenBy(p => p.Lon).ToArray();
        var (orderedWall, orderedCpu, _) = Best(() =>
        {
            var found = 0;
            for (var i = 0; i < pings; i++) found += grid.CountContaining(ordered[i].Lon, ordered[i].Lat);
            return found;
        });

        // All cores, each with its own share of the pings.
        var cores = Environment.ProcessorCount;
        var (parallelWall, parallelCpu, parallelHits) = Best(() =>
        {
            var found = 0;
            Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, c =>
            {
                var local = 0;
                for (var i = c; i < pings; i += cores) local += grid.CountContaining(points[i].Lon, points[i].Lat);
                Interlocked.Add(ref found, local);
            });
            return found;
        });

        // All cores, each its own contiguous share in batches of 256 (the form ingestion uses, one batch per request).
        var (parallelBatchWall, parallelBatchCpu, parallelBatchHits) = Best(() =>
        {
            var found = 0;
            Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, c =>
            {
                var (from, to) = ((int)((long)pings * c / cores), (int)((long)pings * (c + 1) / cores));
                for (var i = from; i < to; i += 256) grid.CountContaining(points.AsSpan(i, Math.Min(256, to - i)), counts.AsSpan(i));
                var local = 0;
                for (var i = from; i < to; i++) local += counts[i];
                Interlocked.Add(ref found, local);
            });
            return found;
        });

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

        var perCore = pings / singleWall;
        var scanRate = sample / scan.Elapsed.TotalSeconds;
        Console.WriteLine();
        var size = grid.Size;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        Console.WriteLine($"e-fence pings: {zones:N0} zones (index built in {built.Elapsed.TotalMilliseconds:F0} ms), {pings:N0} pings, {hits:N0} hits, load average {load}; best of 3 runs each");
        Console.WriteLine($"  index: {size.Cells:N0} cells, {size.Covering:N0} covered cells, {size.Crossing:N0} crossed cells, {size.Bytes / 1e6:F0} MB");
        Console.WriteLine($"  grid index, 1 core        {perCore,14:N0} pings/s ({pings / singleCpu:N0} per CPU-second)");
        Console.WriteLine($"  grid index, 1 core, batch {pings / batchedWall,14:N0} pings/s ({pings / batchedCpu:N0} per CPU-second, batches of 256), {batchedHits:N0} hits");
        Console.WriteLine($"  grid index, 1 core, ids   {pings / idsWall,14:N0} pings/s ({pings / idsCpu:N0} per CPU-second, ContainingBatch of 256), {idsHits:N0} hits");
        Console.WriteLine($"  grid index, 1 core, sorted{pings / orderedWall,14:N0} pings/s ({pings / orderedCpu:N0} per CPU-second, pings in order of position: the arithmetic alone)");
        Console.WriteLine($"  grid index, {cores} cores      {pings / parallelWall,14:N0} pings/s ({pings / parallelWall / cores:N0} per core, {pings / parallelCpu:N0} per CPU-second), {parallelHits:N0} hits");
        Console.WriteLine($"  grid index, {cores} cores, batch{pings / parallelBatchWall,12:N0} pings/s ({pings / parallelBatchWall / cores:N0} per core, {pings / parallelBatchCpu:N0} per CPU-second, each core a contiguous share in batches of 256), {parallelBatchHits:N0} hits");
        Console.WriteLine($"  scan of all zones, 1 core {scanRate,14:N0} pings/s (baseline, {sample:N0} pings)");
        Console.WriteLine($"  index vs scan             {perCore / scanRate,14:N0}x   same answers on the sample: {(scanHits == gridSampleHits ? "yes" : $"NO ({scanHits} vs {gridSampleHits})")}");
        if (Environment.GetEnvironmentVariable("MINEGUARD_BENCH_POSTGRES") is { Length: > 0 })
        {
            var (rate, postgisHits, gridHits, n) = await PostGisAsync(all, points, grid);
            Console.WriteLine($"  PostGIS ST_Contains, GiST {rate,14:N0} pings/s (baseline, {n:N0} pings in batches of 2,000; {postgisHits:N0} hits, the index {gridHits:N0} — circles there are 32-segment buffers)");
            Console.WriteLine($"  index (1 core) vs PostGIS {perCore / rate,14:N0}x");
        }
    }

    /// <summary>
    /// The same zones in PostGIS (circles as geography buffers, polygons as they are; a GiST index), and pings sent in
    /// batches of 2,000 as arrays joined with ST_Contains: the database's best case, no round trip per ping.
    /// </summary>
    private static async Task<(double Rate, long Hits, long GridHits, int Pings)> PostGisAsync(
        List<ZoneGrid.Zone> all, (double Lon, double Lat)[] points, ZoneGrid grid)
    {
        var (cs, drop) = await BenchDatabase.CreateAsync("postgres", "zones");
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(cs);
            await connection.OpenAsync();
            async Task Sql(string text)
            {
                await using var c = new Npgsql.NpgsqlCommand(text, connection) { CommandTimeout = 600 };
                await c.ExecuteNonQueryAsync();
            }
            await Sql("CREATE EXTENSION IF NOT EXISTS postgis; CREATE TABLE zones (id int, g geometry(Polygon, 4326))");
            var circles = all.Where(z => z.Ring is null).ToList();
            await using (var insert = new Npgsql.NpgsqlCommand("""
                INSERT INTO zones SELECT row_number() OVER (), ST_Buffer(ST_SetSRID(ST_MakePoint(x, y), 4326)::geography, r, 32)::geometry
                FROM unnest(@x, @y, @r) AS u(x, y, r)
                """, connection) { CommandTimeout = 600 })
            {
                insert.Parameters.AddWithValue("x", circles.Select(z => z.Lon).ToArray());
                insert.Parameters.AddWithValue("y", circles.Select(z => z.Lat).ToArray());
                insert.Parameters.AddWithValue("r", circles.Select(z => z.RadiusMeters).ToArray());
                await insert.ExecuteNonQueryAsync();
            }
            await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO zones SELECT 0, ST_GeomFromText(w, 4326) FROM unnest(@w) AS u(w)", connection))
            {
                insert.Parameters.AddWithValue("w", all.Where(z => z.Ring is not null).Select(z =>
                    "POLYGON((" + string.Join(",", Enumerable.Range(0, z.Ring!.Length / 2).Select(i =>
                        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{z.Ring[2 * i]} {z.Ring[2 * i + 1]}"))) + "))").ToArray());
                await insert.ExecuteNonQueryAsync();
            }
            await Sql("CREATE INDEX ON zones USING gist (g); ANALYZE zones");
            var n = Math.Min(points.Length, 20_000);
            await using var query = new Npgsql.NpgsqlCommand("""
                SELECT count(*) FROM unnest(@x, @y) AS p(x, y) JOIN zones z ON ST_Contains(z.g, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
                """, connection);
            var px = query.Parameters.AddWithValue("x", Array.Empty<double>());
            var py = query.Parameters.AddWithValue("y", Array.Empty<double>());
            long hits = 0;
            var watch = new Stopwatch();
            for (var pass = 0; pass < 2; pass++)
            {
                // The first pass warms the cache and plans; the second is timed.
                hits = 0;
                watch.Restart();
                foreach (var chunk in points.Take(n).Chunk(2_000))
                {
                    px.Value = chunk.Select(p => p.Lon).ToArray();
                    py.Value = chunk.Select(p => p.Lat).ToArray();
                    hits += (long)(await query.ExecuteScalarAsync())!;
                }
                watch.Stop();
            }
            long gridHits = 0;
            foreach (var (lon, lat) in points.Take(n)) gridHits += grid.CountContaining(lon, lat);
            return (n / watch.Elapsed.TotalSeconds, hits, gridHits, n);
        }
        finally
        {
            await drop();
        }
    }
}
