using System.Diagnostics;
using MineGuard.Features.Adits;
using MineGuard.Features.Analysis;

namespace MineGuard.Bench;

/// <summary>
/// The risk score's back-test (issue 16): a history generator with planted causes over a county's adits for a month,
/// the scores at month end through the product's own <see cref="RiskModel"/> (default weights, never tuned to a seed), then
/// the next month's breaches: the share held by the top 10 % by score against the top 10 % by days since the last verified
/// check (today's ordering). Then the time and peak memory of scoring 100,000 adits.
/// dotnet run -c Release --project bench/MineGuard.Bench -- risk [--adits 3000] [--seeds 15,42] [--scale 100000]
/// Planted causes (each multiplies an adit's daily chance of being broken open): a loose-rock seal, an unsealed or
/// unaccepted adit, earlier breaches (more for repeats, more when recent), key persons living in the village, a gang at
/// work nearby (which also brings tips and alerts in the weeks before), and no verified visit for a month.
/// </summary>
public static class RiskBench
{
    private const double MinLon = 111.80, MaxLon = 112.40, MinLat = 33.80, MaxLat = 34.30;
    private const double VillageCell = 0.03; // about 3 km: the village an adit lies in
    private static readonly DateOnly MonthEnd = new(2026, 10, 31);

    public static Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        var adits = Arg("--adits", 3000);
        var scale = Arg("--scale", 100_000);
        var seeds = (args.SkipWhile(a => a != "--seeds").Skip(1).FirstOrDefault() ?? "15,42").Split(',').Select(int.Parse).ToArray();
        Console.WriteLine($"MineGuard risk back-test: {adits} adits, one month of history, then the next month's breaches; default weights");
        Console.WriteLine($"{"seed",5} {"breaches m2",12} {"top10% score",13} {"top10% days-since-check",24} {"random 10%",11}");
        foreach (var seed in seeds)
        {
            var r = BackTest(adits, seed);
            Console.WriteLine($"{seed,5} {r.Breaches,12} {r.ScoreShare,12:P1} {r.NeglectShare,24:P1} {0.1,11:P0}");
        }

        var process = Process.GetCurrentProcess();
        GC.Collect();
        var (inputs, _) = Generate(scale, 7);
        process.Refresh();
        var before = process.WorkingSet64;
        var clock = Stopwatch.StartNew();
        var scores = RiskModel.Score(inputs, _ => RiskModel.Weights.Default, MonthEnd);
        clock.Stop();
        var warm = Stopwatch.StartNew();
        RiskModel.Score(inputs, _ => RiskModel.Weights.Default, MonthEnd);
        warm.Stop();
        process.Refresh();
        Console.WriteLine($"scored {scores.Count:N0} adits ({inputs.Alerts.Count:N0} alerts, {inputs.Clues.Count:N0} clues, {inputs.Tips.Count:N0} tips, " +
                          $"{inputs.KeyPersonsByHome.Values.Sum():N0} key persons) in {clock.Elapsed.TotalSeconds:F2} s in memory (again: {warm.Elapsed.TotalSeconds:F2} s); " +
                          $"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB (working set before scoring {before / 1048576.0:F0} MB); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return Task.FromResult(0);
    }

    private sealed record Result(int Breaches, double ScoreShare, double NeglectShare);

    /// <summary>The hidden truth of an adit the score never sees: a gang at work nearby, and how often patrols come.</summary>
    private sealed record Truth(bool Gang, double VisitRate);

    private static Result BackTest(int count, int seed)
    {
        var (inputs, truth) = Generate(count, seed);
        var random = new Random(seed * 7919 + 1);
        var scores = RiskModel.Score(inputs, _ => RiskModel.Weights.Default, MonthEnd);

        // The next month: each day an adit is broken open with its hazard at month end (the state the score saw).
        var next = new Dictionary<Guid, int>();
        foreach (var a in inputs.Adits)
        {
            var hazard = Hazard(a, truth[a.Id], inputs, MonthEnd);
            for (var d = 0; d < 30; d++)
            {
                if (random.NextDouble() < hazard) next[a.Id] = next.GetValueOrDefault(a.Id) + 1;
            }
        }

        var top = Math.Max(1, count / 10);
        var byScore = inputs.Adits.OrderByDescending(a => scores[a.Id].Score).ThenBy(a => a.Id).Take(top).Select(a => a.Id).ToHashSet();
        int Days(RiskAdit a) => inputs.LastProven.TryGetValue(a.Id, out var on) ? MonthEnd.DayNumber - on.DayNumber : int.MaxValue;
        var byNeglect = inputs.Adits.OrderByDescending(Days).ThenBy(a => a.Id).Take(top).Select(a => a.Id).ToHashSet();
        var total = next.Values.Sum();
        return new Result(total, Share(next, byScore, total), Share(next, byNeglect, total));
    }

    private static double Share(Dictionary<Guid, int> breaches, HashSet<Guid> chosen, int total) =>
        total == 0 ? 0 : breaches.Where(b => chosen.Contains(b.Key)).Sum(b => b.Value) / (double)total;

