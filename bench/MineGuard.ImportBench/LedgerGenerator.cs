using MineGuard.Platform.Excel;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.ImportBench;

/// <summary>
/// A fixed ledger of valid 嵩县 adits: the same seed gives the same file. Positions lie inside the county outline and
/// at least 25 m apart (the duplicate rule looks at 20 m), townships are the county's own, and six in ten adits are
/// sealed with a date, so the import also writes their sealing events.
/// </summary>
public static class LedgerGenerator
{
    public const int Seed = 2026;
    private const double MinimumMetres = 25;
    private const double Cell = 0.0005; // ~50 m: a point's 25 m neighbours lie in its own or the eight cells around it

    private static readonly string[] Townships =
    [
        "城关镇", "田湖镇", "旧县镇", "车村镇", "闫庄镇", "德亭镇", "大章镇", "白河镇", "纸房镇", "饭坡镇", "九皋镇", "陆浑镇",
        "大坪乡", "何村乡", "黄庄乡", "木植街乡", "陶村林场", "五马寺林场", "王莽寨林场",
    ];

    private static readonly string[] Minerals = ["金", "萤石", "钼", "铁", "其他"];
    private static readonly string[] Origins = ["盗采点", "历史民采", "政策性关闭", "不明"];
    private static readonly string[] Methods = ["混凝土浇筑", "浆砌石", "回填", "钢板焊封", "石块堆砌"];

    public static readonly string[] Headers = ["编号", "名称", "乡镇", "经度", "纬度", "高程", "矿种", "来源", "封堵状态", "封堵方式", "封堵日期", "备注"];

    public static void Write(Stream output, int rows, IPreparedGeometry outline)
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
            sheet.WriteRow(
            [
                $"BENCH-{i:D6}", $"{random.Next(1, 40)}号沟{random.Next(1, 9)}号硐", Townships[random.Next(Townships.Length)],
                lon, lat, random.Next(400, 1900), Minerals[random.Next(Minerals.Length)],
                Origins[random.Next(Origins.Length)], sealedOn is null ? "未封堵" : "已封堵",
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
