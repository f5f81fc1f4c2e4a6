using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>
/// The thresholds of the track rules (issue 15), with where each comes from. Not per-jurisdiction settings: they
/// describe phones and GPS, not local policy, and stay constants until real walks recorded with the field app are
/// shipped as fixtures (the next step). The generator they were checked against is bench/MineGuard.PatrolBench
/// (<c>presence</c>): an honest phone's error is a slowly wandering offset (first-order autoregressive, correlation
/// time 20–120 s, 1.5–5 m) plus sub-metre white noise, as smartphone GNSS studies describe it (errors correlated over
/// tens of seconds to minutes; reported accuracy 3–10 m in the open, several times that in valleys). Four walks recorded
/// with the field app in Chromium (tests/MineGuard.Tests/Features/Patrols/Walks, README there; RecordedWalkTests prints
/// the measured values) are replayed as honest patrols, and the values they measured are noted below as "recorded walks".
/// </summary>
public static class PresenceThresholds
{
    /// <summary>
    /// The field app flushes a chunk at 20 points (app.js CHUNK_POINTS), or earlier on pause and check-in; recorded walks (tests/…/Patrols/Walks): measured
    /// chunks of 1–20 fixes, never more.
    /// </summary>
    public const int AppChunkPoints = 20;

    /// <summary>Fewer fixes than this say nothing statistical about a track.</summary>
    public const int MinFixes = 30;

    /// <summary>Accuracy allowance per fix in the speed rule is capped here (a phone's honest spread; a 2 km "accuracy" hides a jump).</summary>
    public const double AccuracyAllowanceCapMetres = 50;

    /// <summary>Fixes reporting worse than this are network fall-backs: left out of the speed windows and judged by the good fixes around them.</summary>
    public const double SpikeAccuracyMetres = 100;

    /// <summary>A good fix moved this far across a spike of bad accuracy is a jump the spike hides, not multipath that comes back.</summary>
    public const double SpikeJumpMetres = 300;

    /// <summary>Sliding window of the "too far, too fast" rule on the track's own legs (the check-in hop speed applies).</summary>
    public static readonly TimeSpan LegWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Lag-1 autocorrelation of the offsets from a ±5-fix moving average below which the error is white noise: real
    /// GPS error wanders (φ ≈ e^(−5 s / 20…120 s) = 0.78…0.96 between app fixes), leaving positively correlated
    /// offsets (≥ 0.3 in the generator); added Gaussian noise leaves about −0.1. Recorded walks
    /// (tests/MineGuard.Tests/Features/Patrols/Walks, RecordedWalkTests): measured median 0.51–0.66 (forest path 0.66,
    /// valley road 0.57, lunch pause 0.55, lost signal 0.51) — of the emulated AR(1) error, so a check that the app
    /// passes the wander on, not a measurement of a phone.
    /// </summary>
    public const double WhiteNoiseAutocorrelation = 0.15;

    /// <summary>
    /// The noise test needs fixes closer than the error's correlation time: the app records one every ~5 s on the move
    /// (5 s / 5 m filter); a track sparser than this (a handheld logging every 30 s) keeps little of the wander to see.
    /// </summary>
    public const double WhiteNoiseMaxIntervalSeconds = 15;

    /// <summary>Offsets smaller than this (rms) are too smooth to judge the noise (and are the no-jitter rule's business).</summary>
    public const double WhiteNoiseMinRms = 0.6;

    /// <summary>Two-minute windows whose heading changes less than this and pace less than <see cref="SteadyPaceShare"/> are "ruler legs".</summary>
    public const double SteadyHeadingDegrees = 3;

    public const double SteadyPaceShare = 0.04;

    /// <summary>
    /// Share of consecutive two-minute windows that are ruler legs above which the walk is synthetic (a forest path bends, a
    /// pace varies); recorded walks (tests/…/Patrols/Walks): measured 0/9, 0/9, 0/6 and 1/7 (at most 0.14).
    /// </summary>
    public const double SteadyWindowsShare = 0.5;

