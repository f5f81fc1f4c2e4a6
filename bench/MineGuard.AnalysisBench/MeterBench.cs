using System.Diagnostics;
using System.Globalization;
using MineGuard.Features.Analysis;

namespace MineGuard.AnalysisBench;

/// <summary>
/// The electricity detector's labelled evaluation: a seeded generator of a year of hourly meter series with labelled
/// anomaly windows, scored the way the Numenta Anomaly Benchmark does (standard profile) for the detector and, in the
/// same run, for a fixed threshold on daily kWh; then the scan speed (full re-scan, a day's readings) and peak memory.
/// </summary>
public static class MeterBench
{
    public const int Days = 365;
    public static readonly DateOnly FirstDay = new(2025, 9, 1); // China-time days; covers National Day, Spring Festival, May Day
    public static readonly DateTime FromUtc = MeterDetector.DayStartUtc(FirstDay);

    public sealed record Label(DateTime Start, DateTime End, string Kind);

    public sealed class Meter
    {
        public required float[] Hourly;            // what the detector sees (after the register conversion)
        public required MeterContext Context;
        public required List<Label> Labels;
        public required string Type;
        public bool Register;
        public double ProducingDailyKwh;           // what a clerk would set the baseline threshold from
    }

    // NAB standard profile.
    private const double ATp = 1.0, AFp = 0.11, AFn = 1.0;

