using MineGuard.Features.Analysis;

namespace MineGuard.Tests.Features.Analysis;

/// <summary>
/// The electricity detector on constructed series: each kind is raised, and not raised on its legitimate twin (a
/// declared pump, a holiday, a register reset or rollover, a gap). Direct tests of the pure detector; the HTTP tests
/// come with its wiring to stored readings.
/// </summary>
public class MeterDetectorTests
{
    private static readonly DateOnly Summer = new(2026, 6, 22); // a Monday, no holiday for ten weeks

    /// <summary>Hourly kWh for whole China-time days from <paramref name="first"/>: value(day, local hour).</summary>
    private static (DateTime From, float[] Hourly) Series(DateOnly first, int days, Func<int, int, double> value)
    {
        var hourly = new float[days * 24];
        for (var d = 0; d < days; d++)
            for (var h = 0; h < 24; h++)
                hourly[d * 24 + h] = (float)value(d, h);
        return (MeterDetector.DayStartUtc(first), hourly);
    }

    /// <summary>A producing mine: 100 kW by day (08–18), 30 kW otherwise, Sundays at 70 %, a few per cent of wobble.</summary>
    private static double Mine(DateOnly first, int d, int h) =>
        (h is >= 8 and < 18 ? 100 : 30) * (first.AddDays(d).DayOfWeek == DayOfWeek.Sunday ? 0.7 : 1) * (1 + 0.03 * Math.Sin(d * 1.3 + h));

    private static DateTime Utc(DateOnly first, int day) => MeterDetector.DayStartUtc(first.AddDays(day));

    private static List<MeterFinding> Scan(MeterContext ctx, (DateTime From, float[] Hourly) s) => MeterDetector.Scan(ctx, s.From, s.Hourly);

    [Fact]
    public void Use_at_a_sealed_adit_is_one_merged_finding_with_the_numbers_and_a_declared_load_is_not()
    {
        var s = Series(Summer, 60, (d, h) => d is >= 30 and < 34 ? 10 : 0.1 + 0.05 * Math.Sin(h));
        var found = Scan(MeterContext.Always(MeterState.Sealed), s);
        var f = Assert.Single(found);
        Assert.Equal(MeterFindingKinds.UseWhereNone, f.Kind);
        Assert.Equal("不应用电", f.KindName);
        Assert.Equal(Utc(Summer, 30), f.Start);
        Assert.Equal(Utc(Summer, 34), f.End);
        Assert.InRange(f.Score, 0.5, 1);
        Assert.StartsWith("7月22日至25日 用电 960 kWh", f.Explanation);
        Assert.Contains("该硐口已封闭", f.Explanation);

        // The twin: a declared load (e.g. a permitted pump) of 12 kW over the same days.
        var declared = new MeterContext([new(DateTime.MinValue, MeterState.Sealed)],
            [new(Utc(Summer, 30), Utc(Summer, 34), 12, "许可的排水泵")]);
        Assert.Empty(Scan(declared, s));
        // A stated base load is allowed too.
        Assert.Empty(Scan(MeterContext.Always(MeterState.Sealed, baseKw: 10), s));
    }

    [Fact]
    public void A_steady_trickle_a_sealed_adit_always_showed_is_at_most_one_finding_and_a_real_draw_is_still_found()
    {
        var s = Series(Summer, 120, (d, h) => (d is >= 100 and < 104 && h is >= 8 and < 18 ? 10 : 0) + 1.2 + 0.05 * Math.Sin(h));
        var found = Scan(MeterContext.Always(MeterState.Sealed), s);
        Assert.InRange(found.Count, 1, 2);
        var draw = found[^1];
        Assert.Equal(MeterFindingKinds.UseWhereNone, draw.Kind);
        Assert.Equal(Utc(Summer, 100).AddHours(8), draw.Start);
    }

