using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// E-fence zones in memory, built once and then read by any number of threads: a dense uniform grid over the zones'
/// extent, square in metres (the longitude step scaled by the cosine of the middle latitude), cells a fifth of
/// the median zone wide by default (at most 4 M cells). Each cell knows, from exact geometry at build time, the zones that cover it
/// whole and the zones whose edge crosses it, both as zone indices in one short run of one <c>int[]</c> (CSR); a zone
/// whose box reaches the cell but whose shape does not is not listed. A ping computes its cell with two
/// multiplications, counts the covering zones without touching them, and tests only the crossing ones (each zone's
/// test data is one 40-byte struct in a flat array, by index): a
/// circle by squared distance in metres (the same arithmetic as <see cref="Zone.Contains"/>, so the same answers), a
/// polygon by its bounding box and then ray casting over its ring (one flat coordinate array). No allocation per ping
/// (<see cref="CountContaining(double, double)"/>, <see cref="Containing(double, double, Span{Guid})"/>, and for a batch
/// <see cref="ContainingBatch"/>); the index is rebuilt from the
/// devices when they change (on this node at once, on others within a minute).
/// </summary>
public sealed class ZoneGrid
{
    private const double MetersPerDegree = 111_320.0;
    private const int MaxCells = 1 << 22;
    // Cells are widened by this (≈ 1 mm) when they are classified, so that rounding in a ping's cell never matters.
    private const double Slack = 1e-8;
    // A circle covers a cell when the cell's corners are this much (metres) inside it; crosses it unless this far out.
    private const double SlackMeters = 1e-3;

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
    /// A zone as tested (one per zone, by index). Circle (<see cref="Zone"/> ≥ 0): A, B the centre, C the cosine of its
    /// latitude, D the squared radius in metres. Polygon (<see cref="Zone"/> &lt; 0, <c>~Zone</c> its index): A–D its box.
    /// </summary>
    private readonly record struct Entry(double A, double B, double C, double D, int Zone);

    private readonly Guid[] ids;
    private readonly int[] ringStart; // per polygon: start in coords; the next polygon's start ends it
    private readonly double[] coords;
    // Per cell c, in members[]: starts[2c]..starts[2c+1] the zones covering it whole, starts[2c+1]..starts[2c+2] the
    // zones crossing it (zone indices, contiguous: a ping reads one short run of ints).
    private readonly int[] starts;
    private readonly int[] members;
    private readonly Entry[] zoneEntry;
    private readonly double minLon, minLat, inverseLon, inverseLat;
    private readonly int width, height;

