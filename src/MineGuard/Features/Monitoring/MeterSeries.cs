namespace MineGuard.Features.Monitoring;

/// <summary>One hour of a meter's series: kWh used in the hour starting at <see cref="At"/> (UTC), null when unknown (a gap).</summary>
public sealed record MeterHour(DateTime At, double? Kwh);

/// <summary>A break in a register series: "reset" (the count started again, the hour is unknown) or "rollover" (wrapped past its last digit).</summary>
public sealed record MeterBreak(DateTime At, string Kind, string Text);

public sealed record MeterSeriesView(string DeviceId, string Name, DateTime From, DateTime To, List<MeterHour> Hours, List<MeterBreak> Breaks);

/// <summary>
/// Turns stored readings into hourly interval kWh. An interval reading counts in the hour its time falls in (15-minute
/// readings add up). A register reading is a count: the use between two counts goes to the hours between them (spread
/// evenly when they are up to <see cref="MaxSpreadHours"/> apart; further apart it is a gap, never a spike). A count that
/// goes down is a rollover when the old count was near the meter's last digits and the new one near zero (the use
/// wraps), else a reset (meter replaced or zeroed): that step is unknown, the series goes on from the new count.
/// </summary>
public static class MeterSeries
{
    public const int MaxSpreadHours = 6;

    public static (List<MeterHour> Hours, List<MeterBreak> Breaks) Hourly(IReadOnlyList<(DateTime Utc, double Kwh, MeterReadingKind Kind)> readings,
        DateTime fromHour, DateTime toHour)
    {
        var sums = new Dictionary<DateTime, double>();
        var breaks = new List<MeterBreak>();
        (DateTime Utc, double Kwh)? previous = null;
        foreach (var r in readings.OrderBy(r => r.Utc))
        {
            if (r.Kind == MeterReadingKind.Interval)
            {
                Add(Hour(r.Utc), r.Kwh);
                continue;
            }
            if (previous is { } p)
            {
                var used = r.Kwh - p.Kwh;
                if (used < 0)
                {
                    var limit = Math.Pow(10, Math.Ceiling(Math.Log10(p.Kwh + 1)));
                    if (p.Kwh >= 0.9 * limit && r.Kwh <= 0.1 * limit)
                    {
                        used = limit - p.Kwh + r.Kwh;
                        breaks.Add(new(r.Utc, "rollover", $"表示数翻转（{p.Kwh:0.##} → {r.Kwh:0.##}），按满量程 {limit:0} 续算"));
                    }
                    else
                    {
                        breaks.Add(new(r.Utc, "reset", $"表示数归零或换表（{p.Kwh:0.##} → {r.Kwh:0.##}），该时段用电量未知"));
                        previous = (r.Utc, r.Kwh);
                        continue;
                    }
                }
                var first = Hour(p.Utc);
                var hours = (int)Math.Round((Hour(r.Utc) - first).TotalHours);
                if (hours <= 0) Add(first, used);
                else if (hours <= MaxSpreadHours)
                {
                    for (var h = 0; h < hours; h++) Add(first.AddHours(h), used / hours);
                }
            }
            previous = (r.Utc, r.Kwh);
        }
        var result = new List<MeterHour>();
        for (var h = fromHour; h < toHour; h = h.AddHours(1))
            result.Add(new(h, sums.TryGetValue(h, out var v) ? Math.Round(v, 4) : null));
        return (result, breaks.Where(b => b.At >= fromHour && b.At < toHour.AddHours(1)).ToList());

        void Add(DateTime hour, double kwh) => sums[hour] = sums.GetValueOrDefault(hour) + kwh;
    }

    public static DateTime Hour(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
}
