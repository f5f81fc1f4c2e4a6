using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MineGuard.Data;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>
/// Loads the product's own division codes (four levels, 2023 statistical codes) and the county boundaries it ships,
/// converted from GCJ-02 to WGS84, into an empty database.
/// </summary>
public static class DivisionSeeder
{
    public static async Task<int> SeedAsync(AppDbContext db, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(LockKey.Divisions, ct);
        if (!await db.Departments.AnyAsync(ct))
        {
            db.Departments.AddRange(Department.All());
            await db.SaveChangesAsync(ct);
        }
        if (await db.Divisions.AnyAsync(ct))
        {
            await tx.CommitAsync(ct);
            return 0;
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        var rows = ReadCsv("provinces.csv").Select(r => (r[0], r[1], DivisionLevel.Province, (string?)null))
            .Concat(ReadCsv("cities.csv").Select(r => (r[0], r[1], DivisionLevel.City, (string?)r[2])))
            .Concat(ReadCsv("areas.csv").Select(r => (r[0], r[1], DivisionLevel.County, (string?)r[2])))
            .Concat(ReadCsv("streets.csv").Select(r => (r[0], r[1], DivisionLevel.Township, (string?)r[2])))
            .ToList();
        await BulkInsertAsync(db, rows, now, ct);
        await LoadBoundariesAsync(db, ct);
        db.AuditEvent("seed", nameof(Division), "*", $"{rows.Count} 个行政区划（统计用区划代码 2023）");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>
    /// Inserts official divisions in the caller's transaction, fast: one statement over arrays on PostgreSQL, one
    /// prepared command on SQLite. A code already present is skipped (an administrator's village keeps its row).
    /// Returns the number of rows inserted.
    /// </summary>
    internal static async Task<int> BulkInsertAsync(
        AppDbContext db, IReadOnlyCollection<(string Code, string Name, DivisionLevel Level, string? Parent)> rows, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (db.IsPostgres)
        {
            // One statement over arrays per 50,000 rows: tens of thousands of rows in well under a second, and the whole
            // country's villages (620,000) in statements that each finish well within the command timeout.
            cmd.CommandText = """
                INSERT INTO "Divisions" ("Code", "Name", "Level", "ParentCode", "IsDemo", "CreatedUtc")
                SELECT c, n, l, p, false, @t FROM unnest(@c, @n, @l, @p) AS u(c, n, l, p)
                ON CONFLICT ("Code") DO NOTHING
                """;
            var (pc, pn, pl, pp) = (Add(cmd, "@c", Array.Empty<string>()), Add(cmd, "@n", Array.Empty<string>()), Add(cmd, "@l", Array.Empty<int>()),
                Add(cmd, "@p", Array.Empty<string?>()));
            Add(cmd, "@t", now);
            var added = 0;
            foreach (var chunk in rows.Chunk(50_000))
            {
                pc.Value = chunk.Select(r => r.Code).ToArray();
                pn.Value = chunk.Select(r => r.Name).ToArray();
                pl.Value = chunk.Select(r => (int)r.Level).ToArray();
                pp.Value = chunk.Select(r => r.Parent).ToArray();
                added += await cmd.ExecuteNonQueryAsync(ct);
            }
            return added;
        }
        cmd.CommandText = """
            INSERT INTO "Divisions" ("Code", "Name", "Level", "ParentCode", "IsDemo", "CreatedUtc")
            VALUES (@c, @n, @l, @p, 0, @t)
            ON CONFLICT ("Code") DO NOTHING
            """;
        var (c, n, l, p) = (Add(cmd, "@c", ""), Add(cmd, "@n", ""), Add(cmd, "@l", 0), Add(cmd, "@p", DBNull.Value));
        Add(cmd, "@t", now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
        await cmd.PrepareAsync(ct);
        var inserted = 0;
        foreach (var row in rows)
        {
            c.Value = row.Code;
            n.Value = row.Name;
            l.Value = (int)row.Level;
            p.Value = (object?)row.Parent ?? DBNull.Value;
            inserted += await cmd.ExecuteNonQueryAsync(ct);
        }
        return inserted;
    }

    private static DbParameter Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
        return p;
    }

    private static async Task LoadBoundariesAsync(AppDbContext db, CancellationToken ct)
    {
        // City files hold all their counties; single-county files are loaded last and win.
        var counties = new Dictionary<string, Geometry>();
        foreach (var file in Resources("boundaries/").OrderBy(f => f.EndsWith("00.json", StringComparison.Ordinal) ? 0 : 1))
        {
            foreach (var (properties, geometry) in GeoJson.ReadFeatures(ReadResource(file)))
            {
                if (!properties.TryGetProperty("adcode", out var adcode)) continue;
                var code = Renamed.GetValueOrDefault(adcode.ToString(), adcode.ToString());
                var wgs = Gcj02.GeometryToWgs84(geometry);
                // A merged county's old parts join its outline; a county's own file replaces its city-file outline.
                counties[code] = counties.TryGetValue(code, out var known) && code != adcode.ToString() ? known.Union(wgs) : wgs;
            }
        }
        foreach (var (code, geometry) in counties)
        {
            var json = GeoJson.Write(geometry);
            await db.Divisions.Where(d => d.Code == code).ExecuteUpdateAsync(s => s.SetProperty(d => d.BoundaryGeoJson, json), ct);
        }
        foreach (var city in counties.GroupBy(c => c.Key[..4]))
        {
            var union = UnaryUnionOp.Union(city.Select(c => c.Value).ToList());
            var json = GeoJson.Write(union);
            await db.Divisions.Where(d => d.Code == city.Key).ExecuteUpdateAsync(s => s.SetProperty(d => d.BoundaryGeoJson, json), ct);
        }
    }

    private const string Prefix = "divisions/";

    /// <summary>
    /// Outlines drawn before the 2021 changes in Luoyang carry old codes: 偃师市 became 偃师区, 孟津县 became 孟津区,
    /// and 吉利区 was merged into 孟津区. The 2023 codes are the product's, so the outlines follow them.
    /// </summary>
    private static readonly Dictionary<string, string> Renamed = new()
    {
        ["410381"] = "410307", ["410322"] = "410308", ["410306"] = "410308",
    };

    /// <summary>An embedded data file of the division codes (<c>divisions/…</c>), for the village level's loader.</summary>
    internal static Stream OpenResource(string file) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + file) ?? throw new FileNotFoundException(Prefix + file);

    private static IEnumerable<string> Resources(string folder) =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames().Where(n => n.StartsWith(Prefix + folder, StringComparison.Ordinal));

    private static string ReadResource(string name)
    {
        using var reader = new StreamReader(Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    /// <summary>The division CSVs are simple: a header, then fields that are digits or quoted names without commas.</summary>
    private static IEnumerable<string[]> ReadCsv(string file) =>
        ReadResource(Prefix + file).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Split(',').Select(f => f.Trim('"')).ToArray());
}