    /// <summary>
    /// The app stamps fixes by the phone's clock at the callback: intervals jitter by tens to hundreds of ms; recorded walks (tests/…/Patrols/Walks): measured
    /// the most common interval (to the ms) is 0.8–1.1 % of the intervals.
    /// </summary>
    public const double RegularIntervalShare = 0.5;

    /// <summary>
    /// Share of fixes stamped on a whole second above which the times were typed or generated (the app stamps to the ms);
    /// recorded walks (tests/…/Patrols/Walks): measured 0 of 855 fixes.
    /// </summary>
    public const double WholeSecondShare = 0.9;

    /// <summary>Share of fixes on a 1e-5° (≈1 m) grid: a real fix, stored to 1e-7°, lands on one in 10⁴; recorded walks (tests/…/Patrols/Walks): measured 0 (1e-4° and 1e-5°).</summary>
    public const double GridShare = 0.5;

    /// <summary>
    /// No phone reports the same accuracy to the decimetre on nearly every fix while walking; recorded walks (tests/…/Patrols/Walks): measured the most common
    /// value on 2.8–3.9 % of the fixes (the accuracy is emulated there: it checks the app passes it on unrounded).
    /// </summary>
    public const double ConstantAccuracyShare = 0.9;

    /// <summary>No phone reports sub-2 m accuracy as its typical value in the mountains; recorded walks (tests/…/Patrols/Walks): measured medians 6.5–11.9 m (emulated accuracy).</summary>
    public const double ImpossibleAccuracyMetres = 2;

    /// <summary>A check-in needs the track to have come from at least this far from the adit (a walk of a few minutes).</summary>
    public const double ApproachMetres = 250;

    /// <summary>A check-in fix within this of the registered coordinate (≈ 5 cm) was typed, not measured.</summary>
    public const double ExactCoordinateDegrees = 5e-7;

    /// <summary>
    /// An undeclared gap away from the check-in may be signal lost under canopy or in a valley (a phone in a ravine
    /// keeps no fix for minutes on end; the rule's gap, 10 min by default, is what any stretch may lose): up to this
    /// many times the rule's gap it is no reason when the track resumes within a walk of where it stopped. A longer
    /// silence, or one around the check-in, still is.
    /// </summary>
    public const double SignalLossGapFactor = 2;

    /// <summary>A brisk mountain walk (km/h, straight line): across a lost-signal gap the track cannot have gone further.</summary>
    public const double SignalLossWalkKmh = 6;

    /// <summary>A declared pause resumes where it stopped: within this plus both fixes' (capped) accuracy.</summary>
    public const double PauseResumeMetres = 100;

    /// <summary>Median distance between time-aligned fixes of two members' tracks below which one is a copy (two phones walking together differ by their errors, 3–8 m).</summary>
    public const double CopyMedianMetres = 2.5;

    /// <summary>Median distance from each fix to the nearest fix of an earlier track below which it is a replay (a walk repeated has a fresh error of metres).</summary>
    public const double ReplayMedianMetres = 1.0;

    /// <summary>Earlier tracks compared for a replay: this far back, at the same adits.</summary>
    public const int ReplayDays = 60;

    /// <summary>
    /// A field request's clock reading is stored when the skew moved by more than this since the member's phone's last
    /// stored reading: phones keep time by NITZ/NTP, so honest drift is seconds to a minute or two; a clock set by hand
    /// moves by minutes to days.
    /// </summary>
    public const double ClockReadingStepSeconds = 120;

    /// <summary>…or when the last stored reading is older than this (one reading a day at least, while the app is used).</summary>
    public const double ClockReadingRefreshHours = 24;

    /// <summary>A reading off by more than this (10 min, five times an honest phone's drift) is a clock set by hand.</summary>
    public const double ClockSetSeconds = 600;

    /// <summary>A reading within this of the server's time is a clock put right (NITZ/NTP or by hand to the minute).</summary>
    public const double ClockRightSeconds = 180;

    /// <summary>How far before an upload the readings are searched for the clock set back for the patrol.</summary>
    public const int ClockLookbackDays = 7;

    /// <summary>The app sends whenever it has signal; data first seen this long after the check-in cannot have its clock checked.</summary>
    public const double LateUploadHours = 72;

