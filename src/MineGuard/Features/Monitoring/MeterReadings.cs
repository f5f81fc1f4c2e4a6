using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Monitoring;

/// <summary>A reading to store: the meter (device), its division, the time (UTC), the value and what it counts.</summary>
public readonly record struct MeterReadingInput(Guid DeviceId, string DivisionCode, DateTime Utc, double Kwh, MeterReadingKind Kind);

/// <summary>What storing a set of readings did: new rows, rows already there with the same value, rows replaced.</summary>
public sealed record MeterStoreResult(int Stored, int Unchanged, int Replaced, List<MeterReplacement> Replacements)
{
    public static readonly MeterStoreResult None = new(0, 0, 0, []);

    /// <summary>The Chinese sentence an audit record or a page shows ("" when nothing was sent).</summary>
    public string Summary => Stored + Unchanged + Replaced == 0 ? ""
        : $"电表读数新增 {Stored} 条，重复 {Unchanged} 条" + (Replaced > 0 ? $"，更正 {Replaced} 条（以最新为准）" : "");
}

/// <summary>A reading sent again for the same meter and time with another value: the latest is kept.</summary>
public sealed record MeterReplacement(Guid DeviceId, DateTime Utc, double OldKwh, double NewKwh);

/// <summary>
/// The meter readings time series: stores readings set-based and idempotently, in the caller's transaction (ingestion,
/// the power company's upload, the benchmark all come here). New rows go in with <see cref="BulkInsert"/> (COPY on
/// PostgreSQL); a reading already stored with the same value is a no-op; one with another value replaces it and says so.
/// On PostgreSQL the month partition a reading falls in is created first when it does not exist yet.
/// </summary>
public static class MeterReadings
{
    public const string Ingest = "ingest";
    public const string Upload = "upload";

    public static async Task<MeterStoreResult> StoreAsync(AppDbContext db, IReadOnlyList<MeterReadingInput> readings, string source, DateTime nowUtc,
        CancellationToken ct)
    {
        if (readings.Count == 0) return MeterStoreResult.None;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("MeterReadings.StoreAsync writes inside the caller's transaction.");
        // The same meter and time twice in one set: the later one is what was meant.
        var latest = new Dictionary<(Guid, DateTime), MeterReadingInput>(readings.Count);
        foreach (var r in readings) latest[(r.DeviceId, r.Utc)] = r;
        var devices = latest.Values.Select(r => r.DeviceId).Distinct().ToList();
        if (db.IsPostgres)
        {
            await EnsurePartitionsAsync(db, latest.Values.Select(r => MonthOf(r.Utc)).Distinct().ToList(), ct);
            // One writer per meter at a time (ingestion and an upload of the same meter), taken in one round trip.
            var keys = devices.Select(d => d.ToString()).ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"SELECT pg_advisory_xact_lock_shared({WritersKey}), count(pg_advisory_xact_lock({(int)LockKey.MeterWrites}, h)) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest({keys}::text[]) AS k ORDER BY 1) AS s", ct);
        }

        var from = latest.Values.Min(r => r.Utc);
        var to = latest.Values.Max(r => r.Utc);
        // Uniqueness is county-blind: a meter moved to another division still has its readings.
        var existing = new Dictionary<(Guid, DateTime), (double Kwh, MeterReadingKind Kind)>();
        foreach (var chunk in devices.Chunk(500))
        {
            var rows = await db.MeterReadings().Beyond(ScopeExit.Uniqueness).AsNoTracking()
                .Where(r => chunk.Contains(r.DeviceId) && r.Utc >= from && r.Utc <= to)
                .Select(r => new { r.DeviceId, r.Utc, r.Kwh, r.Kind }).ToListAsync(ct);
            foreach (var r in rows) existing[(r.DeviceId, r.Utc)] = (r.Kwh, r.Kind);
        }

