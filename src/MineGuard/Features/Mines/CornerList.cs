using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;

namespace MineGuard.Features.Mines;

/// <summary>
/// 拐点坐标: a licence boundary typed or pasted as its corner points, one per line, the way licences and the offices'
/// ledgers list them: "lon,lat", "lon lat", "序号 X Y" (north first), decimal or degrees-minutes-seconds. Blank lines
/// or lines starting with "*" (the end-of-block line of the land ministry's coordinate files) separate rings.
/// </summary>
public static partial class CornerList
{
    // Longitudes and latitudes inside China do not overlap (73–136° against 3–54°), so which of the two numbers
    // is the longitude is never a guess: licences list X (north) first, ledgers often lon first, both are read.
    private const double MinLon = 73, MaxLon = 136, MinLat = 3, MaxLat = 54;

    // Projected X/Y are in metres (hundreds of thousands to tens of millions); no angle comes near this.
    private const double ProjectedAbove = 1000;

    public const string ProjectedMessage =
        "坐标值像是投影坐标（单位为米，如 CGCS2000 高斯-克吕格 X/Y），本系统不猜测投影带，请先换算为经纬度后再填写";

    private const string LayoutMessage = "每行应为“经度,纬度”或“序号 X Y”（序号可省略）";

    /// <summary>Rings of corner points (not closed, consecutive repeats removed), or a Chinese error naming the line.</summary>
    public static bool TryParse(string text, out List<Coordinate[]> rings, out string? error)
    {
        rings = [];
        error = null;
        var current = new List<Coordinate>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = Normalize(lines[i]);
            if (line.Length == 0 || line[0] == '*')
            {
                EndRing(rings, current);
                continue;
            }

            // Column headings ("序号 X Y", "拐点编号 经度 纬度") and captions ("拐点坐标（2000国家大地坐标系）") hold no coordinate.
            if (!line.Any(char.IsAsciiDigit) || IsCaption(line)) continue;
            if (!TryParsePoint(line, out var point, out var reason))
            {
                error = $"第 {i + 1} 行：{reason}";
                return false;
            }

            if (current.Count == 0 || !current[^1].Equals2D(point)) current.Add(point);
        }

        EndRing(rings, current);
        if (rings.Count == 0)
        {
            error = "没有找到拐点坐标";
            return false;
        }

