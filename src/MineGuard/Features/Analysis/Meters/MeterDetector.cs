using System.Globalization;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Analysis;

/// <summary>
/// The electricity detector (电力看矿): a pure scan of a meter's hourly kWh (NaN = no data) against what is expected of
/// it (<see cref="MeterContext"/>), one China-time day at a time. Non-producing meters (sealed adit, stopped, suspended,
/// expired, closing) expect nothing beyond their stated base load and declared loads; producing meters learn their own
/// weekly × hourly profile (an 8-week running mean per slot) and raise a rise, a move of load into the night or a new
/// periodic on/off load against it. Drops are never findings, holidays neither raise findings nor teach the profile,
/// and missing hours are gaps. Anomalous days next to each other (gap and holiday days in between do not break them)
/// merge into one finding. Daily use: keep a <see cref="MeterBaseline"/> per meter and call <see cref="ScanDay"/>;
/// full re-scan: <see cref="Scan"/>.
/// </summary>
public static class MeterDetector
{
    /// <summary>Night in China time: 22:00–06:00, i.e. local hours 22, 23, 0…5.</summary>
    public static bool IsNightHour(int localHour) => localHour >= 22 || localHour < 6;

    /// <summary>A run of at least this many hours without data is reported as a gap.</summary>
    public const int GapHours = 3;

    private const float Alpha = 1f / 8; // an 8-week running mean per weekly slot
    private const int MinCoveredHours = 16;

    /// <summary>UTC start of a China-time day.</summary>
    public static DateTime DayStartUtc(DateOnly localDay) => ChinaTime.ToUtc(localDay.ToDateTime(TimeOnly.MinValue));

    /// <summary>
    /// A full re-scan of an hourly series from <paramref name="fromUtcHour"/>: every whole China-time day in it, then
    /// every open finding closed. Findings are in time order per kind.
    /// </summary>
    public static List<MeterFinding> Scan(MeterContext context, DateTime fromUtcHour, ReadOnlySpan<float> hourly, MeterBaseline? baseline = null)
    {
        var b = baseline ?? new MeterBaseline();
        var findings = new List<MeterFinding>();
        var localDay = DateOnly.FromDateTime(ChinaTime.ToLocal(fromUtcHour));
        var dayStart = DayStartUtc(localDay);
        if (dayStart < fromUtcHour) { localDay = localDay.AddDays(1); dayStart = dayStart.AddDays(1); }
        for (var off = (int)(dayStart - fromUtcHour).TotalHours; off + 24 <= hourly.Length; off += 24, localDay = localDay.AddDays(1))
            ScanDay(b, context, localDay, hourly.Slice(off, 24), findings);
        Flush(b, findings);
        return findings;
    }

    /// <summary>Closes the open finding and gap (end of a re-scan).</summary>
    public static void Flush(MeterBaseline b, List<MeterFinding> findings)
    {
        if (b.InGap) CloseGap(b, findings);
        if (b.WinOpen) findings.Add(CloseWindow(b));
    }

    /// <summary>The finding still open after the last scanned day (what a daily scan shows as current), or null.</summary>
    public static MeterFinding? Open(MeterBaseline b) => b.WinOpen ? Describe(b) : null;

    /// <summary>
    /// Scans one China-time day: <paramref name="hourly"/> holds its 24 hours from local 00:00 (NaN for no data).
    /// Findings that close on this day are appended to <paramref name="findings"/>.
    /// </summary>
    public static void ScanDay(MeterBaseline b, MeterContext context, DateOnly localDay, ReadOnlySpan<float> hourly, List<MeterFinding> findings)
    {
        if (hourly.Length != 24) throw new ArgumentException("一天应有 24 个小时读数", nameof(hourly));
        var dayStart = DayStartUtc(localDay);
        b.LastDay = localDay;

        var covered = 0;
        for (var h = 0; h < 24; h++)
        {
            if (float.IsNaN(hourly[h]))
            {
                if (!b.InGap) { b.InGap = true; b.GapStart = dayStart.AddHours(h); b.GapHours = 0; }
                b.GapHours++;
            }
            else
            {
                covered++;
                if (b.InGap) CloseGap(b, findings);
            }
        }
        if (covered < MinCoveredHours) return; // too little data to judge: neither extends nor closes a finding

        var noon = dayStart.AddHours(12);
        var state = context.StateAt(noon);
        var extra = context.ExtraKwAt(noon, out var cause);
        if (extra is null)
        {
            // An "any" explanation covers the day: nothing to find, nothing to learn.
            if (b.WinOpen) findings.Add(CloseWindow(b));
            return;
        }
        var producing = state.State == MeterState.Producing;
        if (b.WinOpen && (b.WinState == MeterState.Producing) != producing) findings.Add(CloseWindow(b));
        if (producing) ScanProducing(b, localDay, dayStart, hourly, extra.Value, cause, findings);
        else ScanNotProducing(b, state, dayStart, hourly, extra.Value, cause, findings);
    }

