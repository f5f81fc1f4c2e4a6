using System.Globalization;
using System.Text.RegularExpressions;

namespace MineGuard.Platform.Time;

/// <summary>
/// A calendar day as offices write it: 2024-09-26, 2024/9/26, 2024.9.26, 2024年9月26日, 20240926 (full-width digits
/// too), a date cell's "2024-09-26 00:00:00", or an Excel date serial. The one parser every form and import uses.
/// </summary>
public static partial class CalendarDate
{
    public const string Formats = "2024-01-31、2024/1/31、2024.01.31 或 2024年1月31日";

    public static bool TryParse(string? text, out DateOnly date) => Problem(text, out date) is null;

    /// <summary>
    /// Null when the text is a real day; otherwise why not, in Chinese, naming the field ("收到日期格式应为…"), never
    /// "收到日期" + "日期格式…" glued together.
    /// </summary>
    public static string? Problem(string field, string? text, out DateOnly date) =>
        Problem(text, out date) is { } problem ? field + problem[2..] : null;

    /// <summary>Null when the text is a real day; otherwise why not, in Chinese (every message starts with 日期).</summary>
    public static string? Problem(string? text, out DateOnly date)
    {
        date = default;
        var t = HalfWidth(text ?? "").Trim();
        if (t.Length == 0) return "日期为空";
        var m = Pattern().Match(t);
        if (m.Success)
        {
            var (y, mo, d) = (Int(m.Groups["y"].Value), Int(m.Groups["m"].Value), Int(m.Groups["d"].Value));
            if (y is < 1949 or > 2100 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo)) return $"日期不存在：{t}";
            date = new DateOnly(y, mo, d);
            return null;
        }
        // Excel stores dates as days since 1899-12-30; a plausible range keeps stray numbers out.
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 20000 and < 80000)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return null;
        }
        return $"日期格式应为 {Formats}";
    }

    /// <summary>Full-width digits and punctuation (typed with a Chinese input method) as their ASCII forms.</summary>
    public static string HalfWidth(string s) =>
        string.Create(s.Length, s, (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var ch = src[i];
                span[i] = ch is >= '\uFF01' and <= '\uFF5E' ? (char)(ch - 0xFEE0) : ch == '\u3000' ? ' ' : ch;
            }
        });

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    // A date cell may come through with its (midnight) time.
    [GeneratedRegex(@"^(?<y>\d{4})\s*[-/.年]\s*(?<m>\d{1,2})\s*[-/.月]\s*(?<d>\d{1,2})\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$|^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$")]
    private static partial Regex Pattern();
}
