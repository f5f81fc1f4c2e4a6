using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Demo;

/// <summary>
/// 演示台账: adits inside the real county outlines with a plausible mix of sealing histories (some broken open and
/// re-sealed twice, some sealed with loose rocks only). Licensed mines and key persons are their features' own parts. No public adit coordinates exist,
/// so every position is generated; every row is flagged as demo data. Fixed seeds: the same demo every time.
/// </summary>
public sealed class DemoRegistry : IDemoData
{
    public int Order => 10;

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
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
            var centres = townships.Select(t => (Township: t, Point: RandomPoints.Inside(prepared, outline.EnvelopeInternal, random))).ToList();
            var grids = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Grid && d.Code.StartsWith(county))
                .ToListAsync(ct);
            var people = new Guid?[] { users.GetValueOrDefault($"{prefix}-resp"), users.GetValueOrDefault($"{prefix}-patrol"), null };
            var office = users[$"{prefix}-office"];
            var sealer = users[$"{prefix}-patrol"];
            var allocator = await NumberAllocator.StartAsync(db, county, ct);
            for (var i = 0; i < count; i++)
            {
                var p = RandomPoints.Inside(prepared, outline.EnvelopeInternal, random);
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
        }
        await db.SaveChangesAsync(ct);
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