    private static void ScanNotProducing(MeterBaseline b, MeterStatePeriod state, DateTime dayStart, ReadOnlySpan<float> x,
        double extraKw, string? cause, List<MeterFinding> findings)
    {
        var allowed = state.BaseKw + extraKw;
        // A steady small load the meter has always shown (a camera, a light: no generator) is tolerated at twice its level.
        var tolerance = Math.Max(Math.Max(0.5, 0.25 * allowed), 2 * (b.QuietDay + b.QuietNight) / 24 - allowed);
        double excess = 0, nightExcess = 0, total = 0, night = 0;
        int over = 0, covered = 0, first = -1;
        for (var h = 0; h < 24; h++)
        {
            if (float.IsNaN(x[h])) continue;
            covered++;
            var isNight = IsNightHour(h); // hour h of the local day is local hour h
            total += x[h];
            if (isNight) night += x[h];
            if (x[h] > allowed + tolerance)
            {
                var e = x[h] - allowed;
                excess += e;
                over++;
                if (first < 0) first = h;
                if (isNight) nightExcess += e;
            }
        }
        if (over >= 2 && excess >= 4)
        {
            var isMine = state.State != MeterState.Sealed;
            var kind = isMine && nightExcess >= 0.6 * excess ? MeterFindingKinds.NightUse : MeterFindingKinds.UseWhereNone;
            var score = 1 - Math.Exp(-excess / 50);
            Extend(b, dayStart, first, state.State, kind, score,
                kwh: total, expected: b.QuietDay + b.QuietNight, nightKwh: night, nightExpected: b.QuietNight, share: 0, shareBase: 0, rough: 0, roughBase: 0,
                cause, extraKw: extraKw, allowedKw: allowed);
            // A flat load lasting more than two weeks is learned, slowly (a new steady trickle ends as one finding).
            if (b.WinDays > 14 && FlatLoad(x)) LearnQuiet(b, total, night, covered, slow: true);
            return;
        }
        if (b.WinOpen) findings.Add(CloseWindow(b));
        LearnQuiet(b, total, night, covered, slow: false);
    }

    private static bool FlatLoad(ReadOnlySpan<float> x)
    {
        float max = 0, sum = 0;
        var n = 0;
        foreach (var v in x)
            if (!float.IsNaN(v)) { max = Math.Max(max, v); sum += v; n++; }
        return n > 0 && max <= 1.5 * sum / n;
    }

    private static void LearnQuiet(MeterBaseline b, double total, double night, int covered, bool slow)
    {
        // The quiet load: an 8-week running mean once warmed up.
        var a = b.QuietDays < 56 ? 1f / ++b.QuietDays : 1f / 56;
        if (slow) a = 1f / 28;
        b.QuietDay += a * ((float)(total - night) * 24 / covered - b.QuietDay);
        b.QuietNight += a * ((float)night * 24 / covered - b.QuietNight);
    }

