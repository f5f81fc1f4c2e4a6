using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// E-fence zones in memory, built once and then read by any number of threads: a dense uniform grid over the zones'
/// extent (cells sized to the zones, about as wide as a typical zone, at most 4 M cells), each cell's candidates stored
/// contiguously in one flat array of structs (CSR: <c>cellStart[c]..cellStart[c+1]</c>). A ping computes its cell with
/// two multiplications and tests that cell's few candidates in order: a circle by squared distance (the longitude
/// scaled by the cosine of the circle's own latitude, kept with the candidate), a polygon by its bounding box first and
/// ray casting over its ring (one flat coordinate array) only when the box holds the point. No allocation per ping
/// (<see cref="CountContaining"/>); the index is rebuilt from the devices when they change (on this node at once, on
/// others within a minute).
/// </summary>
public sealed class ZoneGrid
{
    private const double MetersPerDegree = 111_320.0;
    private const int MaxCells = 1 << 22;

    /// <summary>A zone as given: a circle (centre, radius in metres) or a polygon's outer ring (lon, lat pairs).</summary>
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
            var dLat = RadiusMeters / MetersPerDegree;
            var dLon = dLat / Math.Max(0.01, Math.Cos(Lat * Math.PI / 180));
            return (Lon - dLon, Lat - dLat, Lon + dLon, Lat + dLat);
        }

        /// <summary>The exact test, one zone (the benchmark's baseline scans every zone with it).</summary>
        public bool Contains(double lon, double lat)
        {
            if (Ring is not { } r)
            {
                var dy = (lat - Lat) * MetersPerDegree;
                var dx = (lon - Lon) * MetersPerDegree * Math.Cos(Lat * Math.PI / 180);
                return dx * dx + dy * dy <= RadiusMeters * RadiusMeters;
            }
            return InRing(r, 0, r.Length, lon, lat);
        }
    }

    /// <summary>
    /// One zone's entry in one cell. Circle (<see cref="Zone"/> ≥ 0): A, B the centre, C the cosine of its latitude, D the
    /// squared radius in degrees of latitude. Polygon (<see cref="Zone"/> &lt; 0, <c>~Zone</c> its index): A–D its box.
    /// </summary>
    private readonly record struct Entry(double A, double B, double C, double D, int Zone);

    private readonly Guid[] ids;
    private readonly int[] ringStart; // per polygon: start in coords; the next polygon's start ends it
    private readonly int[] polygonZone;
    private readonly double[] coords;
    private readonly int[] cellStart;
    private readonly Entry[] entries;
    private readonly double minLon, minLat, inverseCell;
    private readonly int width, height;

    private ZoneGrid(IReadOnlyList<Zone> zones)
    {
        ids = new Guid[zones.Count];
        var boxes = new (double A, double B, double C, double D)[zones.Count];
        var polygons = 0;
        var coordCount = 0;
        (minLon, minLat) = (double.MaxValue, double.MaxValue);
        var (maxLon, maxLat) = (double.MinValue, double.MinValue);
        var sizes = new double[zones.Count];
        for (var i = 0; i < zones.Count; i++)
        {
            ids[i] = zones[i].Id;
            boxes[i] = zones[i].Box();
            (minLon, minLat) = (Math.Min(minLon, boxes[i].A), Math.Min(minLat, boxes[i].B));
            (maxLon, maxLat) = (Math.Max(maxLon, boxes[i].C), Math.Max(maxLat, boxes[i].D));
            sizes[i] = Math.Max(boxes[i].C - boxes[i].A, boxes[i].D - boxes[i].B);
            if (zones[i].Ring is { } r) (polygons, coordCount) = (polygons + 1, coordCount + r.Length);
        }

        // Cells about as wide as the median zone: each zone falls in a handful of cells and each cell holds few zones.
        Array.Sort(sizes);
        var cell = zones.Count == 0 ? 0.01 : Math.Clamp(sizes[sizes.Length / 2], 0.0005, 0.1);
        var (spanLon, spanLat) = (Math.Max(0, maxLon - minLon), Math.Max(0, maxLat - minLat));
        while ((spanLon / cell + 1) * (spanLat / cell + 1) > MaxCells) cell *= 2;
        inverseCell = 1 / cell;
        width = zones.Count == 0 ? 0 : (int)(spanLon * inverseCell) + 1;
        height = zones.Count == 0 ? 0 : (int)(spanLat * inverseCell) + 1;

        ringStart = new int[polygons + 1];
        polygonZone = new int[polygons];
        coords = new double[coordCount];
        var zoneEntry = new Entry[zones.Count];
        for (int i = 0, p = 0, at = 0; i < zones.Count; i++)
        {
            var z = zones[i];
            if (z.Ring is { } r)
            {
                ringStart[p] = at;
                polygonZone[p] = i;
                r.CopyTo(coords, at);
                at += r.Length;
                ringStart[p + 1] = at;
                var (a, b, c, d) = boxes[i];
                zoneEntry[i] = new Entry(a, b, c, d, ~p);
                p++;
            }
            else
            {
                var radius = z.RadiusMeters / MetersPerDegree;
                zoneEntry[i] = new Entry(z.Lon, z.Lat, Math.Cos(z.Lat * Math.PI / 180), radius * radius, i);
            }
        }

        // Two passes: count each cell's entries, then place them (counting sort by cell).
        cellStart = new int[width * height + 1];
        for (var i = 0; i < zones.Count; i++) ForEachCell(boxes[i], c => cellStart[c + 1]++);
        for (var c = 0; c < width * height; c++) cellStart[c + 1] += cellStart[c];
        entries = new Entry[cellStart[width * height]];
        var next = (int[])cellStart.Clone();
        for (var i = 0; i < zones.Count; i++)
        {
            var e = zoneEntry[i];
            ForEachCell(boxes[i], c => entries[next[c]++] = e);
        }
    }

    /// <summary>The index of these zones.</summary>
    public static ZoneGrid Build(IEnumerable<Zone> zones) => new(zones.ToList());

    public int Count => ids.Length;

    /// <summary>The zones containing the point (usually none or one).</summary>
    public IReadOnlyList<Guid> Containing(double lon, double lat)
    {
        if (!Cell(lon, lat, out var from, out var to)) return [];
        List<Guid>? found = null;
        for (var i = from; i < to; i++)
        {
            if (Hit(in entries[i], lon, lat)) (found ??= []).Add(ids[ZoneOf(in entries[i])]);
        }
        return found ?? (IReadOnlyList<Guid>)[];
    }

    /// <summary>How many zones contain the point, without allocating (the ingestion's and the benchmark's hot path).</summary>
    public int CountContaining(double lon, double lat)
    {
        if (!Cell(lon, lat, out var from, out var to)) return 0;
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (Hit(in entries[i], lon, lat)) n++;
        }
        return n;
    }

    private bool Cell(double lon, double lat, out int from, out int to)
    {
        (from, to) = (0, 0);
        var x = (lon - minLon) * inverseCell;
        var y = (lat - minLat) * inverseCell;
        // Outside the extent (NaN included: every comparison is false) holds no zone.
        if (!(x >= 0 && y >= 0 && x < width && y < height)) return false;
        var c = (int)y * width + (int)x;
        (from, to) = (cellStart[c], cellStart[c + 1]);
        return from < to;
    }

    private bool Hit(in Entry e, double lon, double lat)
    {
        if (e.Zone >= 0)
        {
            var dx = (lon - e.A) * e.C;
            var dy = lat - e.B;
            return dx * dx + dy * dy <= e.D;
        }
        if (lon < e.A || lon > e.C || lat < e.B || lat > e.D) return false;
        var p = ~e.Zone;
        return InRing(coords, ringStart[p], ringStart[p + 1], lon, lat);
    }

    private int ZoneOf(in Entry e) => e.Zone >= 0 ? e.Zone : polygonZone[~e.Zone];

    /// <summary>Ray casting over the ring held in <paramref name="r"/>[from..to) as lon, lat pairs.</summary>
    private static bool InRing(double[] r, int from, int to, double lon, double lat)
    {
        var inside = false;
        for (int i = from, j = to - 2; i < to; j = i, i += 2)
        {
            double xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
            if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    private void ForEachCell((double A, double B, double C, double D) box, Action<int> visit)
    {
        int x0 = Clamp((box.A - minLon) * inverseCell, width), x1 = Clamp((box.C - minLon) * inverseCell, width);
        int y0 = Clamp((box.B - minLat) * inverseCell, height), y1 = Clamp((box.D - minLat) * inverseCell, height);
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++) visit(y * width + x);
        }
    }

    private static int Clamp(double v, int size) => Math.Clamp((int)v, 0, size - 1);

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

    public IReadOnlyList<Guid> Containing(double lon, double lat) => Current().Containing(lon, lat);

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
        var rows = db.Devices().AsNoTracking().Where(d => d.Kind == DeviceKind.EFenceZone && d.RetiredUtc == null)
            .Select(d => new { d.Id, d.Lon, d.Lat, d.RadiusMeters, d.PolygonGeoJson }).ToList();
        var fresh = ZoneGrid.Build(rows.Select(r => ZoneGrid.FromDevice(r.Id, r.Lon, r.Lat, r.RadiusMeters, r.PolygonGeoJson)).OfType<ZoneGrid.Zone>());
        lock (gate)
        {
            grid = fresh;
            loadedUtc = now;
        }
        return fresh;
    }
}