    public static void Run(int seed, int meterCount, int scanMeters, double noise = 0.08)
    {
        Console.WriteLine($"MineGuard electricity detector: seed {seed}, hourly noise {noise:P0}, {meterCount:N0} meters × {Days} days hourly from {FirstDay:yyyy-MM-dd} (China time), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var meters = Generate(seed, meterCount, noise);
        Console.WriteLine($"generated: {meters.Count(m => m.Type == "sealed")} sealed adits, {meters.Count(m => m.Type == "stopped")} stopped mines, {meters.Count(m => m.Type == "producing")} producing mines; {meters.Count(m => m.Register)} cumulative registers; {meters.Sum(m => m.Labels.Count(l => l.Kind != MeterFindingKinds.Gap))} labelled anomalies, {meters.Sum(m => m.Labels.Count(l => l.Kind == MeterFindingKinds.Gap))} gaps");

        var detector = new List<List<MeterFinding>>();
        foreach (var m in meters) detector.Add(MeterDetector.Scan(m.Context, FromUtc, m.Hourly));
        var baseline = meters.Select(BaselineDetections).ToList();

        Report("detector", meters, detector.Select(fs => fs.Where(f => f.Kind != MeterFindingKinds.Gap).Select(f => f.Start).ToList()).ToList());
        Report("baseline (daily kWh over a fixed threshold)", meters, baseline);

        // Gaps are reported as gaps, never as use.
        int gaps = 0, gapsFound = 0;
        for (var i = 0; i < meters.Count; i++)
            foreach (var l in meters[i].Labels.Where(l => l.Kind == MeterFindingKinds.Gap))
            {
                gaps++;
                if (detector[i].Any(f => f.Kind == MeterFindingKinds.Gap && f.Start < l.End && f.End > l.Start)) gapsFound++;
            }
        Console.WriteLine($"gaps reported as 数据中断: {gapsFound}/{gaps}");
        var sample = detector.SelectMany(f => f).Where(f => f.Kind != MeterFindingKinds.Gap).GroupBy(f => f.Kind).Select(g => g.First());
        foreach (var f in sample) Console.WriteLine($"  e.g. [{f.KindName}] score {f.Score:0.00}: {f.Explanation}");

        Speed(meters, scanMeters);
    }

    private static void Report(string name, List<Meter> meters, List<List<DateTime>> detections)
    {
        double raw = 0, nul = 0, perfect = 0;
        int fp = 0;
        var found = new Dictionary<string, (int Found, int All)>();
        for (var i = 0; i < meters.Count; i++)
        {
            var windows = meters[i].Labels.Where(l => l.Kind != MeterFindingKinds.Gap)
                .Select(l => (Start: l.Start.AddDays(-1), End: l.End.AddDays(1), l.Kind)).OrderBy(w => w.Start).ToList();
            var hit = new bool[windows.Count];
            foreach (var t in detections[i].Order())
            {
                var w = windows.FindIndex(w => t >= w.Start && t < w.End);
                if (w >= 0)
                {
                    if (hit[w]) continue;
                    hit[w] = true;
                    var len = (windows[w].End - windows[w].Start).TotalHours;
                    raw += ATp * Sigma((t - windows[w].End).TotalHours / len);
                    continue;
                }
                fp++;
                var prev = windows.FindLastIndex(w => w.End <= t);
                raw += prev < 0 ? -AFp : AFp * Sigma((t - windows[prev].End).TotalHours / (windows[prev].End - windows[prev].Start).TotalHours);
            }
            for (var w = 0; w < windows.Count; w++)
            {
                if (!hit[w]) raw -= AFn;
                nul -= AFn;
                perfect += ATp * Sigma(-1);
                var k = found.GetValueOrDefault(windows[w].Kind);
                found[windows[w].Kind] = (k.Found + (hit[w] ? 1 : 0), k.All + 1);
            }
        }
        var score = 100 * (raw - nul) / (perfect - nul);
        var recall = string.Join(", ", MeterFindingKinds.All.Where(found.ContainsKey)
            .Select(k => $"{MeterFindingKinds.Name(k)} {found[k].Found}/{found[k].All}"));
        var meterYears = meters.Count * Days / 365.0;
        Console.WriteLine($"{name}: NAB score {score:0.0} (standard profile; perfect 100, null 0); recall {recall}; false positives {fp / meterYears:0.00} per meter-year");
    }

    /// <summary>NAB's scaled sigmoid: 1 → −1 across a window's position (−1 = window start).</summary>
    private static double Sigma(double y) => 2 / (1 + Math.Exp(5 * y)) - 1;

    /// <summary>
    /// The baseline a clerk would set up: flag a day whose kWh (missing hours as 0) exceeds a fixed threshold, 24 kWh for
    /// a meter that should not be used, 1.5 × the first four weeks' daily mean for a producing mine. Days in a row count once.
    /// </summary>
    private static List<DateTime> BaselineDetections(Meter m)
    {
        var result = new List<DateTime>();
        var previous = false;
        for (var d = 0; d < Days; d++)
        {
            var start = FromUtc.AddDays(d);
            var state = m.Context.StateAt(start.AddHours(12));
            double kwh = 0;
            for (var h = 0; h < 24; h++) if (!float.IsNaN(m.Hourly[d * 24 + h])) kwh += m.Hourly[d * 24 + h];
            var threshold = state.State == MeterState.Producing ? 1.5 * m.ProducingDailyKwh : 24 + 24 * state.BaseKw;
            var flagged = kwh > threshold;
            if (flagged && !previous) result.Add(start);
            previous = flagged;
        }
        return result;
    }

    private static void Speed(List<Meter> meters, int scanMeters)
    {
        // A province: scanMeters meters, each one of the generated series (cycled). Full re-scan up to the last day, then
        // the daily scan of the last day's readings for every meter.
        var baselines = new MeterBaseline[scanMeters];
        var findings = new List<MeterFinding>();
        var last = FirstDay.AddDays(Days - 1);
        GC.Collect();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < scanMeters; i++)
        {
            var m = meters[i % meters.Count];
            baselines[i] = new MeterBaseline();
            var day = FirstDay;
            for (var d = 0; d < Days - 1; d++, day = day.AddDays(1))
                MeterDetector.ScanDay(baselines[i], m.Context, day, m.Hourly.AsSpan(d * 24, 24), findings);
            findings.Clear();
        }
        sw.Stop();
        var rescanReadings = (double)scanMeters * (Days - 1) * 24;
        Console.WriteLine($"full re-scan: {rescanReadings:N0} readings ({scanMeters:N0} meters × {Days - 1} days) in {sw.Elapsed.TotalSeconds:0.00} s = {rescanReadings / sw.Elapsed.TotalSeconds / 1e6:0.0} M readings/s");
        sw.Restart();
        for (var i = 0; i < scanMeters; i++)
            MeterDetector.ScanDay(baselines[i], meters[i % meters.Count].Context, last, meters[i % meters.Count].Hourly.AsSpan((Days - 1) * 24, 24), findings);
        sw.Stop();
        Console.WriteLine($"daily scan: {scanMeters * 24:N0} readings (one day of {scanMeters:N0} meters) in {sw.Elapsed.TotalMilliseconds:0.0} ms; state {scanMeters:N0} baselines");
        Console.WriteLine($"peak memory (working set): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB");
    }

    // ---- the labelled generator ----

