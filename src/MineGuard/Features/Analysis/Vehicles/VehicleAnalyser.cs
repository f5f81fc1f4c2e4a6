using MineGuard.Platform.People;
using System.Globalization;
using System.Runtime.InteropServices;
using MineGuard.Features.Monitoring;

namespace MineGuard.Features.Analysis;

/// <summary>One passage as the analyser reads it: the checkpoint (any small integer per checkpoint), the plate, the time (UTC).</summary>
public readonly record struct PlatePassage(int Checkpoint, string Plate, DateTime Utc);

/// <summary>
/// What the analyser knows beyond the window's passages: the window [<see cref="From"/>, <see cref="To"/>), each plate's
/// last passage before it (for "seen again after a long absence"), the first passage the store holds at all (a plate
/// never seen since then was unseen that long), and the cases or key persons a plate is linked to (their labels).
/// </summary>
public sealed record VehicleContext(DateTime From, DateTime To)
{
    public IReadOnlyDictionary<string, DateTime> LastSeenBefore { get; init; } = new Dictionary<string, DateTime>();
    public DateTime? HistoryFromUtc { get; init; }
    public IReadOnlyDictionary<string, List<string>> Links { get; init; } = new Dictionary<string, List<string>>();
}

/// <summary>The analyser's settings: companions within <see cref="CompanionMinutes"/> on at least <see cref="CompanionDays"/>
/// distinct days that are at least <see cref="CompanionShare"/> of the days the rarer of the two was seen (two commuters
/// at the same gate every morning meet by timetable, not by arrangement); an absence of at least <see cref="AbsenceDays"/>;
/// and together at two or more checkpoints or at night at least twice (two commuters of the same shift meet at their
/// gate by day only); findings from <see cref="MinScore"/>; at most <see cref="MaxNeighbours"/> earlier passages looked
/// at per passage.</summary>
public sealed record VehicleOptions(int CompanionMinutes = 5, int CompanionDays = 3, double CompanionShare = 0.5, int AbsenceDays = 60,
    double MinScore = 0.3, int MaxNeighbours = 64)
{
    public static readonly VehicleOptions Default = new();
}

/// <summary>A plate that passed the same checkpoint within minutes of another on <see cref="Days"/> distinct days (China time).</summary>
public sealed record VehicleCompanion(string Plate, int Days, int Passes);

/// <summary>
/// One plate's finding: passages in the window, distinct checkpoints, night passages (22:00–06:00 China time), the days
/// it had been unseen before it came back (<see cref="Returned"/>: seen before, then absent; otherwise first seen since
/// the store's history began), its companions, links, and the score 0–1.
/// </summary>
public sealed record VehicleFinding(string Plate, int Passages, int Checkpoints, int Night, int? AbsentDays, bool Returned,
    List<VehicleCompanion> Companions, List<string> Links, double Score);

/// <summary>
/// 车辆研判 (issue 16): from checkpoint passages in a window, per plate: how often, how many checkpoints, how often at
/// night, first seen after a long absence, companions (plates passing the same checkpoint within N minutes on ≥ 3
/// distinct days), links to cases or key persons; a score 0–1 and the explanation with the numbers. Pure: no database.
/// <para>
/// Linear apart from one sort: plates are interned, passages sorted by time once; per plate counts in one pass; the
/// companions in the same pass with a sliding window per checkpoint (a queue of the last N minutes' passages there, at
/// most <see cref="VehicleOptions.MaxNeighbours"/> looked at), so pairs are met in time order and distinct days are
/// counted without a set. 1,000,000 passages take well under 10 s (bench: <c>-- vehicles</c>).
/// </para>
/// </summary>
public static class VehicleAnalyser
{
    private static readonly long ChinaOffset = TimeSpan.FromHours(8).Ticks;

    private struct PlateStats
    {
        public int Passages, Night, Checkpoints, Days, LastDay;
        public long First, Last, MaxGap;
    }