    /// <summary>The planted causes: an adit's daily chance of being broken open.</summary>
    private static double Hazard(RiskAdit a, Truth t, RiskInputs inputs, DateOnly today)
    {
        var h = 0.0015;
        if (a.State == SealState.Unsealed) h *= 1.8;
        if (a.State == SealState.Sealed) h *= 1.3;
        if (a.Method == SealMethod.LooseRocks && a.State != SealState.Unsealed) h *= 2.5;
        h *= a.BreachCount switch { 0 => 1, 1 => 1.6, 2 => 2.4, _ => 3.2 };
        if (a.LastBreachedOn is { } b && today.DayNumber - b.DayNumber < 60) h *= 1.5;
        var persons = a.VillageCode is { } v ? inputs.KeyPersonsByHome.GetValueOrDefault(v) : 0;
        h *= 1 + (0.35 * Math.Min(persons, 4));
        if (t.Gang) h *= 3;
        var seen = inputs.LastProven.TryGetValue(a.Id, out var on) ? today.DayNumber - on.DayNumber : 999;
        if (seen > 30) h *= 1.4;
        return Math.Min(0.5, h);
    }

    /// <summary>A county's adits with a month of history: seals, breaches, verified visits, alerts, clues, tips, key persons.</summary>
    private static (RiskInputs Inputs, Dictionary<Guid, Truth> Truth) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var adits = new List<RiskAdit>(count);
        var truth = new Dictionary<Guid, Truth>(count);
        var start = MonthEnd.AddDays(-30);
        var idBytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(idBytes);
            var id = new Guid(idBytes);
            var lon = MinLon + (random.NextDouble() * (MaxLon - MinLon));
            var lat = MinLat + (random.NextDouble() * (MaxLat - MinLat));
            var village = $"410325{(int)((lon - MinLon) / VillageCell):D3}{(int)((lat - MinLat) / VillageCell):D3}";
            var roll = random.NextDouble();
            var state = roll < 0.12 ? SealState.Unsealed : roll < 0.40 ? SealState.Sealed : SealState.Accepted;
            SealMethod? method = state == SealState.Unsealed ? null : random.NextDouble() < 0.3 ? SealMethod.LooseRocks
                : (SealMethod)random.Next(1, 6);
            // Breaches before the month: most never, some once, a few repeatedly (the history the score reads).
            var prior = random.NextDouble() switch { < 0.75 => 0, < 0.90 => 1, < 0.97 => 2, _ => 3 + random.Next(3) };
            DateOnly? lastBreach = prior > 0 ? start.AddDays(-random.Next(30, 400)) : null;
            adits.Add(new RiskAdit(id, "410325", village, lon, lat, state, method, prior, lastBreach));
            // Remote adits are visited less; about 1 in 12 has a gang at work nearby.
            truth[id] = new Truth(random.NextDouble() < 0.08, random.NextDouble() < 0.3 ? 0.01 : 0.03 + (random.NextDouble() * 0.08));
        }

        // Key persons live in some villages (the hotspots), a few elsewhere.
        var villages = adits.Select(a => a.VillageCode!).Distinct().ToList();
        var keyPersons = new Dictionary<string, int>();
        foreach (var v in villages)
        {
            var n = random.NextDouble() < 0.15 ? 1 + random.Next(4) : random.NextDouble() < 0.1 ? 1 : 0;
            if (n > 0) keyPersons[v] = n;
        }

        var inputs = new RiskInputs { Adits = adits, KeyPersonsByHome = keyPersons };
        // Visits before the month (so "days since check" is not all "never").
        foreach (var a in adits)
        {
            if (random.NextDouble() < 0.8) inputs.LastProven[a.Id] = start.AddDays(-random.Next(1, 120));
        }

        // The month, day by day: visits, breaches (found and resealed), and what precedes a gang's work.
        for (var day = 1; day <= 30; day++)
        {
            var today = start.AddDays(day);
            for (var i = 0; i < adits.Count; i++)
            {
                var a = adits[i];
                var t = truth[a.Id];
                if (random.NextDouble() < t.VisitRate) inputs.LastProven[a.Id] = today;
                if (random.NextDouble() < Hazard(a, t, inputs, today))
                {
                    // Broken open and found; a sealed adit is resealed (the same way) within days, an unsealed one stays so.
                    var resealed = a.State != SealState.Unsealed && random.NextDouble() < 0.7;
                    adits[i] = a = a with
                    {
                        BreachCount = a.BreachCount + 1, LastBreachedOn = today,
                        State = a.State == SealState.Unsealed ? SealState.Unsealed : resealed ? SealState.Sealed : SealState.Breached,
                    };
                    if (random.NextDouble() < 0.5) inputs.Clues.Add(Near(random, a, 300));
                }
            }
        }

        // A gang at work is seen: tips and alerts near it in the weeks before; and noise everywhere.
        foreach (var a in adits)
        {
            if (truth[a.Id].Gang)
            {
                if (random.NextDouble() < 0.45) inputs.Tips.Add(Near(random, a, 600));
                if (random.NextDouble() < 0.25) inputs.Alerts.Add(Near(random, a, 200));
            }
            if (random.NextDouble() < 0.02) inputs.Tips.Add(Near(random, a, 3000));
            if (random.NextDouble() < 0.01) inputs.Alerts.Add(Near(random, a, 3000));
        }

        return (inputs, truth);
    }

    private static RiskPoint Near(Random random, RiskAdit a, double metres)
    {
        var r = metres * Math.Sqrt(random.NextDouble());
        var angle = random.NextDouble() * 2 * Math.PI;
        return new RiskPoint(a.Lon + (r * Math.Cos(angle) / (111_000 * Math.Cos(a.Lat * Math.PI / 180))), a.Lat + (r * Math.Sin(angle) / 111_000));
    }
}