    /// <summary>A camera's own position may be a coarse network position: off by this much it is not evidence of absence.</summary>
    public const double CoarsePhotoMetres = 2000;

    /// <summary>
    /// Two photos whose 64-bit dHashes (<see cref="PhotoHash"/>) differ in at most this many bits are the same picture:
    /// Krawetz ("Kind of Like That", 2013) reads 1–10 as "a variation of the same picture", &gt; 10 as different; in
    /// PhotoHashTests a copy re-encoded at quality 40–95 and 30–150 % size differs by 0–5 bits, unrelated scenes by 22 or more.
    /// </summary>
    public const int SamePictureBits = 10;

    /// <summary>A member's own earlier photos compared with a new one (besides every earlier photo at the same adit).</summary>
    public const int SamePictureMemberDays = 90;
}

/// <summary>A stretch of a track where a windowed rule fired: which rule, its short Chinese name, when, and why.</summary>
public sealed record TrackWindow(string Rule, string Name, DateTime FromUtc, DateTime ToUtc, string Detail);

/// <summary>A fix track in local metres (east, north) of its first fix, with times.</summary>
internal readonly record struct LocalFix(double X, double Y, double Accuracy, DateTime Utc);

/// <summary>
/// 轨迹统计: what a track's statistics say about how it was made, each a named rule with its Chinese explanation for
/// the office; none proves fraud on its own, so they flag the check-ins of the patrol for review. Pure functions of the
/// fixes (markers of declared pauses already taken out).
/// </summary>
public static class TrackStatistics
{
    /// <summary>Residuals per window of the white-noise test (about two minutes of the app's fixes on the move).</summary>
    private const int WhiteNoiseWindow = 20;

    /// <summary>WhiteNoise: the offsets from a smoothed track do not wander as real GPS error does.</summary>
    public static string? WhiteNoise(IReadOnlyList<TrackPoint> track)
    {
        if (WhiteNoiseMeasure(track) is not var (rms, rho)) return null;
        return rms >= PresenceThresholds.WhiteNoiseMinRms && rho < PresenceThresholds.WhiteNoiseAutocorrelation
            ? $"轨迹的定位误差是白噪声（各段相邻偏差相关系数的中位数 {rho:0.00}，真实定位误差缓慢漂移，应在 {PresenceThresholds.WhiteNoiseAutocorrelation:0.00} 以上），疑似程序生成"
            : null;
    }

    /// <summary>What <see cref="WhiteNoise"/> measures: the residuals' RMS and the median of the windows' lag-1 correlations (null: too short or sparse).</summary>
    public static (double Rms, double MedianCorrelation)? WhiteNoiseMeasure(IReadOnlyList<TrackPoint> track) =>
        WhiteNoiseStatistics(track) is var (rms, windows) ? (rms, windows.Select(w => w.Rho).Order().ElementAt(windows.Count / 2)) : null;

