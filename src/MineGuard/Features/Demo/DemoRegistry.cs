using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.KeyPersons;
using MineGuard.Features.Mines;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Demo;

/// <summary>
/// 演示台账: adits inside the real county outlines with a plausible mix of sealing histories (some broken open and
/// re-sealed twice, some sealed with loose rocks only), and a few licensed mines. No public adit coordinates exist,
/// so every position is generated; every row is flagged as demo data. Fixed seeds: the same demo every time.
/// </summary>
public static class DemoRegistry
{
    public static async Task SeedAsync(AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        foreach (var (county, count, seed, prefix) in new[] { ("410325", 300, 926, "sx"), ("431281", 200, 2025, "hj") })
        {
            var random = new Random(seed);
            var division = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == county, ct);
            var outline = GeoJson.ReadFirstGeometry(division.BoundaryGeoJson!);
            var prepared = PreparedGeometryFactory.Prepare(outline);
            var townships = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == county && d.Level == DivisionLevel.Township)
                .OrderBy(d => d.Code).ToListAsync(ct);
            // No township outlines exist: give each township a centre inside the county and each adit the nearest.
            var centres = townships.Select(t => (Township: t, Point: Inside(prepared, outline.EnvelopeInternal, random))).ToList();
            var grids = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Grid && d.Code.StartsWith(county))
                .ToListAsync(ct);
            var people = new Guid?[] { users.GetValueOrDefault($"{prefix}-resp"), users.GetValueOrDefault($"{prefix}-patrol"), null };
            var office = users[$"{prefix}-office"];
            var sealer = users[$"{prefix}-patrol"];
            var allocator = await NumberAllocator.StartAsync(db, county, ct);
            for (var i = 0; i < count; i++)
            {
                var p = Inside(prepared, outline.EnvelopeInternal, random);
                var township = centres.MinBy(c => c.Point.Distance(p)).Township;
                var tGrids = grids.Where(g => g.ParentCode == township.Code).ToList();
                var grid = tGrids.Count > 0 && random.NextDouble() < 0.7 ? tGrids[random.Next(tGrids.Count)] : null;
                var origin = Pick(random, (AditOrigin.TheftPoint, 30), (AditOrigin.HistoricPrivate, 25), (AditOrigin.PolicyClosure, 20),
                    (AditOrigin.NormalClosure, 10), (AditOrigin.ProtectedAreaExit, 5), (AditOrigin.Unknown, 10));
                var mineral = county == "410325"
                    ? Pick(random, (Mineral.Gold, 60), (Mineral.Molybdenum, 15), (Mineral.Fluorite, 15), (Mineral.Iron, 5), (Mineral.Other, 5))
                    : Pick(random, (Mineral.Gold, 45), (Mineral.Coal, 20), (Mineral.Iron, 15), (Mineral.Copper, 10), (Mineral.Other, 10));
                var details = new Adit.Details(
                    i == 0 && county == "410325" ? "演示：9·26 式坍塌金矿硐" : null, Math.Round(400 + random.NextDouble() * 1400),
                    mineral, origin, origin == AditOrigin.NormalClosure ? $"演示矿业有限公司{random.Next(1, 30)}" : null,
                    origin is AditOrigin.PolicyClosure or AditOrigin.ProtectedAreaExit ? $"{township.Name}人民政府（关闭时确定）" : null,
                    people[random.Next(people.Length)], "演示数据（演示台账生成，位置为随机生成）");
                var place = new Adit.Place(county, township.Code, null, grid?.Code);
                var adit = Adit.Register(allocator.Next(), place, p.X, p.Y, details, now, isDemo: true);
                History(adit, random, today, sealer, office, now);
                db.Add(adit);
            }
            foreach (var mine in Mines(county, prepared, outline.EnvelopeInternal, random, townships, today, now)) db.Add(mine);
        }
        await db.SaveChangesAsync(ct);
    }

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"];

    /// <summary>
    /// A few 重点人员 per county with made-up names and ID numbers that pass the check digit but belong to nobody
    /// (born on the 1st of a month, sequence 9xx), each linked to adits of their township and visited once.
    /// </summary>
    public static async Task KeyPersonsAsync(KeyPersonCommands commands, AppDbContext db, CancellationToken ct)
    {
        foreach (var (county, seed) in new[] { ("410325", 9026), ("431281", 2026) })
        {
            var random = new Random(seed);
            var adits = await db.Adits().AsNoTracking().Where(a => a.CountyCode == county && a.IsDemo && a.BreachCount > 0)
                .OrderBy(a => a.Number).Take(16).ToListAsync(ct);
            for (var i = 0; i < 8; i++)
            {
                var adit = adits[i * 2 % adits.Count];
                var born = new DateOnly(1960 + random.Next(35), 1 + random.Next(12), 1);
                var first17 = $"{county}{born:yyyyMMdd}9{i:D2}";
                var id = first17 + IdNumber.CheckCharacter(first17);
                var level = i < 2 ? "严管" : i < 5 ? "重点" : "一般";
                var input = new KeyPersonInput($"{Surnames[random.Next(Surnames.Length)]}某{i + 1}（演示）", id, $"1390000{random.Next(1000, 9999)}",
                    adit.TownshipCode, null, "曾在废弃金矿硐从事采挖（演示）", i < 3 ? "2023 年因盗采矿产资源被行政处罚（演示）" : null, level);
                var (person, errors) = await commands.ValidateAndCreateAsync(input, null, isDemo: true, ct);
                if (person is null) throw new InvalidOperationException("demo key person refused: " + string.Join("；", errors.Values.SelectMany(v => v)));
                await db.SaveChangesAsync(ct);
                await commands.LinkAditAsync(person, new AditLinkInput(adit.Number, i % 2 == 0 ? "曾在此硐盗采" : "居住在附近"), ct);
                await commands.AddHomeVisitAsync(person, new HomeVisitInput(commands.Today.AddDays(-random.Next(10, 200)), "乡镇包保干部、派出所民警（演示）",
                    "已上门宣传诫训，本人签订承诺书（演示）"), ct);
            }
        }
    }

    /// <summary>One adit's story: unsealed, sealed (well or with rocks), accepted, broken open and re-sealed…</summary>
    private static void History(Adit adit, Random random, DateOnly today, Guid sealer, Guid office, DateTime now)
    {
        var roll = random.Next(100);
        if (roll < 18) return; // never sealed
        var day = today.AddDays(-random.Next(400, 1400));
        var method = roll < 30 ? SealMethod.LooseRocks : Pick(random, (SealMethod.Concrete, 40), (SealMethod.MortarMasonry, 30), (SealMethod.Backfill, 20), (SealMethod.SteelPlate, 5), (SealMethod.Demolition, 5));
        adit.Seal(new Adit.SealWork(day, method, method == SealMethod.LooseRocks ? null : "县废弃矿硐封堵技术要求（演示）", "乡镇封堵队（演示）", sealer, null), sealer, now);
        if (roll is >= 30 and < 40) return; // sealed, never accepted
        if (method != SealMethod.LooseRocks) adit.Accept(day.AddDays(random.Next(3, 30)), office, "现场验收（演示）", now);
        var breaches = roll switch { >= 85 and < 93 => 2, >= 93 => 1, >= 65 => 1, _ => 0 };
        for (var b = 0; b < breaches; b++)
        {
            var last = adit.LastSealedOn!.Value;
            var broken = last.AddDays(random.Next(60, 300));
            if (broken > today) break;
            adit.RecordBreach(broken, "巡查员（演示）", Pick(random, ("巡查发现", 50), ("群众举报", 25), ("视频监控", 15), ("电子封条报警", 10)), sealer, null, now);
            if (roll >= 93 && b == breaches - 1) return; // still open: the ones to act on
            var resealed = broken.AddDays(random.Next(2, 20));
            if (resealed > today) return;
            adit.Seal(new Adit.SealWork(resealed, SealMethod.Concrete, "县废弃矿硐封堵技术要求（演示）", "乡镇封堵队（演示）", sealer, "重新封堵"), sealer, now);
            var check = resealed.AddDays(random.Next(2, 15));
            if (random.NextDouble() < 0.7 && check <= today) adit.Accept(check, office, "复查验收（演示）", now);
        }
    }

    private static IEnumerable<LicensedMine> Mines(string county, IPreparedGeometry prepared, Envelope box, Random random,
        List<Division> townships, DateOnly today, DateTime now)
    {
        var statuses = new[] { MineStatus.Producing, MineStatus.Producing, MineStatus.Suspended, MineStatus.Rectifying, MineStatus.Closing };
        for (var i = 0; i < statuses.Length; i++)
        {
            var c = Inside(prepared, box, random);
            var (w, h) = (0.004 + random.NextDouble() * 0.006, 0.003 + random.NextDouble() * 0.005);
            var polygon = GeoJson.Factory.CreatePolygon([
                new(c.X - w, c.Y - h), new(c.X + w, c.Y - h * 0.8), new(c.X + w * 0.9, c.Y + h), new(c.X - w * 1.1, c.Y + h * 0.9), new(c.X - w, c.Y - h)]);
            var validTo = i == 2 ? today.AddDays(-200) : today.AddYears(1 + i); // one licence expired
            var township = townships[random.Next(townships.Count)];
            var licence = new LicensedMine.Licence(
                $"演示{township.Name}{(county == "410325" ? "金" : "钨锑")}矿{i + 1}", $"演示矿业有限公司{county[^2..]}{i + 1}",
                $"C41{county}20{10 + i}0{random.Next(100000, 999999)}", county == "410325" ? Mineral.Gold : Mineral.Other,
                validTo.AddYears(-5), validTo, statuses[i]);
            var env = polygon.EnvelopeInternal;
            yield return LicensedMine.Register(licence, county, township.Code, GeoJson.Write(polygon), (env.MinX, env.MinY, env.MaxX, env.MaxY), now, isDemo: true);
        }
    }

    private static Point Inside(IPreparedGeometry outline, Envelope box, Random random)
    {
        while (true)
        {
            var p = GeoJson.Factory.CreatePoint(new Coordinate(box.MinX + random.NextDouble() * box.Width, box.MinY + random.NextDouble() * box.Height));
            if (outline.Contains(p)) return p;
        }
    }

    private static T Pick<T>(Random random, params (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        return choices[^1].Value;
    }
}
