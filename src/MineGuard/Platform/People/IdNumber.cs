using System.Globalization;
using System.Text;

namespace MineGuard.Platform.People;

/// <summary>
/// 公民身份号码 (GB 11643-1999): six digits of the region where it was first issued, the birth date (yyyyMMdd), a
/// three-digit sequence and a check character computed with ISO 7064 MOD 11-2 over the first seventeen digits.
/// A number that fails here was mistyped (or made up); catching it at entry keeps duplicate detection honest,
/// since the duplicate check compares exact numbers.
/// </summary>
public static class IdNumber
{
    public const int Length = 18;

    // ISO 7064 MOD 11-2 weights, 2^(17-i) mod 11 for positions 1..17.
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    // Indexed by (weighted sum mod 11).
    private const string CheckCharacters = "10X98765432";

    // Province-level codes of GB/T 2260, plus 71 (Taiwan) and 81/82/83 used on the residence permits of Hong Kong,
    // Macao and Taiwan residents. A number starting otherwise cannot have been issued.
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
        "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
    ];

    /// <summary>
    /// The number as stored: outer spaces trimmed, full-width digits and "Ｘ" (as an Excel cell typed with a Chinese
    /// input method holds them) folded to ASCII, and a lower-case "x" written as "X".
    /// </summary>
    public static string Normalize(string text) =>
        text.Normalize(NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>The check character for the first seventeen digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("need the first 17 digits", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(first17[i])) throw new ArgumentException("need digits", nameof(first17));
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Why the (normalized) number cannot be right, as a message for the person who typed it; null when it is valid.
    /// <paramref name="today"/> is the date in China: nobody is registered before they are born.
    /// </summary>
    public static string? Problem(string? text, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text)) return "请填写身份证号";
        var id = Normalize(text);
        if (id.Length == 15 && id.All(char.IsAsciiDigit)) return "这是 15 位的旧身份证号，请填写 18 位的身份证号";
        if (id.Length != Length) return "身份证号应为 18 位";
        if (!id[..17].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(id[17]) || id[17] == 'X'))
            return "身份证号前 17 位应为数字，最后一位为数字或 X";
        if (!LooksLikeRegion(id.AsSpan(0, 6))) return "身份证号前 6 位不是有效的行政区划代码";
        if (BirthDate(id) is not { } born || born.Year < 1900 || born > today) return "身份证号中的出生日期（第 7–14 位）无效";
        if (CheckCharacter(id.AsSpan(0, 17)) != id[17]) return "身份证号校验位不正确";
        return null;
    }

    public static bool IsValid(string? text, DateOnly today) => Problem(text, today) is null;

    /// <summary>The birth date the number carries, or null when positions 7–14 are not a calendar date.</summary>
    public static DateOnly? BirthDate(string id) =>
        id.Length >= 14 && DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>The last four characters, which lists show in clear.</summary>
    public static string Last4(string id) => id[^4..];

    /// <summary>
    /// A plausible county-level code: a real province, and (on the mainland) a city part other than 00, since numbers
    /// are issued by counties. The county part may be 00: cities without counties (东莞 441900, 中山 442000) issue so.
    /// The code is not looked up among today's divisions: people keep numbers issued under codes since abolished.
    /// </summary>
    private static bool LooksLikeRegion(ReadOnlySpan<char> region)
    {
        var province = region[..2].ToString();
        if (!Provinces.Contains(province)) return false;
        return province is "71" or "81" or "82" or "83" ? region[2..].SequenceEqual("0000") : !region[2..4].SequenceEqual("00");
    }
}
