using MineGuard.Platform.Geo;

namespace MineGuard.Features.Adits;

/// <summary>
/// Numbers in use and positions of adits, for the duplicate checks: a number is unique, and a second adit within
/// 20 m of an existing one is probably the same adit entered twice. Positions sit in ~100 m cells so that a lookup
/// reads only the neighbouring cells, whether it holds the few adits near one point or a whole county.
/// </summary>
public sealed class AditNeighbourhood
{
    public const double DuplicateMetres = 20;
    private const double Cell = 0.001;

    private readonly HashSet<string> numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<(long, long), List<(string Number, double Lon, double Lat)>> cells = [];

    public void Add(string number, double lon, double lat)
    {
        numbers.Add(number);
        var key = Key(lon, lat);
        if (!cells.TryGetValue(key, out var list)) cells[key] = list = [];
        list.Add((number, lon, lat));
    }

    public bool HasNumber(string number) => numbers.Contains(number);

    /// <summary>The nearest adit within 20 m, if any: its number and distance.</summary>
    public (string Number, double Metres)? Near(double lon, double lat)
    {
        var (cx, cy) = Key(lon, lat);
        (string, double)? best = null;
        for (var dx = -1; dx <= 1; dx++)
        {
            for (var dy = -1; dy <= 1; dy++)
            {
                if (!cells.TryGetValue((cx + dx, cy + dy), out var list)) continue;
                foreach (var (number, x, y) in list)
                {
                    var d = WebMercator.DistanceMetres(lon, lat, x, y);
                    if (d <= DuplicateMetres && (best is null || d < best.Value.Item2)) best = (number, d);
                }
            }
        }
        return best;
    }

    private static (long, long) Key(double lon, double lat) => ((long)Math.Floor(lon / Cell), (long)Math.Floor(lat / Cell));
}
