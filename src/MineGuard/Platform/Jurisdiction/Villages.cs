using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>One village of the shipped village level: 12-digit code, statistical name, 9-digit township code.</summary>
public sealed record VillageRow(string Code, string Name, string TownshipCode);

/// <summary>
/// The national village level (村级, 12-digit statistical codes, 2022 release: see Data/SOURCE.md), shipped as one
/// gzip-compressed CSV sorted by code. Loading all 620,000 villages into every database (the tests make many) would
/// slow every start for nothing, so a county's villages are loaded on first need for that county
/// (<see cref="EnsureCountyAsync"/>: its ledgers, the division tree, pickers down to village level), and
/// <c>mineguard divisions villages --all</c> loads the whole country (<see cref="LoadAllAsync"/>). Both insert only
/// codes the database lacks, so running again inserts nothing and a village an administrator added by hand (same code)
/// keeps its row.
/// </summary>
public static class Villages
{
    public const string File = "villages.csv.gz";

    // A county's rows, read once per process: a county has a few hundred villages, the whole file 27 MB of text.
    private static readonly ConcurrentDictionary<string, VillageRow[]> ByCounty = new(StringComparer.Ordinal);

    /// <summary>Every village whose code starts with <paramref name="prefix"/> (all with ""), in code order.</summary>
    public static IEnumerable<VillageRow> Read(string prefix = "")
    {
        using var gzip = new GZipStream(DivisionSeeder.OpenResource(File), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8, false, 1 << 16);
        reader.ReadLine(); // header: code,name,streetCode
        var seen = false;
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (seen) yield break; // sorted by code: the prefix's rows are together
                continue;
            }
            seen = true;
            var first = line.IndexOf(',', StringComparison.Ordinal);
            var last = line.LastIndexOf(',');
            yield return new VillageRow(line[..first], line[(first + 1)..last], line[(last + 1)..]);
        }
    }

    /// <summary>The villages the product ships for a county (6-digit code), cached.</summary>
    public static IReadOnlyList<VillageRow> OfCounty(string countyCode) =>
        countyCode.Length == 6 ? ByCounty.GetOrAdd(countyCode, c => [.. Read(c)]) : [];

    /// <summary>
    /// Makes sure the county's shipped villages are in the database. <paramref name="known"/> (the codes the caller
    /// already loaded below the county) saves the query; returns how many villages were added (0 almost always).
    /// </summary>
    public static async Task<int> EnsureCountyAsync(AppDbContext db, string countyCode, IReadOnlySet<string>? known, CancellationToken ct)
    {
        var county = OfCounty(countyCode);
        if (county.Count == 0) return 0;
        var key = (db.Database.GetConnectionString() ?? "", countyCode);
        if (Complete.ContainsKey(key)) return 0;
        // Remembered only outside a caller's transaction: one that rolls back would take the villages with it.
        var remember = db.Database.CurrentTransaction is null;
        known ??= (await db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(countyCode))
            .Where(d => d.Level >= DivisionLevel.Township).Select(d => d.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var added = county.All(v => known.Contains(v.Code)) ? 0
            // A county's load is small; it joins the caller's transaction when there is one (an import's), else has its own.
            : await InsertAsync(db, county, known, countyCode, ct);
        if (remember) Complete.TryAdd(key, true);
        return added;
    }

    // Counties whose shipped villages are known to be in a database (by connection string): a page that shows a
    // county's tree asks on every load, and the answer never goes back (townships come only from the shipped levels,
    // divisions are never deleted).
    private static readonly ConcurrentDictionary<(string Database, string County), bool> Complete = new();

    /// <summary>
    /// For a page or list about to show a county's or township's children (the division tree, a picker down to village
    /// level): its county's villages, on first need. Nothing for a node above a county (too many) or below a township.
    /// </summary>
    public static Task<int> EnsureForAsync(AppDbContext db, string divisionCode, CancellationToken ct) =>
        divisionCode.Length is 6 or 9 && divisionCode.All(char.IsAsciiDigit)
            ? EnsureCountyAsync(db, divisionCode[..6], null, ct)
            : Task.FromResult(0);

    /// <summary>Loads every village of the country that the database lacks (the CLI's <c>--all</c>).</summary>
    public static async Task<int> LoadAllAsync(AppDbContext db, CancellationToken ct)
    {
        var known = (await db.Divisions.AsNoTracking().Where(d => d.Level >= DivisionLevel.Township).Select(d => d.Code).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        return await InsertAsync(db, Read(), known, null, ct);
    }

    /// <summary>
    /// Inserts the rows whose township exists and whose code does not. On PostgreSQL under an advisory lock (two nodes
    /// loading the same county wait for each other; the whole country takes the seeder's lock); the insert skips codes
    /// present anyway (ON CONFLICT DO NOTHING), so a county and the whole country loading at once cannot clash either.
    /// </summary>
    private static async Task<int> InsertAsync(AppDbContext db, IEnumerable<VillageRow> rows, IReadOnlySet<string> known,
        string? countyCode, CancellationToken ct)
    {
        var missing = rows.Where(v => !known.Contains(v.Code) && known.Contains(v.TownshipCode))
            .Select(v => (v.Code, v.Name, DivisionLevel.Village, (string?)v.TownshipCode)).ToList();
        if (missing.Count == 0) return 0;
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            if (countyCode is null) await db.LockAsync(LockKey.Divisions, ct);
            else await db.LockAsync(LockKey.Divisions, countyCode, ct);
            var inserted = await DivisionSeeder.BulkInsertAsync(db, missing, db.Clock.GetUtcNow().UtcDateTime, ct);
            if (own is not null) await own.CommitAsync(ct);
            return inserted;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }
}
