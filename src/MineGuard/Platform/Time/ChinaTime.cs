namespace MineGuard.Platform.Time;

/// <summary>Times are stored in UTC and shown in Asia/Shanghai (UTC+8, no daylight saving since 1991).</summary>
public static class ChinaTime
{
    public static readonly TimeZoneInfo Zone = Find();

    public static DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public static string Format(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static string Format(DateTime? utc) => utc is null ? "" : Format(utc.Value);

    /// <summary>A local (Shanghai) wall-clock time entered by a person, as UTC.</summary>
    public static DateTime ToUtc(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);

    /// <summary>
    /// A time in a sheet or a query: China wall-clock time ("2026-11-02 08:00", "2026/11/2 8:00", "2026-11-02") or
    /// ISO 8601 with an offset or Z, as UTC.
    /// </summary>
    public static bool TryParseLocalOrOffset(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if ((text.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{2}:?\d{2}$"))
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var offset))
        {
            utc = offset.UtcDateTime;
            return true;
        }
        return TryParseLocal(text, out utc);
    }

    /// <summary>A wall-clock time a person typed in China ("2026-11-02 10:30", "2026/11/2 10:30"), as UTC.</summary>
    public static bool TryParseLocal(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text) || !DateTime.TryParse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local))
            return false;
        // The first and last days of the calendar cannot be moved by eight hours: not a time anyone means.
        if (local.Year is < 2 or > 9998) return false;
        utc = ToUtc(local);
        return true;
    }

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (TimeZoneNotFoundException)
        {
            // A container without tzdata: the offset is fixed, so a custom zone is exact.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "CST");
        }
    }
}
