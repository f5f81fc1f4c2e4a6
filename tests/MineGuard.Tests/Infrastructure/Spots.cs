namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// Random places for the adits tests register. The ledger refuses a second adit within 20 m of another unless confirmed,
/// and hundreds of tests share one database, so two tests' random spots in the same box did collide now and then; every
/// spot handed out here is at least ~60 m from every other handed out in this test process.
/// </summary>
public static partial class Spots
{
    private static readonly List<(double Lon, double Lat)> Given = [];

    /// <summary>A spot in the box starting at (<paramref name="lon"/>, <paramref name="lat"/>) and the given degrees wide and high.</summary>
    public static (double Lon, double Lat) In(double lon, double lat, double width, double height) =>
        Reserve(lon, lat, width, height, [(0, 0)])[0];

    /// <summary>
    /// Spots at the given offsets (degrees north and east) from one random point of 陶村林场's box, each reserved as
    /// <see cref="In"/> reserves its spot: for a test that places a group of adits by hand (a place at an offset from a
    /// reserved spot is one nobody reserved, and another test's adit may lie within 20 m of it).
    /// </summary>
    public static (double Lon, double Lat)[] SongxianGroup(params (double North, double East)[] offsets) =>
        Reserve(111.96, 33.96, 0.13, 0.13, offsets);

    private static (double Lon, double Lat)[] Reserve(double lon, double lat, double width, double height, (double North, double East)[] offsets)
    {
        lock (Given)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == 10_000) throw new InvalidOperationException("No free spot left in this box for another test adit");
                var (baseLon, baseLat) = (lon + (Random.Shared.NextDouble() * width), lat + (Random.Shared.NextDouble() * height));
                var spots = offsets.Select(o => (Lon: baseLon + o.East, Lat: baseLat + o.North)).ToArray();
                if (spots.Any(s => Given.Any(g => Math.Abs(g.Lat - s.Lat) < 0.0006 && Math.Abs(g.Lon - s.Lon) < 0.0007))) continue;
                Given.AddRange(spots);
                return spots;
            }
        }
    }

    /// <summary>陶村林场's part of 嵩县, where most tests put their adits.</summary>
    public static (double Lon, double Lat) Songxian() => In(111.96, 33.96, 0.13, 0.13);

    /// <summary>Around 黔城镇 in 洪江市.</summary>
    public static (double Lon, double Lat) Hongjiang() => In(110.0, 27.15, 0.1, 0.1);

    /// <summary>Well inside 嵩县's outline (checked against it, with a margin for the GCJ-02 shift).</summary>
    public static (double Lon, double Lat) Next() => In(111.97, 33.96, 0.16, 0.13);

    /// <summary>A point the given number of metres east of another.</summary>
    public static (double Lon, double Lat) East((double Lon, double Lat) p, double metres) =>
        (p.Lon + (metres / (111_320 * Math.Cos(p.Lat * Math.PI / 180))), p.Lat);

    /// <summary>Outside 嵩县: in 洛阳 city, east of the county.</summary>
    public static readonly (double Lon, double Lat) OutsideSongxian = (112.55, 34.05);

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)].ToUpperInvariant();
}