    /// <summary>Two ids packed in a long hash as upper ^ lower by default, which collides for every (a, b) with the same
    /// a ^ b; the SplitMix64 finaliser spreads them.</summary>
    private sealed class Mixed : IEqualityComparer<long>
    {
        public static readonly Mixed Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key)
        {
            var z = (ulong)key;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)(z ^ (z >> 31));
        }
    }

    private struct PairStats
    {
        public int LastDay, Days, Passes, FirstCheckpoint, NightPasses;
        public bool Elsewhere;
    }

    public static List<VehicleFinding> Analyse(IReadOnlyList<PlatePassage> passages, VehicleContext context, VehicleOptions? options = null)
    {
        var o = options ?? VehicleOptions.Default;
        var n = passages.Count;
        var plateIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var plates = new List<string>();
        var checkpointIds = new Dictionary<int, int>();
        var ticks = new long[n];
        var order = new int[n];
        var plateOf = new int[n];
        var checkpointOf = new int[n];
        var kept = 0;
        for (var i = 0; i < n; i++)
        {
            var p = passages[i];
            if (p.Utc < context.From || p.Utc >= context.To) continue;
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(plateIds, p.Plate, out var exists);
            if (!exists) { id = plates.Count; plates.Add(p.Plate); }
            ref var cp = ref CollectionsMarshal.GetValueRefOrAddDefault(checkpointIds, p.Checkpoint, out var cpExists);
            if (!cpExists) cp = checkpointIds.Count - 1;
            ticks[kept] = p.Utc.Ticks;
            plateOf[kept] = id;
            checkpointOf[kept] = cp;
            order[kept] = kept;
            kept++;
        }

        // One sort by time; everything after is one pass.
        var sortedTicks = ticks.AsSpan(0, kept).ToArray();
        Array.Sort(sortedTicks, order, 0, kept);

        var stats = new PlateStats[plates.Count];
        var queues = new Queue<int>[checkpointIds.Count];
        for (var c = 0; c < queues.Length; c++) queues[c] = new Queue<int>();
        // Each plate's distinct checkpoints: a bit per (plate, checkpoint) seen, in one hash set of longs.
        var seenAt = new HashSet<long>(Mixed.Instance);
        var pairs = new Dictionary<long, PairStats>(Mixed.Instance);
        var window = TimeSpan.FromMinutes(o.CompanionMinutes).Ticks;
        for (var k = 0; k < kept; k++)
        {
            var i = order[k];
            var t = sortedTicks[k];
            var plate = plateOf[i];
            var cp = checkpointOf[i];
            ref var s = ref stats[plate];
            var local = t + ChinaOffset;
            var day = (int)(local / TimeSpan.TicksPerDay);
            if (s.Passages == 0) s.First = t;
            else s.MaxGap = Math.Max(s.MaxGap, t - s.Last);
            s.Last = t;
            if (s.Passages == 0 || s.LastDay != day) { s.LastDay = day; s.Days++; }
            s.Passages++;
            var hour = (int)(local / TimeSpan.TicksPerHour % 24);
            if (hour is >= 22 or < 6) s.Night++;
            if (seenAt.Add(((long)plate << 32) | (uint)cp)) s.Checkpoints++;

            // Companions: the passages at this checkpoint within the window before this one.
            var queue = queues[cp];
            while (queue.Count > 0 && t - ticks[queue.Peek()] > window) queue.Dequeue();
            if (queue.Count > 0)
            {
                var skip = Math.Max(0, queue.Count - o.MaxNeighbours);
                foreach (var j in queue)
                {
                    if (skip-- > 0) continue;
                    var other = plateOf[j];
                    if (other == plate) continue;
                    var key = other < plate ? ((long)other << 32) | (uint)plate : ((long)plate << 32) | (uint)other;
                    ref var pair = ref CollectionsMarshal.GetValueRefOrAddDefault(pairs, key, out var had);
                    if (!had) (pair.LastDay, pair.FirstCheckpoint) = (int.MinValue, cp);
                    else if (pair.FirstCheckpoint != cp) pair.Elsewhere = true;
                    if (hour is >= 22 or < 6) pair.NightPasses++;
                    pair.Passes++;
                    if (pair.LastDay != day) { pair.LastDay = day; pair.Days++; }
                }
            }
            queue.Enqueue(i);
        }

        var companions = new Dictionary<int, List<VehicleCompanion>>();
        foreach (var (key, pair) in pairs)
        {
            if (pair.Days < o.CompanionDays) continue;
            var a = (int)(key >> 32);
            var b = (int)(key & 0xFFFFFFFF);
            if (pair.Days < o.CompanionShare * Math.Min(stats[a].Days, stats[b].Days)) continue;
            // Together at one gate by day only is a shared timetable (two shifts' commuters), not a convoy.
            if (!pair.Elsewhere && pair.NightPasses < 2) continue;
            Add(a, new VehicleCompanion(plates[b], pair.Days, pair.Passes));
            Add(b, new VehicleCompanion(plates[a], pair.Days, pair.Passes));
        }
        void Add(int plate, VehicleCompanion c)
        {
            if (!companions.TryGetValue(plate, out var list)) companions[plate] = list = [];
            list.Add(c);
        }

        var absence = TimeSpan.FromDays(o.AbsenceDays).Ticks;
        var findings = new List<VehicleFinding>();
        for (var p = 0; p < plates.Count; p++)
        {
            ref var s = ref stats[p];
            var plate = plates[p];
            int? absentDays = null;
            var returned = false;
            if (context.LastSeenBefore.TryGetValue(plate, out var before) && s.First - before.Ticks >= absence)
                (absentDays, returned) = ((int)((s.First - before.Ticks) / TimeSpan.TicksPerDay), true);
            else if (s.MaxGap >= absence)
                (absentDays, returned) = ((int)(s.MaxGap / TimeSpan.TicksPerDay), true);
            else if (!context.LastSeenBefore.ContainsKey(plate) && context.HistoryFromUtc is { } history && s.First - history.Ticks >= absence)
                absentDays = (int)((s.First - history.Ticks) / TimeSpan.TicksPerDay);
            var mates = companions.GetValueOrDefault(p) ?? [];
            mates.Sort((x, y) => y.Days != x.Days ? y.Days.CompareTo(x.Days) : string.CompareOrdinal(x.Plate, y.Plate));
            var links = context.Links.GetValueOrDefault(plate) ?? [];
            var score = Score(s.Passages, s.Checkpoints, s.Night, absentDays, returned, mates, links.Count);
            if (score < o.MinScore) continue;
            findings.Add(new VehicleFinding(plate, s.Passages, s.Checkpoints, s.Night, absentDays, returned, mates, links, score));
        }
        findings.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : string.CompareOrdinal(x.Plate, y.Plate));
        return findings;
    }

    /// <summary>
    /// 1 − Π(1 − part): night passages (from 3: 0.06 each, at most 0.8), companions (0.15 per day of the closest, at most
    /// 0.75), back after an absence (0.3; first seen since the history began 0.15), a link to a case or key person (0.5),
    /// frequency (passages / 200, at most 0.15) and 3 or more checkpoints (0.1). A daytime commuter scores frequency
    /// and checkpoints only: about 0.24, under the 0.3 a finding needs.
    /// </summary>
    public static double Score(int passages, int checkpoints, int night, int? absentDays, bool returned, IReadOnlyList<VehicleCompanion> companions, int links)
    {
        var keep = 1.0;
        if (night >= 3) keep *= 1 - Math.Min(0.8, 0.06 * night);
        if (companions.Count > 0) keep *= 1 - Math.Min(0.75, 0.15 * companions[0].Days);
        if (absentDays is not null) keep *= returned ? 0.7 : 0.85;
        if (links > 0) keep *= 0.5;
        keep *= 1 - Math.Min(0.15, passages / 200.0);
        if (checkpoints >= 3) keep *= 0.9;
        return Math.Round(1 - keep, 3);
    }

    /// <summary>
    /// The Chinese explanation with the numbers, plates shown through <paramref name="show"/> (masked or not) and each
    /// link through <paramref name="link"/> (as written, or with a key person's name left out):
    /// "11月内夜间（22:00–06:00）经过矿区卡口 14 次（共 20 次），共 3 个卡口；与 粤B***45 同行 4 天".
    /// </summary>
    public static string Explain(VehicleFinding f, DateTime fromUtc, DateTime toUtc, Func<string, string> show, Func<string, string>? link = null,
        int companionMinutes = 5)
    {
        var from = fromUtc.AddTicks(ChinaOffset);
        var to = toUtc.AddTicks(ChinaOffset).AddSeconds(-1);
        var when = from.Year == to.Year && from.Month == to.Month ? $"{from.Month}月内"
            : string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}至{to:yyyy-MM-dd}");
        var parts = new List<string>
        {
            f.Night > 0 ? $"{when}夜间（22:00–06:00）经过矿区卡口 {f.Night} 次（共 {f.Passages} 次），共 {f.Checkpoints} 个卡口"
                : $"{when}经过矿区卡口 {f.Passages} 次，共 {f.Checkpoints} 个卡口",
        };
        if (f.Companions.Count > 0)
            parts.Add(string.Join("，", f.Companions.Take(3).Select(c => $"与 {show(c.Plate)} 同行 {c.Days} 天（{companionMinutes} 分钟内先后经过同一卡口 {c.Passes} 次）"))
                      + (f.Companions.Count > 3 ? $" 等 {f.Companions.Count} 辆" : ""));
        if (f.AbsentDays is { } days) parts.Add(f.Returned ? $"时隔 {days} 天再次出现" : $"此前至少 {days} 天未出现");
        if (f.Links.Count > 0) parts.Add("关联" + string.Join("、", link is null ? f.Links : f.Links.Select(link).Distinct()));
        return string.Join("；", parts);
    }

    /// <summary>The plate as the reader may see it.</summary>
    public static Func<string, string> Shown(bool full) => full ? p => p : VehiclePlates.Mask;
}
