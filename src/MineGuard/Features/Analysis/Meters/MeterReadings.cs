namespace MineGuard.Features.Analysis;

/// <summary>A raw meter reading: an interval's kWh (stamped with the interval's start) or a cumulative register value.</summary>
public readonly record struct MeterReading(DateTime TimeUtc, double Value);

/// <summary>Turns raw readings into hourly interval kWh: NaN marks an hour without data (a gap is never zero).</summary>
public static class MeterReadings
{
    /// <summary>
    /// Hourly kWh for <paramref name="hours"/> hours from <paramref name="fromUtcHour"/> (a whole UTC hour). Interval
    /// readings (<paramref name="cumulative"/> false) are summed into the hour of their time. Register readings
    /// (<paramref name="cumulative"/> true) give the difference to the previous reading, spread over the hours between
    /// them when they are at most <paramref name="maxSpanHours"/> apart (longer spans are a gap). A register that goes
    /// down has rolled over (at the next power of ten above the previous value, or <paramref name="rolloverAt"/>) when
    /// that gives a plausible use, otherwise it was reset: that interval is unknown. Neither is ever a spike.
    /// </summary>
    public static float[] ToHourly(IReadOnlyList<MeterReading> readings, bool cumulative, DateTime fromUtcHour, int hours,
        double? rolloverAt = null, int maxSpanHours = 3)
    {
        var result = new float[hours];
        Array.Fill(result, float.NaN);
        if (!cumulative)
        {
            foreach (var r in readings)
            {
                var h = (int)Math.Floor((r.TimeUtc - fromUtcHour).TotalHours);
                if (h < 0 || h >= hours || double.IsNaN(r.Value) || r.Value < 0) continue;
                result[h] = float.IsNaN(result[h]) ? (float)r.Value : result[h] + (float)r.Value;
            }
            return result;
        }
        double typical = 0; // a recent hourly use, to judge whether a wrap is plausible
        for (var i = 1; i < readings.Count; i++)
        {
            var (prev, cur) = (readings[i - 1], readings[i]);
            var span = (cur.TimeUtc - prev.TimeUtc).TotalHours;
            if (span <= 0 || span > maxSpanHours) continue;
            double delta = cur.Value - prev.Value;
            if (delta < 0)
            {
                var wrapAt = rolloverAt ?? Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(prev.Value, 1) + 1)));
                var wrapped = wrapAt - prev.Value + cur.Value;
                if (wrapped >= 0 && wrapped <= Math.Max(10 * typical * span, 1)) delta = wrapped;
                else continue; // a reset: this interval's use is unknown
            }
            typical = typical == 0 ? delta / span : 0.9 * typical + 0.1 * (delta / span);
            // Spread the difference over the hours the interval covers.
            var t = prev.TimeUtc;
            var perHour = delta / span;
            while (t < cur.TimeUtc)
            {
                var hourStart = fromUtcHour.AddHours(Math.Floor((t - fromUtcHour).TotalHours));
                var next = hourStart.AddHours(1) < cur.TimeUtc ? hourStart.AddHours(1) : cur.TimeUtc;
                var h = (int)Math.Floor((hourStart - fromUtcHour).TotalHours);
                if (h >= 0 && h < hours)
                {
                    var part = (float)(perHour * (next - t).TotalHours);
                    result[h] = float.IsNaN(result[h]) ? part : result[h] + part;
                }
                t = next;
            }
        }
        return result;
    }
}
