using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// E-fence zones in memory behind a uniform grid (cells of 0.01°, about 1 km): a position ping looks at one cell's few
/// zones instead of all of them, then tests each exactly (circle by distance, polygon by ray casting). 100,000 zones
/// fit in a few tens of MB; the index is rebuilt from the devices when they change (on this node at once, on others
/// within a minute).
/// </summary>
public sealed class ZoneGrid
{
    private const double Cell = 0.01;
    private readonly Dictionary<long, List<int>> cells = [];
    private readonly List<Zone> zones = [];

    public sealed record Zone(Guid Id, double Lon, double Lat, double RadiusMeters, double[]? Ring)
    {
        public (double MinLon, double MinLat, double MaxLon, double MaxLat) Box()
        {
            if (Ring is { } r)
            {
                double a = double.MaxValue, b = double.MaxValue, c = double.MinValue, d = double.MinValue;
                for (var i = 0; i < r.Length; i += 2)
                {
                    a = Math.Min(a, r[i]); c = Math.Max(c, r[i]);
                    b = Math.Min(b, r[i + 1]); d = Math.Max(d, r[i + 1]);
                }
                return (a, b, c, d);
            }
            var dLat = RadiusMeters / 111_320.0;
            var dLon = dLat / Math.Max(0.01, Math.Cos(Lat * Math.PI / 180));
            return (Lon - dLon, Lat - dLat, Lon + dLon, Lat + dLat);
        }

        public bool Contains(double lon, double lat)
        {
            if (Ring is not { } r)
            {
                var dy = (lat - Lat) * 111_320.0;
                var dx = (lon - Lon) * 111_320.0 * Math.Cos(Lat * Math.PI / 180);
                return dx * dx + dy * dy <= RadiusMeters * RadiusMeters;
            }
            var inside = false;
            for (int i = 0, j = r.Length - 2; i < r.Length; j = i, i += 2)
            {
                double xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
                if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
            }
            return inside;
        }
    }

    public int Count => zones.Count;

    public void Add(Zone zone)
    {
        var index = zones.Count;
        zones.Add(zone);
        var (a, b, c, d) = zone.Box();
        for (var x = Key(a); x <= Key(c); x++)
        {
            for (var y = Key(b); y <= Key(d); y++)
            {
                var k = (x << 32) ^ (y & 0xffffffff);
                if (!cells.TryGetValue(k, out var list)) cells[k] = list = [];
                list.Add(index);
            }
        }
    }

    /// <summary>The zones containing the point (usually none or one).</summary>
    public IEnumerable<Guid> Containing(double lon, double lat)
    {
        if (!cells.TryGetValue((Key(lon) << 32) ^ (Key(lat) & 0xffffffff), out var list)) yield break;
        foreach (var i in list)
        {
            if (zones[i].Contains(lon, lat)) yield return zones[i].Id;
        }
    }

    /// <summary>How many zones contain the point, without allocating (the benchmark's hot path).</summary>
    public int CountContaining(double lon, double lat)
    {
        if (!cells.TryGetValue((Key(lon) << 32) ^ (Key(lat) & 0xffffffff), out var list)) return 0;
        var n = 0;
        foreach (var i in list)
        {
            if (zones[i].Contains(lon, lat)) n++;
        }
        return n;
    }

    private static long Key(double degrees) => (long)Math.Floor(degrees / Cell);

    /// <summary>A zone from its device: a polygon's outer ring, or a circle (default 200 m) around the device or its adit.</summary>
    public static Zone? FromDevice(Guid id, double? lon, double? lat, double? radius, string? polygon)
    {
        if (polygon is not null)
        {
            var g = GeoJson.ReadFirstGeometry(polygon);
            var shell = g switch { Polygon p => p.Shell, MultiPolygon { NumGeometries: > 0 } m => ((Polygon)m.GetGeometryN(0)).Shell, _ => null };
            return shell is null ? null : new Zone(id, 0, 0, 0, shell.Coordinates.SelectMany(c => new[] { c.X, c.Y }).ToArray());
        }
        return lon is { } x && lat is { } y ? new Zone(id, x, y, radius ?? 200, null) : null;
    }
}

/// <summary>The app's e-fence zone index, loaded from the e-fence devices (all jurisdictions: callers filter by scope).</summary>
public sealed class EFenceIndex(IServiceScopeFactory scopes, TimeProvider clock)
{
    private readonly Lock gate = new();
    private ZoneGrid? grid;
    private DateTime loadedUtc;

    public IEnumerable<Guid> Containing(double lon, double lat) => Current().Containing(lon, lat).ToList();

    /// <summary>Forgets the index; the next ping reloads it (after a zone was registered or changed on this node).</summary>
    public void Invalidate()
    {
        lock (gate) grid = null;
    }

    private ZoneGrid Current()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (gate)
        {
            if (grid is not null && now - loadedUtc < TimeSpan.FromMinutes(1) && now >= loadedUtc) return grid;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:efence-index");
        var fresh = new ZoneGrid();
        var rows = db.Devices().AsNoTracking().Where(d => d.Kind == DeviceKind.EFenceZone && d.RetiredUtc == null)
            .Select(d => new { d.Id, d.Lon, d.Lat, d.RadiusMeters, d.PolygonGeoJson }).ToList();
        foreach (var r in rows)
        {
            if (ZoneGrid.FromDevice(r.Id, r.Lon, r.Lat, r.RadiusMeters, r.PolygonGeoJson) is { } z) fresh.Add(z);
        }
        lock (gate)
        {
            grid = fresh;
            loadedUtc = now;
        }
        return fresh;
    }
}