    /// <summary>The residuals' RMS and each window's lag-1 correlation, or null when the track is too short or sparse to judge.</summary>
    private static (double Rms, List<(DateTime From, DateTime To, double Rho)> Windows)? WhiteNoiseStatistics(IReadOnlyList<TrackPoint> track)
    {
        var fixes = Good(track);
        if (fixes.Count < PresenceThresholds.MinFixes || MedianInterval(fixes) > PresenceThresholds.WhiteNoiseMaxIntervalSeconds) return null;
        const int k = 5;
        var residuals = new List<(double X, double Y, DateTime Utc)>();
        for (var i = k; i < fixes.Count - k; i++)
        {
            double sx = 0, sy = 0;
            for (var j = i - k; j <= i + k; j++)
            {
                sx += fixes[j].X;
                sy += fixes[j].Y;
            }

            residuals.Add((fixes[i].X - (sx / ((2 * k) + 1)), fixes[i].Y - (sy / ((2 * k) + 1)), fixes[i].Utc));
        }

        if (residuals.Count < 20) return null;
        double allSquares = 0;
        foreach (var r in residuals) allSquares += (r.X * r.X) + (r.Y * r.Y);
        if (allSquares == 0) return null;
        var rms = Math.Sqrt(allSquares / residuals.Count);

        // By windows, the median: a corner or a stop leaves a smooth, correlated offset from the moving average in
        // the few windows around it, and one turn must not make a whole synthetic track look like wandering error.
        var rhos = new List<(DateTime From, DateTime To, double Rho)>();
        for (var w = 0; w + WhiteNoiseWindow <= residuals.Count; w += WhiteNoiseWindow)
        {
            double products = 0, squares = 0;
            for (var i = w; i < w + WhiteNoiseWindow; i++)
            {
                squares += (residuals[i].X * residuals[i].X) + (residuals[i].Y * residuals[i].Y);
                if (i == w || (residuals[i].Utc - residuals[i - 1].Utc).TotalSeconds > 30) continue;
                products += (residuals[i].X * residuals[i - 1].X) + (residuals[i].Y * residuals[i - 1].Y);
            }

            if (squares > 0) rhos.Add((residuals[w].Utc, residuals[w + WhiteNoiseWindow - 1].Utc, products / squares));
        }

        return rhos.Count == 0 ? null : (rms, rhos);
    }

    /// <summary>SteadyLegs: heading and pace over two-minute windows stay fixed, leg after leg.</summary>
    public static string? SteadyLegs(IReadOnlyList<TrackPoint> track)
    {
        var (pairs, steady) = SteadyPairs(track);
        return pairs >= 5 && steady.Count > pairs * PresenceThresholds.SteadyWindowsShare
            ? $"轨迹由匀速直线段组成（{steady.Count}/{pairs} 个两分钟窗口方向与速度几乎不变），疑似程序生成"
            : null;
    }

    /// <summary>What <see cref="SteadyLegs"/> measures: pairs of consecutive two-minute windows on the move, and how many are ruler legs.</summary>
    public static (int Pairs, int Steady) SteadyMeasure(IReadOnlyList<TrackPoint> track)
    {
        var (pairs, steady) = SteadyPairs(track);
        return (pairs, steady.Count);
    }

