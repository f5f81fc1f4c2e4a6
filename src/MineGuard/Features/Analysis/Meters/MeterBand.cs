namespace MineGuard.Features.Analysis;

/// <summary>
/// The expected band the chart draws around a meter's series: what <see cref="MeterDetector"/> expects of each hour
/// before it scans that day. A non-producing meter: 0 up to its allowed load (base + declared) plus the tolerance; a
/// producing meter: its learned weekly × hourly profile plus declared loads, widened by the rise margin (no band until
/// three weeks of that weekday are learned). NaN where there is no expectation (an "any" explanation, too little data).
/// </summary>
public static class MeterBand
{
    public static (float[] Low, float[] High) Compute(MeterContext context, DateTime fromUtcHour, ReadOnlySpan<float> hourly)
    {
        var low = new float[hourly.Length];
        var high = new float[hourly.Length];
        Array.Fill(low, float.NaN);
        Array.Fill(high, float.NaN);
        var b = new MeterBaseline();
        var findings = new List<MeterFinding>();
        var localDay = DateOnly.FromDateTime(Platform.Time.ChinaTime.ToLocal(fromUtcHour));
        var dayStart = MeterDetector.DayStartUtc(localDay);
        if (dayStart < fromUtcHour) { localDay = localDay.AddDays(1); dayStart = dayStart.AddDays(1); }
        for (var off = (int)(dayStart - fromUtcHour).TotalHours; off + 24 <= hourly.Length; off += 24, localDay = localDay.AddDays(1))
        {
            var noon = MeterDetector.DayStartUtc(localDay).AddHours(12);
            var state = context.StateAt(noon);
            var extra = context.ExtraKwAt(noon, out _);
            if (extra is { } kw)
            {
                if (state.State != MeterState.Producing)
                {
                    var allowed = state.BaseKw + kw;
                    var tolerance = Math.Max(Math.Max(0.5, 0.25 * allowed), 2 * (b.QuietDay + b.QuietNight) / 24 - allowed);
                    for (var h = 0; h < 24; h++) { low[off + h] = 0; high[off + h] = (float)(allowed + tolerance); }
                }
                else
                {
                    var dow = (int)localDay.DayOfWeek;
                    if (b.ProfileDays[dow] >= 3)
                    {
                        var margin = Math.Max(0.35f, 4 * b.DevEwma);
                        for (var h = 0; h < 24; h++)
                        {
                            var p = b.Profile[dow * 24 + h] + (float)kw;
                            low[off + h] = Math.Max(0, p * (1 - margin));
                            high[off + h] = p * (1 + margin);
                        }
                    }
                }
            }
            MeterDetector.ScanDay(b, context, localDay, hourly.Slice(off, 24), findings);
        }
        return (low, high);
    }
}
