using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Bench;

/// <summary>
/// A fixed data set: adits spread evenly over the area of the city's counties (inside their shipped boundaries),
/// each in a township of its county, with a realistic mix of seal states. Same seed, same adits, on both engines.
/// Rows go in by batched INSERT statements, not through EF change tracking and the audit trail.
/// </summary>
public static class AditGenerator
{
    private static readonly string[] Columns =
    [
        "Id", "Number", "CountyCode", "TownshipCode", "DivisionCode", "Lon", "Lat", "MapX", "MapY", "Mineral", "Origin",
        "Status", "State", "CurrentSealMethod", "BreachCount", "SealCount", "IsDemo", "CreatedUtc", "UpdatedUtc",
    ];

    private sealed record County(string Code, IPreparedGeometry Outline, Envelope Box, double Area, string[] Townships);

    public static async Task<int> InsertAsync(AppDbContext db, string cityCode, int count, int seed)
    {
        var counties = await CountiesAsync(db, cityCode);
        var totalArea = counties.Sum(c => c.Area);
        var random = new Random(seed);
        var now = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        // SQLite is fastest with one prepared single-row statement run again and again (it binds parameters by name,
        // so very wide statements are slow); PostgreSQL with few round trips of many rows each.
        var perStatement = db.IsPostgres ? 500 : 1;
        DbCommand? insert = null;
        var rows = new List<object?[]>(perStatement);
        for (var i = 0; i < count; i++)
        {
            rows.Add(Row(i, Pick(counties, totalArea, random), random, now, db.IsPostgres));
            if (rows.Count < perStatement && i < count - 1) continue;
            if (insert is null || insert.Parameters.Count != rows.Count * Columns.Length)
            {
                if (insert is not null) await insert.DisposeAsync();
                insert = Command(connection, tx, rows.Count);
            }
            for (var p = 0; p < insert.Parameters.Count; p++) insert.Parameters[p].Value = rows[p / Columns.Length][p % Columns.Length] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            rows.Clear();
        }
        if (insert is not null) await insert.DisposeAsync();
        await tx.CommitAsync();
        if (db.IsPostgres)
        {
            // What autovacuum does after a bulk insert: planner statistics, and the visibility map index-only scans need.
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM ANALYZE \"Adits\"";
            await vacuum.ExecuteNonQueryAsync();
        }
        await connection.CloseAsync();
        return counties.Count;
    }

    private static async Task<List<County>> CountiesAsync(AppDbContext db, string cityCode)
    {
        var rows = await db.Divisions.AsNoTracking()
            .Where(d => d.ParentCode == cityCode && d.Level == DivisionLevel.County && d.BoundaryGeoJson != null)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.BoundaryGeoJson }).ToListAsync();
        var townships = await db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(cityCode))
            .Where(d => d.Level == DivisionLevel.Township).OrderBy(d => d.Code).Select(d => new { d.Code, d.ParentCode }).ToListAsync();
        return rows.Select(r =>
        {
            var outline = GeoJson.ReadFirstGeometry(r.BoundaryGeoJson!);
            var own = townships.Where(t => t.ParentCode == r.Code).Select(t => t.Code).ToArray();
            return new County(r.Code, PreparedGeometryFactory.Prepare(outline), outline.EnvelopeInternal, outline.Area, own);
        }).Where(c => c.Townships.Length > 0).ToList();
    }

    /// <summary>A county chosen in proportion to its area, then a point inside it by rejection sampling.</summary>
    private static (County County, double Lon, double Lat) Pick(List<County> counties, double totalArea, Random random)
    {
        var r = random.NextDouble() * totalArea;
        var county = counties[^1];
        foreach (var c in counties)
        {
            if ((r -= c.Area) < 0)
            {
                county = c;
                break;
            }
        }
        while (true)
        {
            var lon = county.Box.MinX + (random.NextDouble() * county.Box.Width);
            var lat = county.Box.MinY + (random.NextDouble() * county.Box.Height);
            if (county.Outline.Contains(new Point(lon, lat))) return (county, lon, lat);
        }
    }

    private static object?[] Row(int i, (County County, double Lon, double Lat) at, Random random, DateTime now, bool postgres)
    {
        var (county, lon, lat) = at;
        var township = county.Townships[random.Next(county.Townships.Length)];
        var (x, y) = WebMercator.Tile(lon, lat);
        // About a third unsealed, a quarter sealed, a quarter accepted, one in twenty broken open; one seal in ten of loose rocks.
        var roll = random.Next(100);
        var state = roll < 35 ? SealState.Unsealed : roll < 62 ? SealState.Sealed : roll < 95 ? SealState.Accepted : SealState.Breached;
        SealMethod? method = state == SealState.Unsealed ? null
            : random.Next(10) == 0 ? SealMethod.LooseRocks : (SealMethod)(1 + random.Next(5));
        var breaches = state == SealState.Breached ? 1 + random.Next(3) : random.Next(20) == 0 ? 1 : 0;
        var id = Guid.CreateVersion7();
        return
        [
            postgres ? id : id.ToString().ToUpperInvariant(), $"BENCH-{i:D6}", county.Code, township, township, lon, lat, x, y,
            1 + random.Next(8), 1 + random.Next(6), (int)AditStatus.Active, (int)state, method is null ? null : (int)method.Value,
            breaches, state == SealState.Unsealed ? 0 : 1 + breaches, false, now, now,
        ];
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, int rows)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        var values = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var names = new string[Columns.Length];
            for (var c = 0; c < Columns.Length; c++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = names[c] = $"@p{r}_{c}";
                cmd.Parameters.Add(p);
            }
            values.Add($"({string.Join(',', names)})");
        }
        cmd.CommandText = $"INSERT INTO \"Adits\" ({string.Join(',', Columns.Select(c => $"\"{c}\""))}) VALUES {string.Join(',', values)}";
        return cmd;
    }
}