    private static void ScanProducing(MeterBaseline b, DateOnly localDay, DateTime dayStart, ReadOnlySpan<float> x,
        double extraKw, string? cause, List<MeterFinding> findings)
    {
        var dow = (int)localDay.DayOfWeek;
        var profile = b.Profile.AsSpan(dow * 24, 24);
        double r = 0, e = 0, rn = 0, en = 0, rough = 0;
        var prev = float.NaN;
        for (var h = 0; h < 24; h++)
        {
            if (float.IsNaN(x[h])) { prev = float.NaN; continue; }
            var res = x[h] - (float)extraKw;
            r += res;
            e += profile[h];
            if (IsNightHour(h)) { rn += res; en += profile[h]; }
            // Hour-to-hour change of the deviation from the profile: noise normally, large for an on/off load.
            var dev = res - profile[h];
            if (!float.IsNaN(prev)) rough += Math.Abs(dev - prev);
            prev = dev;
        }
        var share = r > 0 ? rn / r : 0;
        var roughness = e > 0 ? rough / e : -1;
        if (ChinaHolidays.IsHoliday(localDay)) return; // holidays: no findings, no learning, the finding stays open
        var learned = b.ProfileDays[dow] >= 3 && b.NightShare >= 0;
        string? kind = null;
        double score = 0;
        if (learned && e > 0)
        {
            var riseMargin = Math.Max(0.35, 4 * b.DevEwma);
            var shareMargin = Math.Max(0.10, 4 * b.NightShareDev);
            var roughMargin = Math.Max(0.15, 4 * b.RoughDev);
            if (share - b.NightShare > shareMargin && rn > 1.3 * en && rn - en > 5)
            {
                kind = MeterFindingKinds.NightShare;
                score = 1 - Math.Exp(-(share - b.NightShare) / shareMargin + 0.5);
            }
            else if (b.Rough >= 0 && roughness > b.Rough + roughMargin && roughness > 2 * b.Rough && r > 0.8 * e)
            {
                kind = MeterFindingKinds.Periodic;
                score = 1 - Math.Exp(-(roughness - b.Rough) / roughMargin + 0.5);
            }
            else if (r > e * (1 + riseMargin) && r - e > 5)
            {
                kind = MeterFindingKinds.Rise;
                score = 1 - Math.Exp(-(r / e - 1) / riseMargin + 0.5);
            }
        }
        if (kind is not null)
        {
            Extend(b, dayStart, 0, MeterState.Producing, kind, Math.Clamp(score, 0.3, 1), kwh: r + extraKw * 24, expected: e + extraKw * 24,
                nightKwh: rn + extraKw * 8, nightExpected: en + extraKw * 8, share, b.NightShare, roughness, b.Rough, cause, extraKw, allowedKw: 0);
            Learn(b, dow, x, extraKw, r, e, share, roughness, slow: true);
            return;
        }
        if (b.WinOpen) findings.Add(CloseWindow(b));
        Learn(b, dow, x, extraKw, r, e, share, roughness, slow: false);
    }

    private static void Learn(MeterBaseline b, int dow, ReadOnlySpan<float> x, double extraKw, double r, double e, double share, double roughness, bool slow)
    {
        var n = b.ProfileDays[dow];
        var a = n < 8 ? 1f / (n + 1) : Alpha;
        if (slow) a /= 4; // a lasting undeclared change is learned, slowly
        var profile = b.Profile.AsSpan(dow * 24, 24);
        for (var h = 0; h < 24; h++)
            if (!float.IsNaN(x[h])) profile[h] += a * (x[h] - (float)extraKw - profile[h]);
        if (n < 255) b.ProfileDays[dow] = (byte)(n + 1);
        if (slow) return;
        const float d = 0.1f;
        if (e > 0 && n >= 3) b.DevEwma += d * ((float)Math.Min(Math.Abs(r - e) / e, 1) - b.DevEwma);
        if (b.NightShare < 0) b.NightShare = (float)share;
        else { b.NightShareDev += d * ((float)Math.Abs(share - b.NightShare) - b.NightShareDev); b.NightShare += d * ((float)share - b.NightShare); }
        if (roughness < 0) return;
        if (b.Rough < 0) b.Rough = (float)roughness;
        else { b.RoughDev += d * ((float)Math.Abs(roughness - b.Rough) - b.RoughDev); b.Rough += d * ((float)roughness - b.Rough); }
    }

    private static void Extend(MeterBaseline b, DateTime dayStart, int firstHour, MeterState state, string kind, double score,
        double kwh, double expected, double nightKwh, double nightExpected, double share, double shareBase, double rough, double roughBase,
        string? cause, double extraKw, double allowedKw)
    {
        if (!b.WinOpen)
        {
            b.WinOpen = true;
            b.WinStart = dayStart.AddHours(firstHour);
            Array.Clear(b.WinKinds);
            b.WinKwh = b.WinExpected = b.WinNightKwh = b.WinNightExpected = b.WinShare = b.WinShareBase = b.WinRough = b.WinRoughBase = b.WinScore = 0;
            b.WinDays = 0;
            b.WinState = state;
        }
        b.WinEnd = dayStart.AddHours(24);
        b.WinKinds[Array.IndexOf(MeterFindingKinds.All, kind)]++;
        b.WinKwh += kwh; b.WinExpected += expected; b.WinNightKwh += nightKwh; b.WinNightExpected += nightExpected;
        b.WinShare += share; b.WinShareBase += shareBase; b.WinRough += rough; b.WinRoughBase += roughBase;
        b.WinScore = Math.Max(b.WinScore, score);
        b.WinDays++;
        b.WinCause = cause;
        b.WinExtraKw = extraKw;
        b.WinAllowedKw = allowedKw;
    }

    private static MeterFinding CloseWindow(MeterBaseline b)
    {
        var f = Describe(b);
        b.WinOpen = false;
        return f;
    }

