using System.Globalization;
using System.Text.RegularExpressions;

namespace MineGuard.Platform.Time;

/// <summary>A calendar day as offices write it: 2024-09-26, 2024/9/26, 2024.9.26, 2024年9月26日, or an Excel date serial.</summary>
public static partial class CalendarDate
{
    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return false;
        var m = Pattern().Match(t);
        if (m.Success)
        {
            return DateOnly.TryParseExact(
                $"{m.Groups[1].Value}-{int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture):D2}-{int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture):D2}",
                "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }
        // Excel stores dates as days since 1899-12-30; a plausible range keeps stray numbers out.
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 20000 and < 80000)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }
        return false;
    }

    [GeneratedRegex(@"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")]
    private static partial Regex Pattern();
}