    /// <summary>Pairs of consecutive two-minute windows on the move, and the time spans of those whose heading and pace did not change.</summary>
    private static (int Pairs, List<(DateTime From, DateTime To)> Steady) SteadyPairs(IReadOnlyList<TrackPoint> track)
    {
        var fixes = Good(track);
        if (fixes.Count < PresenceThresholds.MinFixes) return (0, []);
        var windows = new List<(double Speed, double Heading, DateTime From, DateTime To)>();
        var start = 0;
        for (var i = 1; i < fixes.Count; i++)
        {
            var span = (fixes[i].Utc - fixes[start].Utc).TotalSeconds;
            if (span < 120) continue;
            var (a, b) = (Smoothed(fixes, start), Smoothed(fixes, i));
            var d = Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2));
            windows.Add((d / span, Math.Atan2(b.Y - a.Y, b.X - a.X), fixes[start].Utc, fixes[i].Utc));
            start = i;
        }

        var pairs = 0;
        var steady = new List<(DateTime From, DateTime To)>();
        for (var i = 1; i < windows.Count; i++)
        {
            var (p, q) = (windows[i - 1], windows[i]);
            if (p.Speed < 0.5 || q.Speed < 0.5) continue;
            pairs++;
            var turn = Math.Abs(Math.IEEERemainder(q.Heading - p.Heading, 2 * Math.PI)) * 180 / Math.PI;
            if (turn < PresenceThresholds.SteadyHeadingDegrees && Math.Abs(q.Speed - p.Speed) / p.Speed < PresenceThresholds.SteadyPaceShare)
                steady.Add((p.From, q.To));
        }

        return (pairs, steady);
    }

    /// <summary>RegularIntervals: the fixes' times repeat one interval, or fall on whole seconds, as no phone's callbacks do.</summary>
    public static string? RegularIntervals(IReadOnlyList<TrackPoint> track)
    {
        if (IntervalCounts(track) is not var (mode, intervals, whole, fixes)) return null;
        if (mode >= intervals * PresenceThresholds.RegularIntervalShare)
            return $"轨迹点的时间间隔完全相同（{mode}/{intervals} 个间隔相同到毫秒），手机定位不会如此规则，疑似程序生成";
        return whole >= fixes * PresenceThresholds.WholeSecondShare ? $"轨迹点的时间都是整秒（{whole}/{fixes}），手机定位时间应有毫秒级抖动，疑似程序生成" : null;
    }

    /// <summary>What <see cref="RegularIntervals"/> measures: the share of intervals equal to the most common one (to the ms), and of fixes on whole seconds.</summary>
    public static (double ModeShare, double WholeSecondShare)? IntervalMeasure(IReadOnlyList<TrackPoint> track) =>
        IntervalCounts(track) is var (mode, intervals, whole, fixes) ? ((double)mode / intervals, (double)whole / fixes) : null;

    private static (int Mode, int Intervals, int Whole, int Fixes)? IntervalCounts(IReadOnlyList<TrackPoint> track)
    {
        if (track.Count < PresenceThresholds.MinFixes) return null;
        // Run on every track request over the day's fixes: arrays and one sort, not groups.
        var intervals = new long[track.Count - 1];
        var (whole, previous) = (0, 0L);
        for (var i = 0; i < track.Count; i++)
        {
            var ms = new DateTimeOffset(track[i].Utc).ToUnixTimeMilliseconds();
            if (ms % 1000 == 0) whole++;
            if (i > 0) intervals[i - 1] = ms - previous;
            previous = ms;
        }

        Array.Sort(intervals);
        var (mode, run) = (0, 0);
        for (var i = 0; i < intervals.Length; i++)
        {
            run = i > 0 && intervals[i] == intervals[i - 1] ? run + 1 : 1;
            mode = Math.Max(mode, run);
        }

        return (mode, intervals.Length, whole, track.Count);
    }

    /// <summary>CoarseGrid: the coordinates fall on a coarse decimal grid (typed or rounded, not measured).</summary>
    public static string? CoarseGrid(IReadOnlyList<TrackPoint> track)
    {
        if (track.Count < PresenceThresholds.MinFixes) return null;
        foreach (var (step, name) in new[] { (1000L, "0.0001°（约 11 米）"), (100L, "0.00001°（约 1 米）") })
        {
            var on = OnGrid(track, step);
            if (on >= track.Count * PresenceThresholds.GridShare)
                return $"轨迹坐标落在 {name} 的整格上（{on}/{track.Count} 个点），真实定位不会如此，疑似手工或程序生成";
        }

        return null;
    }

    /// <summary>What <see cref="CoarseGrid"/> measures: the share of fixes on the 0.0001° and on the 0.00001° grid.</summary>
    public static (double Share4, double Share5) GridMeasure(IReadOnlyList<TrackPoint> track) =>
        track.Count == 0 ? (0, 0) : ((double)OnGrid(track, 1000) / track.Count, (double)OnGrid(track, 100) / track.Count);

    private static int OnGrid(IReadOnlyList<TrackPoint> track, long step) =>
        track.Count(p => (long)Math.Round(p.Lat * 1e7) % step == 0 && (long)Math.Round(p.Lon * 1e7) % step == 0);

    /// <summary>AccuracyVariability: the reported accuracy never varies, or is a value no phone reports in the mountains.</summary>
    public static string? AccuracyVariability(IReadOnlyList<TrackPoint> track)
    {
        if (AccuracyCounts(track) is not var (value, same, known, median)) return null;
        if (same >= known * PresenceThresholds.ConstantAccuracyShare)
            return $"每个轨迹点报告的定位精度都是 {value:0.#} 米（{same}/{known}），手机的精度会随环境变化，疑似模拟定位";
        return median < PresenceThresholds.ImpossibleAccuracyMetres
            ? $"轨迹报告的定位精度中位数 {median:0.0} 米，手机在山区达不到，疑似模拟定位"
            : null;
    }

    /// <summary>What <see cref="AccuracyVariability"/> measures: the share of fixes reporting the most common accuracy (to 0.1 m), and the median accuracy.</summary>
    public static (double ConstantShare, double Median)? AccuracyMeasure(IReadOnlyList<TrackPoint> track) =>
        AccuracyCounts(track) is var (_, same, known, median) ? ((double)same / known, median) : null;

    private static (double Value, int Same, int Known, double Median)? AccuracyCounts(IReadOnlyList<TrackPoint> track)
    {
        var known = new List<double>(track.Count);
        for (var i = 0; i < track.Count; i++)
            if (track[i].Accuracy >= 0) known.Add(track[i].Accuracy);
        if (known.Count < PresenceThresholds.MinFixes) return null;
        var counts = new Dictionary<double, int>();
        foreach (var a in known) System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, Math.Round(a, 1), out _)++;
        // The most common value; of two as common, the one reported first.
        var (value, same) = (0.0, 0);
        foreach (var a in known)
        {
            var key = Math.Round(a, 1);
            if (counts[key] > same) (value, same) = (key, counts[key]);
        }

        known.Sort();
        return (value, same, known.Count, known[known.Count / 2]);
    }

    /// <summary>Upload shape: a chunk the app cannot have sent (more fixes than it ever puts in one).</summary>
    public static string? UploadShape(Patrol patrol, IEnumerable<int> chunkCounts)
    {
        if (patrol.Source != PatrolSource.App) return null;
        var largest = chunkCounts.DefaultIfEmpty(0).Max();
        return largest > PresenceThresholds.AppChunkPoints
            ? $"一段轨迹有 {largest} 个点，巡查APP每段最多上传 {PresenceThresholds.AppChunkPoints} 个点，轨迹不是APP上传的"
            : null;
    }

    /// <summary>Late upload: first seen days after the check-in, so no request carried the phone's clock meanwhile.</summary>
    public static string? LateUpload(CheckIn c, DateTime firstReceivedUtc)
    {
        var hours = (firstReceivedUtc - c.AtUtc).TotalHours;
        return hours > PresenceThresholds.LateUploadHours
            ? $"签到 {hours / 24:0.0} 天后巡查数据才首次上传，签到时间无法用手机时钟核实"
            : null;
    }

    /// <summary>ExactCoordinate: the check-in's fix is the adit's registered coordinate itself.</summary>
    public static string? ExactCoordinate(CheckIn c, double aditLat, double aditLon) =>
        Math.Abs(c.Lat - aditLat) < PresenceThresholds.ExactCoordinateDegrees && Math.Abs(c.Lon - aditLon) < PresenceThresholds.ExactCoordinateDegrees
            ? "签到定位与矿硐登记坐标完全相同，真实定位不会分毫不差，疑似手工填写坐标"
            : null;

    /// <summary>Legs too far for their time over a sliding window (a ride between adits is allowed; a jump is not).</summary>
    public static string? FastLeg(IReadOnlyList<TrackPoint> track, PatrolRuleSet rules) => FastLegs(track, rules).Select(w => w.Detail).FirstOrDefault();

    /// <summary>Every window of the track that moved too far for its time (the next is looked for after the end of the last).</summary>
    private static IEnumerable<TrackWindow> FastLegs(IReadOnlyList<TrackPoint> track, PatrolRuleSet rules)
    {
        var good = track.Where(p => p.Accuracy <= PresenceThresholds.SpikeAccuracyMetres).ToList();
        var j = 0;
        for (var i = 0; i < good.Count; i++)
        {
            while (j < good.Count && good[j].Utc - good[i].Utc < PresenceThresholds.LegWindow) j++;
            if (j >= good.Count) break;
            var seconds = (good[j].Utc - good[i].Utc).TotalSeconds;
            if (seconds > PresenceThresholds.LegWindow.TotalSeconds * 2) continue;
            var moved = Math.Max(0, ProofOfPresence.Metres(good[i].Lat, good[i].Lon, good[j].Lat, good[j].Lon) - Allowance(good[i]) - Allowance(good[j]));
            if (moved / seconds * 3.6 <= rules.CheckInHopKmh) continue;
            yield return new TrackWindow("FastLeg", "移动过快", good[i].Utc, good[j].Utc,
                $"轨迹在 {ChinaTime.ToLocal(good[i].Utc):HH:mm} 起 {seconds / 60:0} 分钟内移动 {moved / 1000:0.0} 公里（{moved / seconds * 3.6:0} 公里/小时），超过巡查可能的速度");
            while (i < good.Count - 1 && good[i + 1].Utc < good[j].Utc) i++;
        }
    }

    /// <summary>
    /// The stretches of the track where a windowed rule fired, for the reviewer's map: the white-noise windows and the
    /// steady legs when that rule flagged the track as a whole, and every too-fast leg.
    /// </summary>
    public static List<TrackWindow> FiredWindows(IReadOnlyList<TrackPoint> track, PatrolRuleSet rules)
    {
        var fired = new List<TrackWindow>();
        if (WhiteNoise(track) is not null && WhiteNoiseStatistics(track) is var (_, noise))
            fired.AddRange(noise.Where(w => w.Rho < PresenceThresholds.WhiteNoiseAutocorrelation).Select(w => new TrackWindow("WhiteNoise", "误差为白噪声",
                w.From, w.To, $"这段轨迹相邻定位偏差的相关系数 {w.Rho:0.00}（真实定位应在 {PresenceThresholds.WhiteNoiseAutocorrelation:0.00} 以上）")));
        if (SteadyLegs(track) is not null)
            fired.AddRange(SteadyPairs(track).Steady.Select(w => new TrackWindow("SteadyLegs", "匀速直线",
                w.From, w.To, $"这四分钟方向变化小于 {PresenceThresholds.SteadyHeadingDegrees:0}°、速度变化小于 {PresenceThresholds.SteadyPaceShare:P0}")));
        fired.AddRange(FastLegs(track, rules));
        return [.. fired.OrderBy(w => w.FromUtc)];
    }

    /// <summary>
    /// Copy: the median distance between this track's fixes and the other's at the same moments (within 15 s), or null
    /// when too few moments are shared to say.
    /// </summary>
    public static double? TimeAlignedMedian(IReadOnlyList<TrackPoint> mine, IReadOnlyList<TrackPoint> other)
    {
        if (mine.Count < PresenceThresholds.MinFixes || other.Count < PresenceThresholds.MinFixes) return null;
        var times = other.Select(p => p.Utc.Ticks).ToArray();
        var distances = new List<double>();
        foreach (var p in mine)
        {
            var i = Array.BinarySearch(times, p.Utc.Ticks);
            if (i < 0) i = ~i;
            var best = new[] { i - 1, i }.Where(j => j >= 0 && j < times.Length).MinBy(j => Math.Abs(times[j] - p.Utc.Ticks));
            if (Math.Abs(times[best] - p.Utc.Ticks) > TimeSpan.FromSeconds(15).Ticks) continue;
            distances.Add(ProofOfPresence.Metres(p.Lat, p.Lon, other[best].Lat, other[best].Lon));
        }

        return distances.Count >= Math.Max(20, mine.Count / 2) ? Median(distances) : null;
    }

    /// <summary>Replay: the median distance from each of this track's fixes to the nearest fix of the other, whatever its time.</summary>
    public static double? ShapeMedian(IReadOnlyList<TrackPoint> mine, IReadOnlyList<TrackPoint> other)
    {
        if (mine.Count < PresenceThresholds.MinFixes || other.Count < PresenceThresholds.MinFixes) return null;
        // Each fix's distance is capped at 50 m. A fix further than that from the other track's box is at the cap, and
        // when at least the upper half of the fixes are, the median is the cap: most candidate tracks (the same adits on
        // other days, elsewhere) end here with one pass over the fixes, the same answer as the full comparison.
        const double cap = 50.0;
        var (minLat, maxLat, minLon, maxLon) = (double.MaxValue, double.MinValue, double.MaxValue, double.MinValue);
        foreach (var q in other) (minLat, maxLat, minLon, maxLon) = (Math.Min(minLat, q.Lat), Math.Max(maxLat, q.Lat), Math.Min(minLon, q.Lon), Math.Max(maxLon, q.Lon));
        var dLat = (cap + 10) / 111_000.0;
        var dLon = dLat / Math.Cos(Math.Min(89.0, Math.Max(Math.Abs(minLat), Math.Abs(maxLat)) + 1) * Math.PI / 180);
        var outside = 0;
        foreach (var p in mine)
            if (p.Lat < minLat - dLat || p.Lat > maxLat + dLat || p.Lon < minLon - dLon || p.Lon > maxLon + dLon) outside++;
        if (outside >= mine.Count - mine.Count / 2) return cap;

        // Buckets of about 20 m: only the fixes of the neighbouring buckets can be the nearest within a few metres.
        const double cell = 0.0002;
        var buckets = other.GroupBy(p => ((long)Math.Floor(p.Lat / cell), (long)Math.Floor(p.Lon / cell))).ToDictionary(g => g.Key, g => g.ToList());
        var distances = new List<double>(mine.Count);
        foreach (var p in mine)
        {
            var (bx, by) = ((long)Math.Floor(p.Lat / cell), (long)Math.Floor(p.Lon / cell));
            var best = cap;
            for (var dx = -1; dx <= 1; dx++)
            for (var dy = -1; dy <= 1; dy++)
            {
                if (!buckets.TryGetValue((bx + dx, by + dy), out var near)) continue;
                foreach (var q in near) best = Math.Min(best, ProofOfPresence.Metres(p.Lat, p.Lon, q.Lat, q.Lon));
            }

            distances.Add(best);
        }

        return Median(distances);
    }

    public static string? Copy(double? median, string member) =>
        median < PresenceThresholds.CopyMedianMetres
            ? $"轨迹与{member}同一时段的轨迹几乎重合（同一时刻中位相距 {median:0.0} 米），疑似一部手机替两人巡查或复制了轨迹"
            : null;

    public static string? Replay(double? median, DateTime earlierUtc) =>
        median < PresenceThresholds.ReplayMedianMetres
            ? $"轨迹与 {ChinaTime.ToLocal(earlierUtc):yyyy-MM-dd HH:mm} 的巡查轨迹形状重合（中位相距 {median:0.0} 米，真实重走会有数米的定位差异），疑似重放旧轨迹"
            : null;

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    public static double Allowance(TrackPoint p) => Math.Clamp(p.Accuracy, 0, PresenceThresholds.AccuracyAllowanceCapMetres);

    private static double MedianInterval(List<LocalFix> fixes)
    {
        if (fixes.Count < 2) return double.PositiveInfinity;
        var intervals = new double[fixes.Count - 1];
        for (var i = 1; i < fixes.Count; i++) intervals[i - 1] = (fixes[i].Utc - fixes[i - 1].Utc).TotalSeconds;
        Array.Sort(intervals);
        return intervals[intervals.Length / 2];
    }

    /// <summary>The fixes of usable accuracy in local metres of the first of them (one pass: it runs on the day's track per request).</summary>
    internal static List<LocalFix> Good(IReadOnlyList<TrackPoint> track)
    {
        var good = new List<LocalFix>(track.Count);
        var (origin, cos) = (default(TrackPoint), 0.0);
        for (var i = 0; i < track.Count; i++)
        {
            var p = track[i];
            if (!(p.Accuracy <= PresenceThresholds.AccuracyAllowanceCapMetres)) continue;
            if (good.Count == 0) (origin, cos) = (p, Math.Cos(p.Lat * Math.PI / 180));
            good.Add(new LocalFix((p.Lon - origin.Lon) * 111_320 * cos, (p.Lat - origin.Lat) * 111_320, p.Accuracy, p.Utc));
        }

        return good;
    }

    private static (double X, double Y) Smoothed(List<LocalFix> fixes, int i)
    {
        var (from, to) = (Math.Max(0, i - 3), Math.Min(fixes.Count - 1, i + 3));
        double sx = 0, sy = 0;
        for (var j = from; j <= to; j++)
        {
            sx += fixes[j].X;
            sy += fixes[j].Y;
        }

        return (sx / (to - from + 1), sy / (to - from + 1));
    }
}
