using System.Diagnostics;
using MineGuard.Features.Analysis;

namespace MineGuard.AnalysisBench;

/// <summary>
/// The vehicle analysis (车辆研判) on a seeded month of checkpoint passages (default 1,000,000): background traffic
/// (a long-tailed mix of plates, mostly by day), fixed-time commuters (two passes a day at the same gate), planted night
/// plates and planted companion pairs. Prints the analysis time and memory, and recall / precision of the planted
/// night plates and companion pairs for the analyser beside a baseline that flags the plates with the most passages.
/// </summary>
public static class VehicleBench
{
    public static readonly DateTime FromUtc = new(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc); // 2026-11-01 00:00 China time
    public const int Days = 30;
    public static DateTime ToUtc => FromUtc.AddDays(Days);

    public sealed record Data(List<PlatePassage> Passages, HashSet<string> NightPlates, HashSet<(string, string)> Pairs, int Commuters);

    public static Data Generate(int seed, int total, int checkpoints, int nightPlates, int pairs, int commuters)
    {
        var random = new Random(seed);
        var passages = new List<PlatePassage>(total + 1000);
        var n = 0;
        // Unique plates (a collision would merge two vehicles' passages).
        string Plate() { var k = n++; return $"豫{(char)('A' + (k % 26))}{k / 26:00000}"; }
        DateTime At(int day, double hour) => FromUtc.AddDays(day).AddHours(hour);
        double DayHour() => 6 + (random.NextDouble() * 16);        // 06:00–22:00
        double NightHour() => random.Next(2) == 0 ? 22 + (random.NextDouble() * 2) : random.NextDouble() * 6;

        // Planted night plates: 6–20 night passages at 1–3 checkpoints, a few by day too.
        var night = new HashSet<string>();
        for (var i = 0; i < nightPlates; i++)
        {
            var plate = Plate();
            night.Add(plate);
            var home = random.Next(checkpoints);
            var spread = 1 + random.Next(3);
            var count = 6 + random.Next(15);
            for (var k = 0; k < count; k++) passages.Add(new(home + random.Next(spread), plate, At(random.Next(Days), NightHour())));
            for (var k = random.Next(5); k > 0; k--) passages.Add(new(random.Next(checkpoints), plate, At(random.Next(Days), DayHour())));
        }

        // Planted companion pairs: on 4–8 days the follower passes the leader's checkpoint 0.5–4 minutes after it,
        // sometimes at a second checkpoint the same trip; leader and follower also travel alone.
        var planted = new HashSet<(string, string)>();
        for (var i = 0; i < pairs; i++)
        {
            var (a, b) = (Plate(), Plate());
            planted.Add(string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a));
            var days = Enumerable.Range(0, Days).OrderBy(_ => random.Next()).Take(4 + random.Next(5)).ToList();
            foreach (var day in days)
            {
                var cp = random.Next(checkpoints);
                var t = At(day, random.Next(3) == 0 ? NightHour() : DayHour());
                var gap = 0.5 + (random.NextDouble() * 3.5);
                passages.Add(new(cp, a, t));
                passages.Add(new(cp, b, t.AddMinutes(gap)));
                if (random.Next(2) == 0)
                {
                    var next = (cp + 1) % checkpoints;
                    passages.Add(new(next, a, t.AddMinutes(20)));
                    passages.Add(new(next, b, t.AddMinutes(20 + gap)));
                }
            }
            foreach (var p in new[] { a, b })
                for (var k = random.Next(4); k > 0; k--) passages.Add(new(random.Next(checkpoints), p, At(random.Next(Days), DayHour())));
        }

        // Commuters: every working day at their gate around 07:40 and 18:00 (± 20 minutes): many passages, never at night.
        for (var i = 0; i < commuters; i++)
        {
            var plate = Plate();
            var gate = random.Next(checkpoints);
            for (var day = 0; day < Days; day++)
            {
                if (day % 7 is 5 or 6) continue;
                passages.Add(new(gate, plate, At(day, 7.33 + (random.NextDouble() * 0.67))));
                passages.Add(new(gate, plate, At(day, 17.67 + (random.NextDouble() * 0.67))));
            }
        }