    [Fact]
    public void Night_use_at_a_stopped_mine_is_ming_ting_an_kai_and_an_explained_window_is_not()
    {
        var stop = 30;
        var s = Series(Summer, 70, (d, h) => d < stop ? Mine(Summer, d, h) : (d is >= 50 and < 56 && MeterDetector.IsNightHour(h) ? 40 : 0.2));
        var ctx = new MeterContext([new(DateTime.MinValue, MeterState.Producing), new(Utc(Summer, stop), MeterState.Stopped)]);
        var f = Assert.Single(Scan(ctx, s));
        Assert.Equal(MeterFindingKinds.NightUse, f.Kind);
        Assert.Equal("明停暗开", f.KindName);
        Assert.Equal(Utc(Summer, 50), f.Start);
        Assert.Contains("22:00–06:00 用电", f.Explanation);
        Assert.Contains("该矿处于停产状态", f.Explanation);

        // The stop itself (a drop) is never a finding; an "any" explanation over the window silences it.
        var explained = new MeterContext(ctx.States, [new(Utc(Summer, 50), Utc(Summer, 56), null, "检修排水，已核实")]);
        Assert.Empty(Scan(explained, s));
    }

    [Fact]
    public void A_rise_against_the_own_baseline_is_raised_and_a_declared_pump_becomes_part_of_the_baseline()
    {
        var s = Series(Summer, 70, (d, h) => Mine(Summer, d, h) * (d is >= 56 and < 63 ? 2 : 1));
        var f = Assert.Single(Scan(MeterContext.Always(MeterState.Producing), s));
        Assert.Equal(MeterFindingKinds.Rise, f.Kind);
        Assert.Equal(Utc(Summer, 56), f.Start);
        Assert.Equal(Utc(Summer, 63), f.End);
        Assert.Contains("为此前 8 周同时段平均值的 2.0 倍", f.Explanation);

        // The twin: a drainage pump of 80 kW from day 56 on, declared; neither then nor later is it a finding.
        var pumped = Series(Summer, 70, (d, h) => Mine(Summer, d, h) + (d >= 56 ? 80 : 0));
        Assert.Single(Scan(MeterContext.Always(MeterState.Producing), pumped)); // undeclared it is
        var declared = new MeterContext([new(DateTime.MinValue, MeterState.Producing)], [new(Utc(Summer, 56), null, 80, "许可的排水泵")]);
        Assert.Empty(Scan(declared, pumped));
    }

    [Fact]
    public void Load_moving_into_the_night_and_a_new_periodic_load_are_shape_changes()
    {
        var night = Series(Summer, 70, (d, h) => Mine(Summer, d, h) + (d is >= 56 and < 63 && MeterDetector.IsNightHour(h) ? 60 : 0));
        var f = Assert.Single(Scan(MeterContext.Always(MeterState.Producing), night));
        Assert.Equal(MeterFindingKinds.NightShare, f.Kind);
        Assert.Equal("夜间占比上升", f.KindName);
        Assert.Contains("占全天", f.Explanation);

        var hoist = Series(Summer, 70, (d, h) => Mine(Summer, d, h) + (d is >= 56 and < 63 && h % 3 == 0 ? 40 : 0));
        var p = Assert.Single(Scan(MeterContext.Always(MeterState.Producing), hoist));
        Assert.Equal(MeterFindingKinds.Periodic, p.Kind);
        Assert.Contains("周期性启停负载", p.Explanation);
    }

    [Fact]
    public void A_holiday_drop_or_shape_change_at_a_producing_mine_is_no_finding()
    {
        // National Day 2026 (1–7 October): production stops, only the night pumps run; afterwards back to normal.
        var first = new DateOnly(2026, 7, 27);
        var s = Series(first, 84, (d, h) =>
            ChinaHolidays.IsHoliday(first.AddDays(d)) ? (MeterDetector.IsNightHour(h) ? 30 : 5) : Mine(first, d, h));
        Assert.True(ChinaHolidays.IsHoliday(new DateOnly(2026, 10, 3)));
        Assert.Empty(Scan(MeterContext.Always(MeterState.Producing), s));
        // A drop outside holidays is no theft finding either.
        var drop = Series(Summer, 70, (d, h) => Mine(Summer, d, h) * (d >= 56 ? 0.3 : 1));
        Assert.Empty(Scan(MeterContext.Always(MeterState.Producing), drop));
    }

