using System.Collections.Concurrent;
using System.Diagnostics;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// Late readings, noted as they are stored (process-wide): a reading for an hour before the present China-time day
/// may change a day that an incremental meter scan has already learned from, so the scan asks here before it goes on
/// from what it kept. Readings of the present day are not noted (the daily scan reads them anyway). Per meter the note is
/// the earliest late hour and when it was last noted (a monotonic tick).
/// </summary>
public static class MeterSeriesChanges
{
    private static readonly ConcurrentDictionary<Guid, (DateTime EarliestUtc, long Tick)> Notes = new();

    /// <summary>Now on the monotonic clock the notes use (milliseconds).</summary>
    public static long Tick => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000);

    /// <summary>Notes the readings stored at <paramref name="nowUtc"/> that fall before the present China-time day.</summary>
    public static void Note(IEnumerable<(Guid DeviceId, DateTime Utc)> stored, DateTime nowUtc)
    {
        var today = ChinaTime.ToUtc(ChinaTime.ToLocal(nowUtc).Date);
        var tick = Tick;
        foreach (var g in stored.Where(r => r.Utc < today).GroupBy(r => r.DeviceId))
        {
            var earliest = g.Min(r => r.Utc);
            Notes.AddOrUpdate(g.Key, (earliest, tick), (_, old) => (earliest < old.EarliestUtc ? earliest : old.EarliestUtc, tick));
        }
    }

    /// <summary>Drops the meter's note when it was made before <paramref name="readTick"/> (the scan that read it all).</summary>
    public static void Forget(Guid deviceId, long readTick)
    {
        if (Notes.TryGetValue(deviceId, out var n) && n.Tick < readTick) Notes.TryRemove(new KeyValuePair<Guid, (DateTime, long)>(deviceId, n));
    }

    /// <summary>
    /// Whether a reading before <paramref name="beforeUtc"/> was stored for the meter at or after <paramref name="sinceTick"/>.
    /// The scan takes its tick after <see cref="MeterReadings.WaitForWritersAsync"/> (SQLite: in its immediate transaction):
    /// a note made before it belongs to a writer that had committed, so the scan read that reading (a note is made in
    /// the writer's transaction, under the writers' lock).
    /// </summary>
    public static bool ChangedBefore(Guid deviceId, DateTime beforeUtc, long sinceTick) =>
        Notes.TryGetValue(deviceId, out var n) && n.EarliestUtc < beforeUtc && n.Tick >= sinceTick;
}
