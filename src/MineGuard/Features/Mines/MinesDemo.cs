using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Mines;

/// <summary>演示矿山: five licensed mines per demo county (one licence expired), inside the real county outline.</summary>
public sealed class MinesDemo : IDemoData
{
    public int Order => 15;

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        foreach (var (county, seed) in new[] { ("410325", 927), ("431281", 2024) })
        {
            var random = new Random(seed);
            var division = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == county, ct);
            var outline = GeoJson.ReadFirstGeometry(division.BoundaryGeoJson!);
            var townships = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == county && d.Level == DivisionLevel.Township)
                .OrderBy(d => d.Code).ToListAsync(ct);
            foreach (var mine in Generate(county, PreparedGeometryFactory.Prepare(outline), outline.EnvelopeInternal, random, townships, today, now)) db.Add(mine);
        }
    }

    private static IEnumerable<LicensedMine> Generate(string county, IPreparedGeometry prepared, Envelope box, Random random,
        List<Division> townships, DateOnly today, DateTime now)
    {
        var statuses = new[] { MineStatus.Producing, MineStatus.Producing, MineStatus.Suspended, MineStatus.Rectifying, MineStatus.Closing };
        for (var i = 0; i < statuses.Length; i++)
        {
            var c = RandomPoints.Inside(prepared, box, random);
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
}
