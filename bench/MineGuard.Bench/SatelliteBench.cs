using System.Diagnostics;
using System.Globalization;
using MineGuard.Features.Satellite;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MineGuard.Bench;

/// <summary>
/// Satellite patch matching (issue 20): N patches against N adits and M licence polygons over a province-sized box
/// (lon 110.5–116.5, lat 31.5–36.3, about Henan). The product's way: per county-sized cell, one bounding-box query per kind
/// on plain indexed columns (as the product's EF queries do: mines by their box columns, adits by their zoom-20 tile
/// columns), then <see cref="PatchMatcher"/> in memory. The baseline in the same run and the same PostgreSQL: PostGIS with
/// GiST indexes doing the same joins (ST_Intersects/ST_Covers against the licences, ST_DWithin on geography, sphere, against
/// the adits). Prints both times, their ratio, and the match counts of each so they can be compared.
/// MINEGUARD_BENCH_POSTGRES=... dotnet run -c Release --project bench/MineGuard.Bench -- satellite [--patches 100000] [--adits 100000] [--mines 10000]
/// </summary>
public static class SatelliteBench
{
    private const double West = 110.5, South = 31.5, Width = 6.0, Height = 4.8, Metres = 500;
    private const int CellsX = 12, CellsY = 10;

    public static async Task<int> RunAsync(string[] args, string? server)
    {
        int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var (nPatches, nAdits, nMines) = (Arg("--patches", 100_000), Arg("--adits", 100_000), Arg("--mines", 10_000));
        if (server is null)
        {
            Console.WriteLine("satellite: set MINEGUARD_BENCH_POSTGRES (a user who may create databases and the postgis extension)");
            return 1;
        }
        Console.WriteLine($"MineGuard satellite matching: {nPatches:N0} patches, {nAdits:N0} adits, {nMines:N0} licence polygons, {Environment.ProcessorCount} cores");
        var random = new Random(20);
        var mines = Enumerable.Range(0, nMines).Select(_ => (Id: Guid.NewGuid(), Shape: Box(random, 0.004, 0.012))).ToList();
        var adits = Enumerable.Range(0, nAdits).Select(_ => (Id: Guid.NewGuid(), Lon: West + random.NextDouble() * Width, Lat: South + random.NextDouble() * Height)).ToList();
        // A third of the patches are drawn at licences (inside or across them), as real change is.
        var patches = Enumerable.Range(0, nPatches).Select(i =>
        {
            if (i % 3 != 0) return (Id: Guid.NewGuid(), Shape: Box(random, 0.001, 0.003));
            var at = mines[random.Next(mines.Count)].Shape.EnvelopeInternal;
            return (Id: Guid.NewGuid(), Shape: Square(at.MinX + random.NextDouble() * at.Width, at.MinY + random.NextDouble() * at.Height, 0.001 + random.NextDouble() * 0.002));
        }).ToList();

        var name = "mg_sat_bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await Exec(admin, $"CREATE DATABASE {name}");
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        try
        {
            await using var db = new NpgsqlConnection(builder.ConnectionString);
            await db.OpenAsync();
            var load = Stopwatch.StartNew();
            await LoadAsync(db, mines, adits, patches);
            Console.WriteLine($"loaded and indexed in {load.Elapsed.TotalSeconds:F1} s (plain box columns and PostGIS GiST)");

            var ours = Stopwatch.StartNew();
            var (inside, crossing, outside, pairs) = await ProductAsync(db, patches);
            ours.Stop();
            var gis = Stopwatch.StartNew();
            var (gInside, gCrossing, gOutside, gPairs) = await PostGisAsync(db);
            gis.Stop();
            Console.WriteLine($"product (box queries + PatchMatcher): {ours.Elapsed.TotalSeconds,6:F2} s   inside {inside:N0}, crossing {crossing:N0}, outside {outside:N0}, patch–adit pairs within {Metres} m {pairs:N0}");
            Console.WriteLine($"PostGIS (GiST, same joins):           {gis.Elapsed.TotalSeconds,6:F2} s   inside {gInside:N0}, crossing {gCrossing:N0}, outside {gOutside:N0}, patch–adit pairs within {Metres} m {gPairs:N0}");
            Console.WriteLine($"ratio product / PostGIS: {ours.Elapsed.TotalSeconds / gis.Elapsed.TotalSeconds:F2}   (goal: product < 10 s)");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await Exec(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
        return 0;
    }

    private static Polygon Box(Random random, double min, double max) =>
        Square(West + random.NextDouble() * Width, South + random.NextDouble() * Height, min + random.NextDouble() * (max - min));

    private static Polygon Square(double lon, double lat, double size) => GeoJson.Factory.CreatePolygon(
        [new(lon, lat), new(lon + size, lat), new(lon + size, lat + size * 0.8), new(lon, lat + size * 0.8), new(lon, lat)]);

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task LoadAsync(NpgsqlConnection db, List<(Guid Id, Polygon Shape)> mines, List<(Guid Id, double Lon, double Lat)> adits,
        List<(Guid Id, Polygon Shape)> patches)
    {
        await Exec(db, """
            CREATE EXTENSION IF NOT EXISTS postgis;
            CREATE TABLE mines (id uuid PRIMARY KEY, minlon float8, maxlon float8, minlat float8, maxlat float8, geojson text, geom geometry(Polygon, 4326));
            CREATE TABLE adits (id uuid PRIMARY KEY, mapx int, mapy int, lon float8, lat float8, geog geography(Point, 4326));
            CREATE TABLE patches (id uuid PRIMARY KEY, wkt text, geom geometry(Polygon, 4326), geog geography(Polygon, 4326));
            """);
        await using (var w = await db.BeginBinaryImportAsync("COPY mines (id, minlon, maxlon, minlat, maxlat, geojson) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, shape) in mines)
            {
                var e = shape.EnvelopeInternal;
                await w.StartRowAsync();
                await w.WriteAsync(id, NpgsqlDbType.Uuid);
                foreach (var v in new[] { e.MinX, e.MaxX, e.MinY, e.MaxY }) await w.WriteAsync(v, NpgsqlDbType.Double);
                await w.WriteAsync(GeoJson.Write(shape), NpgsqlDbType.Text);
            }
            await w.CompleteAsync();
        }
        await using (var w = await db.BeginBinaryImportAsync("COPY adits (id, mapx, mapy, lon, lat) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, lon, lat) in adits)
            {
                var (x, y) = WebMercator.Tile(lon, lat);
                await w.StartRowAsync();
                await w.WriteAsync(id, NpgsqlDbType.Uuid);
                await w.WriteAsync(x, NpgsqlDbType.Integer);
                await w.WriteAsync(y, NpgsqlDbType.Integer);
                await w.WriteAsync(lon, NpgsqlDbType.Double);
                await w.WriteAsync(lat, NpgsqlDbType.Double);
            }
            await w.CompleteAsync();
        }
        await using (var w = await db.BeginBinaryImportAsync("COPY patches (id, wkt) FROM STDIN (FORMAT BINARY)"))
        {
            // Patches go to PostGIS only; the product's path reads them as the import does, from the request.
            foreach (var (id, shape) in patches)
            {
                await w.StartRowAsync();
                await w.WriteAsync(id, NpgsqlDbType.Uuid);
                await w.WriteAsync(shape.AsText(), NpgsqlDbType.Text);
            }
            await w.CompleteAsync();
        }
        await Exec(db, """
            UPDATE mines SET geom = ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326);
            UPDATE adits SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
            UPDATE patches SET geom = ST_GeomFromText(wkt, 4326);
            UPDATE patches SET geog = geom::geography;
            CREATE INDEX ON mines (minlon, maxlon, minlat, maxlat);
            CREATE INDEX ON adits (mapx, mapy);
            CREATE INDEX ON mines USING gist (geom);
            CREATE INDEX ON adits USING gist (geog);
            CREATE INDEX ON patches USING gist (geom);
            CREATE INDEX ON patches USING gist (geog);
            ANALYZE;
            """);
    }

    /// <summary>The product's way: per cell, one box query for licences and one for adits, then the exact tests in memory.</summary>
    private static async Task<(int Inside, int Crossing, int Outside, long Pairs)> ProductAsync(NpgsqlConnection db, List<(Guid Id, Polygon Shape)> patches)
    {
        var (inside, crossing, outside, pairs) = (0, 0, 0, 0L);
        foreach (var cell in patches.GroupBy(p => (
                     X: Math.Clamp((int)((p.Shape.EnvelopeInternal.MinX - West) / Width * CellsX), 0, CellsX - 1),
                     Y: Math.Clamp((int)((p.Shape.EnvelopeInternal.MinY - South) / Height * CellsY), 0, CellsY - 1))))
        {
            var box = new Envelope();
            foreach (var p in cell) box.ExpandToInclude(p.Shape.EnvelopeInternal);
            box = PatchMatcher.Expand(box, Metres);
            var mines = new List<MineOutline>();
            await using (var cmd = new NpgsqlCommand("SELECT id, geojson FROM mines WHERE minlon <= @maxx AND maxlon >= @minx AND minlat <= @maxy AND maxlat >= @miny", db))
            {
                cmd.Parameters.AddWithValue("maxx", box.MaxX); cmd.Parameters.AddWithValue("minx", box.MinX);
                cmd.Parameters.AddWithValue("maxy", box.MaxY); cmd.Parameters.AddWithValue("miny", box.MinY);
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) mines.Add(new MineOutline(r.GetGuid(0), GeoJson.ReadFirstGeometry(r.GetString(1))));
            }
            var adits = new List<AditPoint>();
            var (x0, y0) = WebMercator.Tile(box.MinX, box.MaxY);
            var (x1, y1) = WebMercator.Tile(box.MaxX, box.MinY);
            await using (var cmd = new NpgsqlCommand("SELECT id, lon, lat FROM adits WHERE mapx >= @x0 AND mapx <= @x1 AND mapy >= @y0 AND mapy <= @y1", db))
            {
                cmd.Parameters.AddWithValue("x0", x0); cmd.Parameters.AddWithValue("x1", x1);
                cmd.Parameters.AddWithValue("y0", y0); cmd.Parameters.AddWithValue("y1", y1);
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) adits.Add(new AditPoint(r.GetGuid(0), r.GetDouble(1), r.GetDouble(2)));
            }
            var matcher = new PatchMatcher(mines, adits, [], Metres);
            foreach (var p in cell)
            {
                switch (matcher.AgainstMines(p.Shape).Relation)
                {
                    case MineRelation.Inside: inside++; break;
                    case MineRelation.Crossing: crossing++; break;
                    default: outside++; break;
                }
                pairs += matcher.NearAdits(p.Shape).Count;
            }
        }
        return (inside, crossing, outside, pairs);
    }

    private static async Task<(int Inside, int Crossing, int Outside, long Pairs)> PostGisAsync(NpgsqlConnection db)
    {
        var (inside, crossing, outside) = (0, 0, 0);
        await using (var cmd = new NpgsqlCommand("""
            SELECT rel, count(*) FROM (
              SELECT p.id, CASE WHEN count(m.id) = 0 THEN 0 WHEN bool_or(NOT ST_Covers(m.geom, p.geom)) THEN 2 ELSE 1 END AS rel
              FROM patches p LEFT JOIN mines m ON ST_Intersects(m.geom, p.geom)
              GROUP BY p.id) x
            GROUP BY rel
            """, db) { CommandTimeout = 0 })
        {
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var n = (int)r.GetInt64(1);
                switch (r.GetInt32(0)) { case 1: inside = n; break; case 2: crossing = n; break; default: outside = n; break; }
            }
        }
        await using var pairsCmd = new NpgsqlCommand(
            "SELECT count(*) FROM patches p JOIN adits a ON ST_DWithin(p.geog, a.geog, @m, false)", db) { CommandTimeout = 0 };
        pairsCmd.Parameters.AddWithValue("m", Metres);
        var pairs = (long)(await pairsCmd.ExecuteScalarAsync())!;
        return (inside, crossing, outside, pairs);
    }
}
