using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MineGuard.Platform.Geo;

/// <summary>
/// Parses and formats single coordinates (latitude or longitude) the way people type them in
/// Chinese offices: decimal degrees, degrees-minutes-seconds with ASCII, typographic or Chinese
/// unit marks, full-width characters from Chinese IMEs, and an optional hemisphere.
/// </summary>
public static partial class Dms
{
    private const string UnrecognizedError = "无法识别的坐标格式";
    private const string MinuteSecondRangeError = "分或秒超出范围";

    // Hemisphere words first so that "北纬" wins over a bare "北".
    private static readonly (string Token, char Hemisphere)[] Hemispheres =
    [
        ("北纬", 'N'), ("南纬", 'S'), ("东经", 'E'), ("西经", 'W'),
        ("北", 'N'), ("南", 'S'), ("东", 'E'), ("西", 'W'),
        ("N", 'N'), ("S", 'S'), ("E", 'E'), ("W", 'W'),
    ];

    /// <summary>
    /// Returns signed decimal degrees (S and W negative). Without a hemisphere the value may be
    /// up to 180; with N/S it must not exceed 90.
    /// </summary>
    public static bool TryParse(string text, out double degrees, out string? error)
    {
        degrees = 0;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "坐标为空";
            return false;
        }

        var s = Normalize(text);
        var hemisphere = TakeHemisphere(ref s);
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..].TrimStart();
        }

        // "-34°S" says south twice in contradictory ways; refuse rather than guess.
        if (negative && hemisphere is not null)
        {
            error = UnrecognizedError;
            return false;
        }

        if (!TryParseMagnitude(s, out var magnitude, out error))
        {
            return false;
        }

        var limit = hemisphere is 'N' or 'S' ? 90 : 180;
        if (magnitude > limit)
        {
            error = limit == 90 ? "纬度超出范围（应在 0 到 90 度之间）" : "经度超出范围（应在 0 到 180 度之间）";
            return false;
        }

        degrees = negative || hemisphere is 'S' or 'W' ? -magnitude : magnitude;
        return true;
    }

    /// <summary>Formats as e.g. 112°02′04.20″E or 34°05′00.00″N (seconds to 1/100, about 30 cm).</summary>
    public static string Format(double degrees, bool isLatitude)
    {
        if (!double.IsFinite(degrees) || Math.Abs(degrees) > (isLatitude ? 90 : 180))
        {
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "Not a valid latitude/longitude.");
        }

        // Round once in hundredths of a second so 59.999″ carries into the minutes instead of printing 60.00″.
        var hundredths = (long)Math.Round(Math.Abs(degrees) * 360_000, MidpointRounding.AwayFromZero);
        var d = hundredths / 360_000;
        var m = hundredths / 6_000 % 60;
        var sec = hundredths % 6_000 / 100.0;
        var hemisphere = isLatitude ? (degrees < 0 ? 'S' : 'N') : (degrees < 0 ? 'W' : 'E');
        if (hundredths == 0)
        {
            hemisphere = isLatitude ? 'N' : 'E';
        }

        return string.Create(CultureInfo.InvariantCulture, $"{d}°{m:00}′{sec:00.00}″{hemisphere}");
    }

    private static bool TryParseMagnitude(string s, out double magnitude, out string? error)
    {
        magnitude = 0;
        error = UnrecognizedError;
        var match = DmsPattern().Match(s);
        if (!match.Success)
        {
            return false;
        }

        // Components are numbers with an optional unit; without units they are taken in order
        // (degrees, minutes, seconds), as in "112 2 4.2". Units must not go backwards or repeat.
        var values = new double?[3];
        var next = 0;
        var count = match.Groups["num"].Captures.Count;
        for (var i = 0; i < count; i++)
        {
            var unitText = match.Groups["unit"].Captures[i].Value;
            var slot = unitText.Length == 0 ? next : "°'\"".IndexOf(unitText[0]);
            if (slot < next || slot > 2)
            {
                return false;
            }

            // Only the last component may carry a fraction: "112.5°30′" is ambiguous, "112°2.5′" is fine.
            var numberText = match.Groups["num"].Captures[i].Value;
            if (numberText.Contains('.') && i != count - 1)
            {
                return false;
            }

            values[slot] = double.Parse(numberText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            next = slot + 1;
        }

        if (values[1] >= 60 || values[2] >= 60)
        {
            error = MinuteSecondRangeError;
            return false;
        }

        magnitude = (values[0] ?? 0) + (values[1] ?? 0) / 60 + (values[2] ?? 0) / 3600;
        error = null;
        return true;
    }

    // Brings the many ways of typing the same thing down to ASCII digits and the marks ° ' ".
    private static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Trim())
        {
            // Full-width ASCII (U+FF01..U+FF5E) from Chinese input methods, and the ideographic space.
            var c = ch is >= '\uFF01' and <= '\uFF5E' ? (char)(ch - 0xFEE0) : ch == '\u3000' ? ' ' : ch;
            sb.Append(c switch
            {
                '度' or 'º' or '˚' => '°',
                '分' or '′' or '’' or '‘' or '´' or '`' => '\'',
                '秒' or '″' or '”' or '“' => '"',
                '。' => '.',
                '−' => '-',
                _ => char.ToUpperInvariant(c),
            });
        }

        // Two primes typed in place of a double prime.
        return sb.Replace("''", "\"").ToString();
    }

    private static char? TakeHemisphere(ref string s)
    {
        foreach (var (token, hemisphere) in Hemispheres)
        {
            if (s.StartsWith(token, StringComparison.Ordinal))
            {
                s = s[token.Length..].Trim();
                return hemisphere;
            }

            if (s.EndsWith(token, StringComparison.Ordinal))
            {
                s = s[..^token.Length].Trim();
                return hemisphere;
            }
        }

        return null;
    }

    // One to three numbers, each optionally followed by a unit mark. The lookahead stops the regex
    // from splitting "1122" into several numbers, so unit-less parts need a space between them.
    [GeneratedRegex("""^(?:(?<num>\d+(?:\.\d+)?)(?![\d.])\s*(?<unit>[°'"]?)\s*){1,3}$""")]
    private static partial Regex DmsPattern();
}
