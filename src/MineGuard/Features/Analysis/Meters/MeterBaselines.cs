using System.Collections.Concurrent;
using System.Globalization;

namespace MineGuard.Features.Analysis;

/// <summary>
/// What the daily meter scan keeps between runs (a singleton, in memory): per meter the detector's
/// <see cref="MeterBaseline"/> after the last day that was complete when it was scanned, the UTC start of the day after
/// it, the key of the meter's expectation it was learned under and when its readings were read
/// (<see cref="Features.Monitoring.MeterSeriesChanges.Tick"/>). The next daily scan goes on from it with only the new
/// readings instead of re-reading the meter's year; a meter without an entry (first run after a start), whose
/// expectation changed (a seal, a mine's status, an explanation) or that received late readings for a kept day is
/// re-scanned whole, which makes a new entry. About 1 KB per meter.
/// </summary>
public sealed class MeterBaselines
{
    public sealed record Entry(MeterBaseline Committed, DateTime CommittedEndUtc, string ContextKey, long ReadTick);

    private readonly ConcurrentDictionary<Guid, Entry> entries = new();

    public int Count => entries.Count;

    public bool TryGet(Guid meterId, out Entry entry) => entries.TryGetValue(meterId, out entry!);

    public void Set(Guid meterId, Entry entry) => entries[meterId] = entry;

    public void Clear() => entries.Clear();

    /// <summary>The expectation a baseline was learned under: the state timeline and the declared explanations.</summary>
    public static string KeyOf(MeterContext context) => string.Join(";",
        context.States.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.FromUtc.Ticks}:{s.State}:{s.BaseKw}"))
            .Concat(context.Explanations.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.FromUtc.Ticks}-{e.ToUtc?.Ticks}:{e.ExtraKw}:{e.Cause}"))));
}