    private ZoneGrid(IReadOnlyList<Zone> zones, double cellsPerZone)
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
            var (a, b, c, d) = zones[i].Box();
            boxes[i] = (a - Slack, b - Slack, c + Slack, d + Slack);
            (minLon, minLat) = (Math.Min(minLon, boxes[i].A), Math.Min(minLat, boxes[i].B));
            (maxLon, maxLat) = (Math.Max(maxLon, boxes[i].C), Math.Max(maxLat, boxes[i].D));
            if (zones[i].Ring is { } r) (polygons, coordCount) = (polygons + 1, coordCount + r.Length);
        }

        // Cells square in metres, a fifth of the median zone: a zone covers a dozen cells whole and crosses about twenty,
        // and a cell is crossed by three or four zones (100,000 zones of the benchmark: 25 MB).
        var cosine = zones.Count == 0 ? 1 : Math.Max(0.01, Math.Cos((minLat + maxLat) / 2 * Math.PI / 180));
        for (var i = 0; i < zones.Count; i++) sizes[i] = Math.Max((boxes[i].C - boxes[i].A) * cosine, boxes[i].D - boxes[i].B);
        Array.Sort(sizes);
        var cell = zones.Count == 0 ? 0.01 : Math.Clamp(sizes[sizes.Length / 2] / cellsPerZone, 0.0002, 0.1);
        var (spanLon, spanLat) = (Math.Max(0, maxLon - minLon), Math.Max(0, maxLat - minLat));
        while ((spanLon * cosine / cell + 1) * (spanLat / cell + 1) > MaxCells) cell *= 2;
        (inverseLon, inverseLat) = (cosine / cell, 1 / cell);
        width = zones.Count == 0 ? 0 : (int)(spanLon * inverseLon) + 1;
        height = zones.Count == 0 ? 0 : (int)(spanLat * inverseLat) + 1;

        ringStart = new int[polygons + 1];
        coords = new double[coordCount];
        zoneEntry = new Entry[zones.Count];
        for (int i = 0, p = 0, at = 0; i < zones.Count; i++)
        {
            var z = zones[i];
            if (z.Ring is { } r)
            {
                ringStart[p] = at;
                r.CopyTo(coords, at);
                at += r.Length;
                ringStart[p + 1] = at;
                var (a, b, c, d) = z.Box();
                zoneEntry[i] = new Entry(a, b, c, d, ~p);
                p++;
            }
            else zoneEntry[i] = new Entry(z.Lon, z.Lat, Math.Cos(z.Lat * Math.PI / 180), z.RadiusMeters * z.RadiusMeters, i);
        }

        // Two passes: count each cell's covering and crossing zones, then place them (counting sort by cell and kind).
        var cells = width * height;
        starts = new int[2 * cells + 1];
        var marks = new List<(int Cell, bool Covers)>();
        for (var i = 0; i < zones.Count; i++)
        {
            Classify(zoneEntry[i], boxes[i], marks);
            foreach (var (c, covers) in marks) starts[2 * c + (covers ? 1 : 2)]++;
        }
        for (var c = 1; c < starts.Length; c++) starts[c] += starts[c - 1];
        members = new int[starts[^1]];
        var next = (int[])starts.Clone();
        for (var i = 0; i < zones.Count; i++)
        {
            Classify(zoneEntry[i], boxes[i], marks);
            foreach (var (c, covers) in marks) members[next[2 * c + (covers ? 0 : 1)]++] = i;
        }
    }

    /// <summary>The index of these zones; cells <paramref name="cellsPerZone"/> times narrower than the median zone.</summary>
    public static ZoneGrid Build(IEnumerable<Zone> zones, double cellsPerZone = 5) => new(zones.ToList(), cellsPerZone);

    public int Count => ids.Length;

    /// <summary>Cells, (cell, covering zone) and (cell, crossing zone) pairs, bytes held (the benchmark's figures).</summary>
    public (int Cells, int Covering, int Crossing, long Bytes) Size
    {
        get
        {
            var covered = 0;
            for (var c = 0; c + 1 < starts.Length; c += 2) covered += starts[c + 1] - starts[c];
            return (width * height, covered, members.Length - covered,
                4L * starts.Length + 4L * members.Length + 56L * ids.Length + 8L * coords.Length);
        }
    }

    /// <summary>The zones containing the point (usually none or one).</summary>
    public IReadOnlyList<Guid> Containing(double lon, double lat)
    {
        Span<Guid> few = stackalloc Guid[8];
        var n = Containing(lon, lat, few);
        if (n <= few.Length) return n == 0 ? [] : few[..n].ToArray();
        var all = new Guid[n];
        Containing(lon, lat, all);
        return all;
    }

    /// <summary>
    /// Writes the zones containing the point into <paramref name="into"/> as far as it reaches, and returns how many
    /// there are (more than its length: call again with a larger span). No allocation.
    /// </summary>
    public int Containing(double lon, double lat, Span<Guid> into) => Cell(lon, lat, out var c) ? ContainingAt(c, lon, lat, into) : 0;

    /// <summary>How many zones contain the point, without allocating (the benchmark's hot path).</summary>
    public int CountContaining(double lon, double lat) => Cell(lon, lat, out var c) ? CountAt(c, lon, lat) : 0;

    /// <summary>
    /// How many zones contain each ping, into <paramref name="counts"/> (as long as <paramref name="pings"/>): the same
    /// answers as <see cref="CountContaining(double, double)"/>, for a batch (see <see cref="Batch"/>).
    /// </summary>
    public void CountContaining(ReadOnlySpan<(double Lon, double Lat)> pings, Span<int> counts)
    {
        if (counts.Length < pings.Length) throw new ArgumentException("counts is shorter than pings", nameof(counts));
        Batch(pings, counts, [], withIds: false);
    }

    /// <summary>
    /// The zones containing each ping of a batch (an ingest batch's positions): ping i's zones are
    /// <paramref name="ids"/>[<paramref name="offsets"/>[i]..<paramref name="offsets"/>[i + 1]] (offsets as long as the
    /// pings plus one). Returns how many ids there are in all; when that is more than <paramref name="ids"/> holds, the
    /// offsets are complete but the ids past its end are not written: call again with a span that long. No allocation;
    /// the same answers as <see cref="Containing(double, double, Span{Guid})"/> ping by ping.
    /// </summary>
    public int ContainingBatch(ReadOnlySpan<(double Lon, double Lat)> pings, Span<Guid> ids, Span<int> offsets)
    {
        if (offsets.Length < pings.Length + 1) throw new ArgumentException("offsets must be one longer than pings", nameof(offsets));
        var counts = offsets.Slice(1, pings.Length);
        Batch(pings, counts, ids, withIds: true);
        var total = offsets[0] = 0;
        for (var i = 1; i <= pings.Length; i++) offsets[i] = total += offsets[i];
        return total;
    }

    /// <summary>
    /// Pings in groups of 16, each step over the whole group before the next (the cells' bounds; then every crossing
    /// zone's struct; then the tests), so that the group's memory reads are in flight together instead of one ping's
    /// misses waiting for the last's. With <paramref name="withIds"/>, each ping's ids go to <paramref name="into"/>
    /// after the previous pings' (counts[i] is ping i's count; ids past the span's end are counted, not written).
    /// </summary>
    private void Batch(ReadOnlySpan<(double Lon, double Lat)> pings, Span<int> counts, Span<Guid> into, bool withIds)
    {
        const int Group = 16;
        Span<int> cellOf = stackalloc int[Group];
        var entries = zoneEntry;
        var touched = 0.0;
        var at = 0;
        for (var from = 0; from < pings.Length; from += Group)
        {
            var group = pings.Slice(from, Math.Min(Group, pings.Length - from));
            for (var j = 0; j < group.Length; j++)
            {
                cellOf[j] = Cell(group[j].Lon, group[j].Lat, out var c) ? c : -1;
                if (cellOf[j] >= 0) touched += starts[c + 1];
            }
            for (var j = 0; j < group.Length; j++)
            {
                if (cellOf[j] < 0) continue;
                foreach (var z in members.AsSpan(starts[cellOf[j] + 1], starts[cellOf[j] + 2] - starts[cellOf[j] + 1])) touched += entries[z].A;
            }
            for (var j = 0; j < group.Length; j++)
            {
                var (lon, lat) = group[j];
                if (cellOf[j] < 0) counts[from + j] = 0;
                else if (!withIds) counts[from + j] = CountAt(cellOf[j], lon, lat);
                else
                {
                    var n = ContainingAt(cellOf[j], lon, lat, at < into.Length ? into[at..] : []);
                    counts[from + j] = n;
                    at += n;
                }
            }
        }
        sink = touched;
    }

    // Where the batch's early reads go, so that the compiler keeps them.
    private static double sink;

    private int CountAt(int c, double lon, double lat)
    {
        var (from, split, to) = (starts[c], starts[c + 1], starts[c + 2]);
        var n = split - from;
        var entries = zoneEntry;
        foreach (var z in members.AsSpan(split, to - split))
        {
            if (Hit(in entries[z], lon, lat)) n++;
        }
        return n;
    }

    private int ContainingAt(int c, double lon, double lat, Span<Guid> into)
    {
        var n = 0;
        foreach (var z in members.AsSpan(starts[c], starts[c + 1] - starts[c]))
        {
            if (n < into.Length) into[n] = ids[z];
            n++;
        }
        foreach (var z in members.AsSpan(starts[c + 1], starts[c + 2] - starts[c + 1]))
        {
            if (!Hit(in zoneEntry[z], lon, lat)) continue;
            if (n < into.Length) into[n] = ids[z];
            n++;
        }
        return n;
    }

    /// <summary>The point's cell as its index in <see cref="starts"/> (2 × the cell), or false outside the extent.</summary>
    private bool Cell(double lon, double lat, out int c)
    {
        var x = (lon - minLon) * inverseLon;
        var y = (lat - minLat) * inverseLat;
        c = 0;
        // Outside the extent (NaN included: every comparison is false) holds no zone.
        if (!(x >= 0 && y >= 0 && x < width && y < height)) return false;
        c = 2 * ((int)y * width + (int)x);
        return true;
    }

    private bool Hit(in Entry e, double lon, double lat)
    {
        if (e.Zone >= 0)
        {
            // Exactly Zone.Contains's arithmetic.
            var dy = (lat - e.B) * MetersPerDegree;
            var dx = (lon - e.A) * MetersPerDegree * e.C;
            return dx * dx + dy * dy <= e.D;
        }
        if (lon < e.A || lon > e.C || lat < e.B || lat > e.D) return false;
        var p = ~e.Zone;
        return InRing(coords, ringStart[p], ringStart[p + 1], lon, lat);
    }

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

    /// <summary>
    /// The cells a zone covers whole (true) or crosses (false) into <paramref name="marks"/>; cells it cannot reach are
    /// left out. Conservative: a cell is "covered" only with a margin of <see cref="Slack"/> around it.
    /// </summary>
    private void Classify(Entry e, (double A, double B, double C, double D) box, List<(int Cell, bool Covers)> marks)
    {
        marks.Clear();
        int x0 = Clamp((box.A - minLon) * inverseLon, width), x1 = Clamp((box.C - minLon) * inverseLon, width);
        int y0 = Clamp((box.B - minLat) * inverseLat, height), y1 = Clamp((box.D - minLat) * inverseLat, height);
        if (e.Zone >= 0)
        {
            var inner = Math.Sqrt(e.D) - SlackMeters;
            var outer = Math.Sqrt(e.D) + SlackMeters;
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    var (a, b, c, d) = CellBox(x, y);
                    // Metres from the centre to the cell's nearest point and to its farthest corner.
                    var nx = (Math.Clamp(e.A, a, c) - e.A) * MetersPerDegree * e.C;
                    var ny = (Math.Clamp(e.B, b, d) - e.B) * MetersPerDegree;
                    if (nx * nx + ny * ny > outer * outer) continue;
                    var fx = Math.Max(Math.Abs(a - e.A), Math.Abs(c - e.A)) * MetersPerDegree * e.C;
                    var fy = Math.Max(Math.Abs(b - e.B), Math.Abs(d - e.B)) * MetersPerDegree;
                    marks.Add((y * width + x, inner > 0 && fx * fx + fy * fy < inner * inner));
                }
            }
            return;
        }

        // A polygon: every cell an edge may pass near is crossed; any other cell in its box lies wholly on one side of
        // every edge, so its middle tells whether the polygon covers it.
        var p = ~e.Zone;
        var (from, to) = (ringStart[p], ringStart[p + 1]);
        var bw = x1 - x0 + 1;
        var crossed = new bool[bw * (y1 - y0 + 1)];
        for (int i = from, j = to - 2; i < to; j = i, i += 2)
        {
            double xi = coords[i], yi = coords[i + 1], xj = coords[j], yj = coords[j + 1];
            int ex0 = Clamp((Math.Min(xi, xj) - Slack - minLon) * inverseLon, width), ex1 = Clamp((Math.Max(xi, xj) + Slack - minLon) * inverseLon, width);
            int ey0 = Clamp((Math.Min(yi, yj) - Slack - minLat) * inverseLat, height), ey1 = Clamp((Math.Max(yi, yj) + Slack - minLat) * inverseLat, height);
            for (var y = Math.Max(ey0, y0); y <= Math.Min(ey1, y1); y++)
            {
                for (var x = Math.Max(ex0, x0); x <= Math.Min(ex1, x1); x++)
                {
                    if (!crossed[(y - y0) * bw + x - x0] && SegmentNear(xi, yi, xj, yj, CellBox(x, y))) crossed[(y - y0) * bw + x - x0] = true;
                }
            }
        }
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                if (crossed[(y - y0) * bw + x - x0]) marks.Add((y * width + x, false));
                else
                {
                    var (a, b, c, d) = CellBox(x, y);
                    if (InRing(coords, from, to, (a + c) / 2, (b + d) / 2)) marks.Add((y * width + x, true));
                }
            }
        }
    }

    /// <summary>The cell's rectangle widened by <see cref="Slack"/> on every side.</summary>
    private (double A, double B, double C, double D) CellBox(int x, int y) =>
        (minLon + x / inverseLon - Slack, minLat + y / inverseLat - Slack, minLon + (x + 1) / inverseLon + Slack, minLat + (y + 1) / inverseLat + Slack);

    /// <summary>
    /// Whether the segment may touch the rectangle: false only when all four corners lie clearly on one side of its
    /// line (the caller has already checked the boxes overlap).
    /// </summary>
    private static bool SegmentNear(double xi, double yi, double xj, double yj, (double A, double B, double C, double D) r)
    {
        var (dx, dy) = (xj - xi, yj - yi);
        double Side(double x, double y) => dx * (y - yi) - dy * (x - xi);
        double s1 = Side(r.A, r.B), s2 = Side(r.C, r.B), s3 = Side(r.A, r.D), s4 = Side(r.C, r.D);
        var tolerance = 1e-9 * (Math.Abs(dx) + Math.Abs(dy));
        return !((s1 > tolerance && s2 > tolerance && s3 > tolerance && s4 > tolerance)
            || (s1 < -tolerance && s2 < -tolerance && s3 < -tolerance && s4 < -tolerance));
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

    /// <summary>A batch's zones, ping i's in ids[offsets[i]..offsets[i + 1]]: see <see cref="ZoneGrid.ContainingBatch"/>.</summary>
    public int ContainingBatch(ReadOnlySpan<(double Lon, double Lat)> pings, Span<Guid> ids, Span<int> offsets) =>
        Current().ContainingBatch(pings, ids, offsets);

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