    public static List<Meter> Generate(int seed, int count, double noise = 0.08)
    {
        var rnd = new Random(seed);
        var meters = new List<Meter>(count);
        for (var i = 0; i < count; i++)
        {
            var type = (i % 10) switch { < 2 => "sealed", < 4 => "stopped", _ => "producing" };
            meters.Add(GenerateOne(rnd, type, noise));
        }
        return meters;
    }

    private static double Normal(Random rnd) => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
    private static double U(Random rnd, double a, double b) => a + (b - a) * rnd.NextDouble();
    private static DateTime Hour(int day, int hour) => FromUtc.AddHours(day * 24 + hour);
    private static bool NearHoliday(int day, int length) =>
        Enumerable.Range(day - 2, length + 4).Any(d => ChinaHolidays.IsHoliday(FirstDay.AddDays(d)));

    private static int FreeStart(Random rnd, int from, int to, int length)
    {
        for (var tries = 0; tries < 50; tries++)
        {
            var d = rnd.Next(from, to);
            if (!NearHoliday(d, length)) return d;
        }
        return from;
    }

    private static Meter GenerateOne(Random rnd, string type, double noise)
    {
        var kwh = new double[Days * 24];
        var labels = new List<Label>();
        var states = new List<MeterStatePeriod>();
        var explanations = new List<MeterExplanation>();
        var p = U(rnd, 50, 400);                       // producing load, kW
        var nightBase = U(rnd, 0.15, 0.4);             // ventilation and pumps at night, share of p
        var twoShifts = rnd.NextDouble() < 0.5;
        var sundayFactor = U(rnd, 0.4, 0.9);
        var seasonAmp = U(rnd, 0.05, 0.2);
        var seasonPhase = U(rnd, 0, 2 * Math.PI);
        double Producing(int d, int h)
        {
            var day = FirstDay.AddDays(d);
            var shape = h is >= 8 and < 16 ? 1.0 : h is >= 16 and < 24 && twoShifts ? 0.85 : IsNight(h) ? nightBase : 0.5;
            var week = day.DayOfWeek == DayOfWeek.Sunday ? sundayFactor : 1;
            var season = 1 + seasonAmp * Math.Sin(2 * Math.PI * d / 365 + seasonPhase);
            var holiday = ChinaHolidays.IsHoliday(day) ? (day.Month == 2 || day.Month == 1 ? 0.15 : 0.5) : 1;
            return p * Math.Max(0.05, shape * week * season * (holiday < 1 ? Math.Max(holiday, nightBase) : 1) * (1 + noise * Normal(rnd)));
        }

        double producingDaily = 0;
        if (type == "producing")
        {
            states.Add(new(DateTime.MinValue, MeterState.Producing));
            for (var d = 0; d < Days; d++) for (var h = 0; h < 24; h++) kwh[d * 24 + h] = Producing(d, h);
            if (rnd.NextDouble() < 0.3)
            {
                // A legitimate new drainage pump, declared (许可的排水泵).
                var from = rnd.Next(60, 300);
                var pump = U(rnd, 0.15, 0.4) * p;
                explanations.Add(new(Hour(from, 0), null, Math.Round(pump), "许可的排水泵"));
                for (var i = from * 24; i < kwh.Length; i++) kwh[i] += pump * (1 + 0.03 * Normal(rnd));
            }
            if (rnd.NextDouble() < 0.6)
            {
                var kind = rnd.Next(3) switch { 0 => MeterFindingKinds.Rise, 1 => MeterFindingKinds.NightShare, _ => MeterFindingKinds.Periodic };
                var len = rnd.Next(5, 15);
                var start = FreeStart(rnd, 70, Days - len - 3, len);
                var factor = U(rnd, 1.6, 2.5);
                var night = U(rnd, 0.4, 0.9) * p;
                var hoist = U(rnd, 0.35, 0.7) * p;
                for (var d = start; d < start + len; d++)
                    for (var h = 0; h < 24; h++)
                    {
                        ref var v = ref kwh[d * 24 + h];
                        if (kind == MeterFindingKinds.Rise) v *= factor;
                        else if (kind == MeterFindingKinds.NightShare && IsNight(h)) v += night * (1 + 0.1 * Normal(rnd));
                        else if (kind == MeterFindingKinds.Periodic && h % 3 == 0) v += hoist;
                    }
                labels.Add(new(Hour(start, 0), Hour(start + len, 0), kind));
            }
        }
        else if (type == "stopped")
        {
            var stop = rnd.Next(40, 120);
            var baseKw = rnd.NextDouble() < 0.5 ? 0 : Math.Round(U(rnd, 2, 10));
            var state = rnd.Next(4) switch { 0 => MeterState.Stopped, 1 => MeterState.Suspended, 2 => MeterState.Expired, _ => MeterState.Closing };
            states.Add(new(DateTime.MinValue, MeterState.Producing));
            states.Add(new(Hour(stop, 0), state, baseKw));
            for (var d = 0; d < Days; d++)
                for (var h = 0; h < 24; h++)
                    kwh[d * 24 + h] = d < stop ? Producing(d, h) : Math.Max(0, baseKw * (1 + 0.05 * Normal(rnd)) + U(rnd, 0, 0.3));
            if (rnd.NextDouble() < 0.7)
            {
                // Restarted at night (明停暗开).
                var len = rnd.Next(5, 13);
                var start = rnd.Next(stop + 20, Days - len - 3);
                var load = U(rnd, 0.2, 0.7) * p;
                var (on, off) = (rnd.Next(21, 24), rnd.Next(4, 7));
                for (var d = start; d < start + len; d++)
                    for (var h = 0; h < 24; h++)
                        if (h >= on || h < off) kwh[d * 24 + h] += load * (1 + 0.1 * Normal(rnd));
                labels.Add(new(Hour(start, 0), Hour(start + len, 0), MeterFindingKinds.NightUse));
            }
        }
        else
        {
            // A sealed adit: a small trickle without a generator, then perhaps a real draw.
            states.Add(new(DateTime.MinValue, MeterState.Sealed));
            var trickle = U(rnd, 0.02, 0.3);
            for (var i = 0; i < kwh.Length; i++) kwh[i] = trickle * U(rnd, 0.5, 1.5);
            if (rnd.NextDouble() < 0.6)
            {
                var len = rnd.Next(3, 11);
                var start = rnd.Next(30, Days - len - 3);
                var draw = U(rnd, 5, 30);
                var allDay = rnd.NextDouble() < 0.5;
                for (var d = start; d < start + len; d++)
                    for (var h = 0; h < 24; h++)
                        if (allDay || h is >= 8 and < 18) kwh[d * 24 + h] += draw * (1 + 0.1 * Normal(rnd));
                labels.Add(new(Hour(start, 0), Hour(start + len, 0), MeterFindingKinds.UseWhereNone));
            }
        }
        for (var d = 0; d < 28; d++) for (var h = 0; h < 24; h++) producingDaily += kwh[d * 24 + h] / 28;

        // Gaps (never zero use).
        var missing = new bool[kwh.Length];
        if (rnd.NextDouble() < 0.25)
            for (var g = rnd.Next(1, 3); g > 0; g--)
            {
                var start = rnd.Next(24, kwh.Length - 100);
                var len = rnd.Next(6, 73);
                for (var i = start; i < start + len; i++) missing[i] = true;
                labels.Add(new(FromUtc.AddHours(start), FromUtc.AddHours(start + len), MeterFindingKinds.Gap));
            }

        // A third of the meters report a cumulative register (5 digits, rolls over at 100000, reset now and then).
        var register = rnd.NextDouble() < 0.33;
        float[] hourly;
        if (register)
        {
            var readings = new List<MeterReading>(kwh.Length + 1);
            var value = U(rnd, 0, 99_000);
            var resets = new HashSet<int> { rnd.Next(100, kwh.Length), rnd.Next(100, kwh.Length) };
            for (var i = 0; i <= kwh.Length; i++)
            {
                if (resets.Contains(i)) value = 0;
                if (i == kwh.Length || !missing[i]) readings.Add(new(FromUtc.AddHours(i), Math.Round(value, 1)));
                if (i < kwh.Length) value = (value + kwh[i]) % 100_000;
            }
            hourly = MeterReadings.ToHourly(readings, cumulative: true, FromUtc, kwh.Length);
        }
        else
        {
            hourly = new float[kwh.Length];
            for (var i = 0; i < kwh.Length; i++) hourly[i] = missing[i] ? float.NaN : (float)kwh[i];
        }
        return new Meter
        {
            Hourly = hourly, Context = new MeterContext(states, explanations), Labels = labels, Type = type, Register = register,
            ProducingDailyKwh = producingDaily,
        };
    }

    private static bool IsNight(int localHour) => MeterDetector.IsNightHour(localHour);
}