        // Background up to the total: a long-tailed plate mix (the busiest trucks a few times a day, most plates a few
        // times a month), 2 % at night.
        var background = Enumerable.Range(0, Math.Max(1000, (total - passages.Count) / 6)).Select(_ => Plate()).ToArray();
        while (passages.Count < total)
        {
            var r = random.NextDouble();
            var plate = background[(int)(background.Length * (0.002 + (0.998 * r * r)))];
            var hour = random.NextDouble() < 0.02 ? NightHour() : DayHour();
            passages.Add(new(random.Next(checkpoints), plate, At(random.Next(Days), hour)));
        }
        return new Data(passages, night, planted, commuters);
    }

    public static void Run(int seed, int total, int checkpoints, int nightPlates, int pairs, int commuters)
    {
        Console.WriteLine($"MineGuard vehicle analysis: seed {seed}, {total:N0} passages, {checkpoints} checkpoints, {Days} days from 2026-11-01 (China time); "
                          + $"planted {nightPlates} night plates, {pairs} companion pairs; {commuters} commuters; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var data = Generate(seed, total, checkpoints, nightPlates, pairs, commuters);
        var plates = data.Passages.Select(p => p.Plate).Distinct().Count();
        Console.WriteLine($"generated {data.Passages.Count:N0} passages of {plates:N0} plates");
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var context = new VehicleContext(FromUtc, ToUtc);

        VehicleAnalyser.Analyse(data.Passages.Take(10_000).ToList(), context); // warm-up (JIT)
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var findings = VehicleAnalyser.Analyse(data.Passages, context);
        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var allocatedMb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0;
        var after = GC.GetTotalMemory(forceFullCollection: false);
        Console.WriteLine($"analysed in {clock.Elapsed.TotalSeconds:0.00} s ({data.Passages.Count / clock.Elapsed.TotalSeconds:N0} passages/s; CPU {cpuSeconds:0.00} s, load average {LoadAverage()}): {findings.Count:N0} findings; "
                          + $"allocated {allocatedMb:N0} MB, heap after {(after - before) / 1048576.0:N0} MB above the data, process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB");

        // Night plates: what the analyser lists for its night count (5 or more night passages make a finding on their own).
        var nightFound = findings.Where(f => f.Night >= 5).Select(f => f.Plate).ToHashSet();
        var pairsFound = findings.SelectMany(f => f.Companions.Select(c => string.CompareOrdinal(f.Plate, c.Plate) < 0 ? (f.Plate, c.Plate) : (c.Plate, f.Plate))).ToHashSet();
        Report("night plates", "analyser", nightFound, data.NightPlates);
        Report("companion pairs", "analyser", pairsFound, data.Pairs);

        // Baseline: the plates with the most passages (as many as were planted), and pairs of those plates seen together.
        // Timed in the same run: the analyser's time is printed as a ratio to this one pass over the same passages.
        var baselineClock = Stopwatch.StartNew();
        var counts = data.Passages.GroupBy(p => p.Plate).Select(g => (Plate: g.Key, Count: g.Count())).OrderByDescending(x => x.Count).ToList();
        baselineClock.Stop();
        Console.WriteLine($"baseline (count per plate, sort) {baselineClock.Elapsed.TotalSeconds:0.00} s; analyser / baseline time = {clock.Elapsed.TotalSeconds / baselineClock.Elapsed.TotalSeconds:0.0}×");
        Report("night plates", "baseline (most passages)", counts.Take(data.NightPlates.Count).Select(x => x.Plate).ToHashSet(), data.NightPlates);
        var top = counts.Take(data.Pairs.Count * 2).Select(x => x.Plate).ToHashSet();
        var companionPlates = data.Pairs.SelectMany(p => new[] { p.Item1, p.Item2 }).ToHashSet();
        Report("companion plates", "baseline (most passages)", top, companionPlates);
        Report("companion plates", "analyser", pairsFound.SelectMany(p => new[] { p.Item1, p.Item2 }).ToHashSet(), companionPlates);
        var commutersListed = findings.Count(f => f.Night == 0 && f.Companions.Count == 0 && f.Passages >= 30);
        Console.WriteLine($"commuters (daytime, ~44 passages each) listed by the analyser: {commutersListed} of {data.Commuters}; in the baseline's top {data.NightPlates.Count}: "
                          + $"{counts.Take(data.NightPlates.Count).Count(x => x.Count >= 30 && !data.NightPlates.Contains(x.Plate))}");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static void Report<T>(string what, string who, HashSet<T> found, HashSet<T> truth)
    {
        var hits = found.Count(truth.Contains);
        var recall = truth.Count == 0 ? 1 : (double)hits / truth.Count;
        var precision = found.Count == 0 ? 1 : (double)hits / found.Count;
        Console.WriteLine($"{what,-17} {who,-26} recall {recall,6:P1}  precision {precision,6:P1}  ({hits} of {truth.Count} planted, {found.Count} flagged)");
    }
}