    private static void CloseGap(MeterBaseline b, List<MeterFinding> findings)
    {
        if (b.GapHours >= GapHours)
        {
            var end = b.GapStart.AddHours(b.GapHours);
            findings.Add(new MeterFinding(b.GapStart, end, MeterFindingKinds.Gap, 0,
                $"{LocalHour(b.GapStart)} 至 {LocalHour(end)} 无读数（共 {b.GapHours} 小时），按数据中断处理，不计为零用电"));
        }
        b.InGap = false;
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static MeterFinding Describe(MeterBaseline b)
    {
        var best = 0;
        for (var i = 1; i < b.WinKinds.Length; i++) if (b.WinKinds[i] > b.WinKinds[best]) best = i;
        var kind = MeterFindingKinds.All[best];
        var dates = Dates(b.WinStart, b.WinEnd);
        var declared = b.WinExtraKw > 0 ? $"（已计入申报负荷 {Num(b.WinExtraKw)} kW{(b.WinCause is { } c ? "：" + c : "")}）" : "";
        string text = kind switch
        {
            MeterFindingKinds.NightUse =>
                $"{dates} 22:00–06:00 用电 {Num(b.WinNightKwh)} kWh，{Compare(b.WinNightKwh, b.WinNightExpected, b.WinDays)}{declared}；{StateText(b.WinState)}",
            MeterFindingKinds.UseWhereNone =>
                $"{dates} 用电 {Num(b.WinKwh)} kWh，允许负荷 {Num(b.WinAllowedKw)} kW，此前 8 周同时段平均 {Num(b.WinExpected)} kWh{declared}；{StateText(b.WinState)}",
            MeterFindingKinds.NightShare =>
                $"{dates} 22:00–06:00 用电 {Num(b.WinNightKwh)} kWh，占全天 {Pct(b.WinShare / b.WinDays)}，此前 8 周为 {Pct(b.WinShareBase / b.WinDays)}，夜间用电为此前同时段平均值的 {Ratio(b.WinNightKwh, b.WinNightExpected)} 倍{declared}；负荷向夜间转移",
            MeterFindingKinds.Periodic =>
                $"{dates} 出现周期性启停负载：逐时波动为此前 8 周的 {Ratio(b.WinRough, b.WinRoughBase)} 倍，用电 {Num(b.WinKwh)} kWh（此前 8 周同时段平均 {Num(b.WinExpected)} kWh）{declared}",
            _ =>
                $"{dates} 用电 {Num(b.WinKwh)} kWh，为此前 8 周同时段平均值的 {Ratio(b.WinKwh, b.WinExpected)} 倍{declared}；该矿处于生产状态，增长未经说明",
        };
        return new MeterFinding(b.WinStart, b.WinEnd, kind, Math.Round(b.WinScore, 3), text);
    }

    private static string Compare(double kwh, double reference, int days) =>
        reference >= 0.5 * days ? $"为此前 8 周同时段平均值的 {Ratio(kwh, reference)} 倍" : "此前同时段几乎无用电";

    private static string StateText(MeterState s) => s switch
    {
        MeterState.Sealed => "该硐口已封闭",
        MeterState.Stopped => "该矿处于停产状态",
        MeterState.Suspended => "该矿处于停产整顿状态",
        MeterState.Expired => "该矿证照已过期",
        MeterState.Closing => "该矿正在关闭",
        _ => "该矿处于生产状态",
    };

    private static string Num(double v) => v.ToString(v >= 100 ? "0" : "0.#", Inv);
    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.0", Inv) : "—";
    private static string Pct(double v) => (v * 100).ToString("0.0", Inv) + "%";

    private static string LocalHour(DateTime utc)
    {
        var l = ChinaTime.ToLocal(utc);
        return l.ToString("M月d日 HH:00", Inv);
    }

    /// <summary>"11月3日至9日", "10月30日至11月2日", "11月3日" for a window [start, end) in UTC, in China time.</summary>
    public static string Dates(DateTime startUtc, DateTime endUtc)
    {
        var s = ChinaTime.ToLocal(startUtc);
        var e = ChinaTime.ToLocal(endUtc.AddSeconds(-1));
        if (s.Date == e.Date) return $"{s.Month}月{s.Day}日";
        if (s.Year != e.Year) return $"{s.Year}年{s.Month}月{s.Day}日至{e.Year}年{e.Month}月{e.Day}日";
        return s.Month == e.Month ? $"{s.Month}月{s.Day}日至{e.Day}日" : $"{s.Month}月{s.Day}日至{e.Month}月{e.Day}日";
    }
}