        var fresh = new List<object>();
        var replaced = new List<MeterReplacement>();
        var unchanged = 0;
        foreach (var r in latest.Values)
        {
            if (!existing.TryGetValue((r.DeviceId, r.Utc), out var old))
                fresh.Add(MeterReading.Create(r.DeviceId, r.Utc, r.DivisionCode, r.Kwh, r.Kind, source, nowUtc));
            else if (old.Kwh.Equals(r.Kwh) && old.Kind == r.Kind) unchanged++;
            else replaced.Add(new(r.DeviceId, r.Utc, old.Kwh, r.Kwh));
        }
        if (fresh.Count > 0) await db.InsertAsync(fresh, ct);
        foreach (var r in replaced)
        {
            var kind = latest[(r.DeviceId, r.Utc)].Kind;
            await db.MeterReadings().Beyond(ScopeExit.Uniqueness).Where(m => m.DeviceId == r.DeviceId && m.Utc == r.Utc)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReplacedKwh, r.OldKwh).SetProperty(m => m.Kwh, r.NewKwh)
                    .SetProperty(m => m.Kind, kind).SetProperty(m => m.Source, source).SetProperty(m => m.StoredUtc, nowUtc), ct);
        }
        // A late reading may change a day an incremental meter scan has learned from.
        MeterSeriesChanges.Note(fresh.Cast<MeterReading>().Select(r => (r.DeviceId, r.Utc)).Concat(replaced.Select(r => (r.DeviceId, r.Utc))), nowUtc);
        return new MeterStoreResult(fresh.Count, unchanged, replaced.Count, replaced);
    }

    /// <summary>Advisory lock key every writer of readings holds shared until it commits (<see cref="WaitForWritersAsync"/>).</summary>
    private const long WritersKey = (long)LockKey.MeterScan;

    /// <summary>
    /// Returns once every writer of readings that started before has committed or rolled back (PostgreSQL: the writers'
    /// shared advisory lock taken exclusively for one statement, outside any transaction), so that a scan taking its
    /// tick after it and reading after it has read every reading noted before the tick (<see cref="MeterSeriesChanges"/>).
    /// SQLite needs no barrier: the scan's own transaction (BEGIN IMMEDIATE) excludes writers; take the tick after it began.
    /// </summary>
    public static async Task WaitForWritersAsync(AppDbContext db, CancellationToken ct)
    {
        if (!db.IsPostgres) return;
        if (db.Database.CurrentTransaction is not null) throw new InvalidOperationException("MeterReadings.WaitForWritersAsync runs outside a transaction.");
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({WritersKey})", ct);
    }

    /// <summary>The readings of <c>meter.readings</c> events (already checked by <see cref="EventParser"/>).</summary>
    public static List<MeterReadingInput> FromEvents(IEnumerable<(ParsedEvent Event, IngestDevice? Device)> events)
    {
        var result = new List<MeterReadingInput>();
        foreach (var (e, device) in events)
        {
            if (e.Type != EventTypes.Meter || device is null) continue;
            using var doc = JsonDocument.Parse(e.Data);
            var kind = EventParser.Text(doc.RootElement, "kind") == "register" ? MeterReadingKind.Register : MeterReadingKind.Interval;
            foreach (var r in doc.RootElement.GetProperty("readings").EnumerateArray())
            {
                var at = DateTimeOffset.Parse(EventParser.Text(r, "at")!, CultureInfo.InvariantCulture).UtcDateTime;
                var readingKind = EventParser.Text(r, "kind") is { } k ? k == "register" ? MeterReadingKind.Register : MeterReadingKind.Interval : kind;
                result.Add(new(device.Id, device.DivisionCode, TruncateToSecond(at), r.GetProperty("kwh").GetDouble(), readingKind));
            }
        }
        return result;
    }

    public static DateTime TruncateToSecond(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static DateTime MonthOf(DateTime utc) => new(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string PartitionName(DateTime month) => $"MeterReadings_{month:yyyy_MM}";

    /// <summary>
    /// PostgreSQL: creates the month partitions that do not exist yet (a reading in a month the migration did not
    /// cover), in the caller's transaction. One round trip when all exist; creation is serialised by an advisory lock.
    /// </summary>
    public static async Task EnsurePartitionsAsync(AppDbContext db, IReadOnlyList<DateTime> months, CancellationToken ct)
    {
        var names = months.Select(PartitionName).ToArray();
        var found = (await db.Database.SqlQuery<string>(
            $"SELECT relname::text AS \"Value\" FROM pg_class WHERE relname = ANY({names}) AND relkind = 'r' AND relnamespace = current_schema()::regnamespace").ToListAsync(ct)).ToHashSet();
        var missing = months.Where(m => !found.Contains(PartitionName(m))).Order().ToList();
        if (missing.Count == 0) return;
        await db.LockAsync(LockKey.MeterPartitions, ct);
        foreach (var month in missing)
        {
#pragma warning disable EF1002 // the name and bounds are made here from a DateTime, not from input text
            await db.Database.ExecuteSqlRawAsync(
                $"CREATE TABLE IF NOT EXISTS \"{PartitionName(month)}\" PARTITION OF \"MeterReadings\" FOR VALUES FROM ('{month:yyyy-MM-dd} 00:00:00+00') TO ('{month.AddMonths(1):yyyy-MM-dd} 00:00:00+00')", ct);
#pragma warning restore EF1002
        }
    }
}