        return true;
    }

    private static void EndRing(List<Coordinate[]> rings, List<Coordinate> current)
    {
        if (current.Count == 0) return;

        // Licences often repeat the first corner at the end; the ring is closed later either way.
        if (current.Count > 1 && current[0].Equals2D(current[^1])) current.RemoveAt(current.Count - 1);
        rings.Add([.. current]);
        current.Clear();
    }

    private static bool TryParsePoint(string line, out Coordinate point, out string reason)
    {
        point = new Coordinate();
        var parts = Split(line);
        var first = parts.Count is 2 or 6 ? 0 : 1;

        // Checked before the layout so a pasted X/Y list gets the message that tells the user what to do.
        if (parts.Skip(first).Any(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && Math.Abs(v) > ProjectedAbove))
        {
            reason = ProjectedMessage;
            return false;
        }

        if (parts.Count is 3 or 7 && !IsLabel(parts[0]))
        {
            reason = LayoutMessage;
            return false;
        }

        // Six numbers without unit marks are two degree-minute-second triples ("112 02 04.2 34 05 00").
        var values = parts.Skip(first).ToList();
        if (values.Count == 6) values = [string.Join(' ', values.Take(3)), string.Join(' ', values.Skip(3))];
        if (values.Count != 2)
        {
            reason = LayoutMessage;
            return false;
        }

        var numbers = new double[2];
        for (var k = 0; k < 2; k++)
        {
            if (!Dms.TryParse(values[k], out numbers[k], out var why))
            {
                reason = $"“{values[k]}”{why}";
                return false;
            }
        }

        var (a, b) = (numbers[0], numbers[1]);
        if (IsLon(a) && IsLat(b)) point = new Coordinate(a, b);
        else if (IsLat(a) && IsLon(b)) point = new Coordinate(b, a);
        else
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"坐标（{a:0.######}, {b:0.######}）不是中国境内的经纬度（经度 {MinLon}–{MaxLon}°，纬度 {MinLat}–{MaxLat}°）");
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>
    /// Words beyond the coordinate vocabulary, no number that could be an angle and at most two numbers: a caption.
    /// Anything with more numbers is refused rather than skipped, so no corner is ever silently lost.
    /// </summary>
    private static bool IsCaption(string line) =>
        line.Any(c => c is >= '\u4E00' and <= '\u9FFF' && !"东西南北经纬号拐点序坐标".Contains(c))
        && !AngleLike().IsMatch(line) && Numbers().Count(line) <= 2;

    private static bool IsLon(double v) => v is >= MinLon and <= MaxLon;

    private static bool IsLat(double v) => v is >= MinLat and <= MaxLat;

    /// <summary>A point number: "1", "J1", "拐点3", "3号", "A"; never a coordinate (no decimals, no unit marks).</summary>
    private static bool IsLabel(string s) => s.Length <= 8 && !s.Contains('.') && s.IndexOfAny(UnitMarks) < 0;

    private static readonly char[] UnitMarks = ['°', '\'', '"'];

    /// <summary>
    /// The coordinates of one line. With commas or semicolons those separate; otherwise spaces do, but a
    /// degrees-minutes-seconds value written with marks and spaces ("112° 02′ 04.2″") stays one piece.
    /// </summary>
    private static List<string> Split(string line)
    {
        if (line.IndexOfAny([',', ';']) >= 0)
        {
            return line.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        var groups = new List<string>();
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Join when the next piece continues the previous value with a smaller unit (° then ′ then ″).
            if (groups.Count > 0 && LastUnit(groups[^1]) is { } last && FirstUnit(token) is { } next && next > last
                && char.IsAsciiDigit(token[0]))
            {
                groups[^1] += " " + token;
            }
            else
            {
                groups.Add(token);
            }
        }

        return groups;
    }

    private static int? LastUnit(string s) => s.LastIndexOfAny(UnitMarks) is var i and >= 0 ? Array.IndexOf(UnitMarks, s[i]) : null;

    private static int? FirstUnit(string s) => s.IndexOfAny(UnitMarks) is var i and >= 0 ? Array.IndexOf(UnitMarks, s[i]) : null;

    /// <summary>Full-width characters, Chinese unit words and punctuation, labels ("经度：", "X=") brought to one form.</summary>
    private static string Normalize(string raw)
    {
        // Labels first: 经度 would otherwise lose its 度 to the unit mark below.
        var sb = new StringBuilder(raw.Length);
        foreach (var ch in Labels().Replace(raw, " ").Trim())
        {
            var c = ch is >= '\uFF01' and <= '\uFF5E' ? (char)(ch - 0xFEE0) : ch;
            sb.Append(c switch
            {
                '\u3000' or '\t' => ' ',
                '、' => ',',
                '度' or 'º' or '˚' => '°',
                '分' or '′' or '’' or '‘' or '´' => '\'',
                '秒' or '″' or '”' or '“' => '"',
                '。' => '.',
                _ => c,
            });
        }

        var s = sb.Replace("''", "\"").Replace(':', ' ').ToString().Trim();

        // A hemisphere mark belongs to the number beside it; which side depends on whether the line ends with one.
        return Suffixed().IsMatch(s) ? SpaceBeforeHemisphere().Replace(s, "$1") : SpaceAfterHemisphere().Replace(s, "$1");
    }

    [GeneratedRegex(@"\d\.\d|\d\s*°")]
    private static partial Regex AngleLike();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"(经度|纬度|[XYxy](坐标)?)\s*[:：=＝]")]
    private static partial Regex Labels();

    [GeneratedRegex(@"(东经|西经|北纬|南纬|\b[EWNSewns])$")]
    private static partial Regex Suffixed();

    [GeneratedRegex(@"\s+(东经|西经|北纬|南纬|\b[EWNSewns]\b)")]
    private static partial Regex SpaceBeforeHemisphere();

    [GeneratedRegex(@"((?:东经|西经|北纬|南纬|\b[EWNSewns]))\s+(?=\d)")]
    private static partial Regex SpaceAfterHemisphere();
}
