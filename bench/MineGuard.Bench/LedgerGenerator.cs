using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Bench;

/// <summary>
/// A fixed ledger of valid 嵩县 adits as an office keeps it: the same seed gives the same file. Positions lie inside the
/// county outline and at least 25 m apart (the duplicate rule looks at 20 m); each row names a real village of its
/// township in the short form offices write (黄庄村 for 黄庄村民委员会, from <see cref="Villages.OfCounty"/>); 包保责任人
/// are <see cref="People"/> distinct people new to the county, each with a phone and named on several rows; six in ten
/// adits are sealed with a date, so the import also writes their sealing events.
/// </summary>
public static class LedgerGenerator
{
    public const int Seed = 2026;

    /// <summary>Distinct 包保责任人 in the file, all new to the county.</summary>
    public const int People = 20_000;

    /// <summary>Part of the cached file's name: a change of layout must not reuse a file generated before it.</summary>
    public const string Version = "v2";

    private const double MinimumMetres = 25;
    private const double Cell = 0.0005; // ~50 m: a point's 25 m neighbours lie in its own or the eight cells around it

    private static readonly string[] Minerals = ["金", "萤石", "钼", "铁", "其他"];
    private static readonly string[] Origins = ["盗采点", "历史民采", "政策性关闭", "不明"];
    private static readonly string[] Methods = ["混凝土浇筑", "浆砌石", "回填", "钢板焊封", "石块堆砌"];

    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
        "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
        "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎",
    ];

    private static readonly string[] Given1 = ["建", "国", "志", "明", "文", "海", "红", "永", "春", "振", "立", "德", "富", "秀", "小", "伟", "俊", "玉", "长", "新"];
    private static readonly string[] Given2 = ["军", "华", "强", "平", "峰", "勇", "杰", "敏", "霞", "林", "涛", "辉", "刚", "英", "超", "磊", "斌", "芳", "鹏", "亮"];

    public static readonly string[] Headers =
        ["编号", "名称", "乡镇", "村", "经度", "纬度", "高程", "矿种", "来源", "包保责任人", "联系电话", "封堵状态", "封堵方式", "封堵日期", "备注"];

    /// <summary>Person <paramref name="i"/> of <see cref="People"/>: a name (distinct for each) and a phone no county holds.</summary>
    public static (string Name, string Phone) Person(int i) =>
        (Surnames[i % Surnames.Length] + Given1[i / Surnames.Length % Given1.Length] + Given2[i / (Surnames.Length * Given1.Length) % Given2.Length],
            $"1390{i:D7}");

    /// <summary>
    /// The (township name, village short name) pairs a row may hold: every shipped village of the county whose short form
    /// differs from its name and names only it in its township.
    /// </summary>
    public static List<(string Township, string Village)> Places(string countyCode, IReadOnlyDictionary<string, string> townshipNames)
    {
        var places = new List<(string, string)>();
        foreach (var township in Villages.OfCounty(countyCode).GroupBy(v => v.TownshipCode))
        {
            if (!townshipNames.TryGetValue(township.Key, out var townshipName)) continue;
            var names = township.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var same in township.GroupBy(v => VillageNames.Normalize(v.Name)))
            {
                if (same.Count() == 1 && same.Key != same.First().Name && !names.Contains(same.Key)) places.Add((townshipName, same.Key));
            }
        }
        if (places.Count == 0) throw new InvalidOperationException($"no village of {countyCode} has a short form to write");
        return places;
    }

    public static void Write(Stream output, int rows, IPreparedGeometry outline, IReadOnlyList<(string Township, string Village)> places)
    {
        var random = new Random(Seed);
        var box = outline.Geometry.EnvelopeInternal;
        var taken = new Dictionary<(long, long), List<(double Lon, double Lat)>>();
        var factory = outline.Geometry.Factory;
        using var sheet = XlsxWriter.Create(output, "矿硐台账", [.. Headers.Select(h => new XlsxWriter.Column(h))]);
        for (var i = 1; i <= rows; i++)
        {
            var (lon, lat) = NextPosition(random, box, outline, factory, taken);
            var sealedOn = random.NextDouble() < 0.6 ? new DateOnly(2020, 1, 1).AddDays(random.Next(0, 2000)) : (DateOnly?)null;
            var (township, village) = places[random.Next(places.Count)];
            var (name, phone) = Person(i % People);
            sheet.WriteRow(
            [
                $"BENCH-{i:D6}", $"{random.Next(1, 40)}号沟{random.Next(1, 9)}号硐", township, village,
                lon, lat, random.Next(400, 1900), Minerals[random.Next(Minerals.Length)],
                Origins[random.Next(Origins.Length)], name, phone, sealedOn is null ? "未封堵" : "已封堵",
                sealedOn is null ? null : Methods[random.Next(Methods.Length)], sealedOn, i % 10 == 0 ? "2024年排查新发现" : null,
            ]);
        }
    }

    private static (double, double) NextPosition(Random random, Envelope box, IPreparedGeometry outline, GeometryFactory factory,
        Dictionary<(long, long), List<(double Lon, double Lat)>> taken)
    {
        while (true)
        {
            var lon = Math.Round(box.MinX + (random.NextDouble() * box.Width), 7);
            var lat = Math.Round(box.MinY + (random.NextDouble() * box.Height), 7);
            if (!outline.Covers(factory.CreatePoint(new Coordinate(lon, lat)))) continue;
            var (cx, cy) = ((long)Math.Floor(lon / Cell), (long)Math.Floor(lat / Cell));
            var clear = true;
            for (var dx = -1; dx <= 1 && clear; dx++)
            {
                for (var dy = -1; dy <= 1 && clear; dy++)
                {
                    if (!taken.TryGetValue((cx + dx, cy + dy), out var near)) continue;
                    clear = near.TrueForAll(p => MineGuard.Platform.Geo.WebMercator.DistanceMetres(lon, lat, p.Lon, p.Lat) >= MinimumMetres);
                }
            }
            if (!clear) continue;
            if (!taken.TryGetValue((cx, cy), out var list)) taken[(cx, cy)] = list = [];
            list.Add((lon, lat));
            return (lon, lat);
        }
    }
}