    [Fact]
    public void Register_readings_with_a_rollover_and_a_reset_are_never_a_spike()
    {
        var from = MeterDetector.DayStartUtc(Summer);
        var readings = new List<MeterReading>();
        var value = 99_990.0;
        for (var i = 0; i <= 40 * 24; i++)
        {
            if (i == 500) value = 0; // the register was reset
            readings.Add(new(from.AddHours(i), Math.Round(value, 1)));
            value = (value + 0.2) % 100_000; // rolls over within the first hour
        }
        var hourly = MeterReadings.ToHourly(readings, cumulative: true, from, 40 * 24);
        Assert.All(hourly.Where(v => !float.IsNaN(v)), v => Assert.InRange(v, 0.19f, 0.21f));
        Assert.True(float.IsNaN(hourly[499])); // the reset hour is unknown, not a spike
        Assert.Empty(MeterDetector.Scan(MeterContext.Always(MeterState.Sealed), from, hourly));

        // Interval readings go straight into their hours.
        var interval = MeterReadings.ToHourly([new(from, 1.5), new(from.AddHours(2).AddMinutes(30), 2)], cumulative: false, from, 4);
        Assert.Equal(1.5f, interval[0]);
        Assert.True(float.IsNaN(interval[1]));
        Assert.Equal(2f, interval[2]);
    }

    [Fact]
    public void A_gap_is_reported_as_a_gap_never_as_zero_or_as_use()
    {
        var from = MeterDetector.DayStartUtc(Summer);
        var readings = new List<MeterReading>();
        for (var i = 0; i <= 70 * 24; i++)
            if (i is < 56 * 24 + 10 or > 58 * 24) // two days without readings
                readings.Add(new(from.AddHours(i), 1000 + i * 0.1));
        var hourly = MeterReadings.ToHourly(readings, cumulative: true, from, 70 * 24);
        Assert.True(float.IsNaN(hourly[57 * 24]));
        var f = Assert.Single(MeterDetector.Scan(MeterContext.Always(MeterState.Sealed), from, hourly));
        Assert.Equal(MeterFindingKinds.Gap, f.Kind);
        Assert.Equal("数据中断", f.KindName);
        Assert.Equal(from.AddHours(56 * 24 + 9), f.Start); // the hour after the last reading
        Assert.Contains("无读数（共 40 小时）", f.Explanation);

        // At a producing mine a gap is neither a drop nor a rise on either side.
        var s = Series(Summer, 70, (d, h) => d is 56 or 57 ? double.NaN : Mine(Summer, d, h));
        var g = Assert.Single(Scan(MeterContext.Always(MeterState.Producing), s));
        Assert.Equal(MeterFindingKinds.Gap, g.Kind);
    }

    [Fact]
    public void A_daily_scan_finds_what_a_full_scan_finds_and_shows_the_open_finding()
    {
        var s = Series(Summer, 70, (d, h) => Mine(Summer, d, h) * (d is >= 56 and < 63 ? 2 : 1));
        var ctx = MeterContext.Always(MeterState.Producing);
        var baseline = new MeterBaseline();
        var daily = new List<MeterFinding>();
        for (var d = 0; d < 70; d++)
        {
            MeterDetector.ScanDay(baseline, ctx, Summer.AddDays(d), s.Hourly.AsSpan(d * 24, 24), daily);
            if (d == 58) Assert.Equal(MeterFindingKinds.Rise, MeterDetector.Open(baseline)?.Kind);
        }
        MeterDetector.Flush(baseline, daily);
        Assert.Equal(Scan(ctx, s), daily);
        Assert.Equal(10, baseline.LearnedWeeks);
    }

    [Fact]
    public void Windows_are_written_in_China_time()
    {
        Assert.Equal("11月3日至9日", MeterDetector.Dates(MeterDetector.DayStartUtc(new(2026, 11, 3)), MeterDetector.DayStartUtc(new(2026, 11, 10))));
        Assert.Equal("10月30日至11月2日", MeterDetector.Dates(MeterDetector.DayStartUtc(new(2026, 10, 30)), MeterDetector.DayStartUtc(new(2026, 11, 3))));
        Assert.Equal("11月3日", MeterDetector.Dates(MeterDetector.DayStartUtc(new(2026, 11, 3)), MeterDetector.DayStartUtc(new(2026, 11, 4))));
    }
}
