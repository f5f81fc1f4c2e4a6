using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Adits;

/// <summary>
/// How the map colours an adit: its seal state, except that a seal of loose rocks (石块堆砌) is shown as weak whether
/// or not it was accepted, because that is the kind of seal that was broken open within an hour in Songxian.
/// </summary>
public enum MapState
{
    Unsealed = 1, Sealed, Accepted, Breached, Weak,
}

public static class MapStates
{
    public static readonly IReadOnlyDictionary<MapState, string> Keys = new Dictionary<MapState, string>
    {
        [MapState.Unsealed] = "unsealed", [MapState.Sealed] = "sealed", [MapState.Accepted] = "accepted",
        [MapState.Breached] = "breached", [MapState.Weak] = "weak",
    };

    public static readonly IReadOnlyDictionary<MapState, string> Names = new Dictionary<MapState, string>
    {
        [MapState.Unsealed] = "未封堵", [MapState.Sealed] = "已封堵", [MapState.Accepted] = "已验收",
        [MapState.Breached] = "发现破坏", [MapState.Weak] = "弱封堵（石块堆砌）",
    };

    public static MapState Of(SealState state, SealMethod? method) => state switch
    {
        SealState.Sealed or SealState.Accepted when method == SealMethod.LooseRocks => MapState.Weak,
        SealState.Sealed => MapState.Sealed,
        SealState.Accepted => MapState.Accepted,
        SealState.Breached => MapState.Breached,
        _ => MapState.Unsealed,
    };

    /// <summary>Accepts the key (<c>weak</c>) or the Chinese name (<c>弱封堵</c>, with or without the note).</summary>
    public static bool TryParse(string? text, out MapState state)
    {
        state = default;
        var t = text?.Trim() ?? "";
        if (t.Length == 0) return false;
        foreach (var (k, key) in Keys)
        {
            if (key.Equals(t, StringComparison.OrdinalIgnoreCase) || Names[k] == t || Names[k].StartsWith(t + "（", StringComparison.Ordinal))
            {
                state = k;
                return true;
            }
        }
        return false;
    }
}

/// <summary>A longitude/latitude box (WGS84) and its range of zoom-20 tiles.</summary>
public sealed record MapBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    public (int MinX, int MinY, int MaxX, int MaxY) Tiles()
    {
        // Tile rows count from the north, so the box's top (MaxLat) is the smallest Y.
        var (minX, minY) = WebMercator.Tile(MinLon, MaxLat);
        var (maxX, maxY) = WebMercator.Tile(MaxLon, MinLat);
        return (minX, minY, maxX, maxY);
    }
}

/// <summary>What the map asks for: a box at a zoom level, and the filters of the map page.</summary>
public sealed record AditMapFilter(
    MapBox Box, int Zoom, string? TownshipCode = null, Mineral? Mineral = null, AditOrigin? Origin = null,
    MapState? State = null, Guid? ResponsibleUserId = null);

public sealed class ClusterRow
{
    public int Count { get; init; }
    public double X { get; init; }
    public double Y { get; init; }
    public int Unsealed { get; init; }
    public int Sealed { get; init; }
    public int Accepted { get; init; }
    public int Breached { get; init; }
    public int Weak { get; init; }
}

public sealed class PointRow
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string? Name { get; init; }
    public SealState State { get; init; }
    public SealMethod? CurrentSealMethod { get; init; }
    public Mineral Mineral { get; init; }
    public AditOrigin Origin { get; init; }
    public int BreachCount { get; init; }
    public string TownshipCode { get; init; } = "";
    public double Lon { get; init; }
    public double Lat { get; init; }
    public bool IsDemo { get; init; }
}

public sealed record MapStateCounts(int Unsealed, int Sealed, int Accepted, int Breached, int Weak);

public sealed record AditCluster(double Lon, double Lat, int Count, MapStateCounts States);

public sealed record AditPoint(
    Guid Id, string Number, string? Name, SealState State, SealMethod? SealMethod, Mineral Mineral, AditOrigin Origin,
    int BreachCount, string TownshipCode, string TownshipName, double Lon, double Lat, bool IsDemo)
{
    public MapState MapState => MapStates.Of(State, SealMethod);
}

/// <summary>Either clusters or points, never both; <see cref="Total"/> is the number of adits the answer stands for.</summary>
public sealed record AditMapResult(IReadOnlyList<AditCluster>? Clusters, IReadOnlyList<AditPoint>? Points, int Total, bool Truncated);

/// <summary>
/// The map's database work. Both queries are integer range scans over the (MapX, MapY, …) index: the box becomes a
/// range of zoom-20 tiles, and a cluster is a tile at a lower zoom, i.e. MapX and MapY divided by a power of two. The
/// jurisdiction filter on <see cref="Adit"/> applies as everywhere else. Public so the benchmark times the same code.
/// </summary>
public static class AditMapQuery
{
    /// <summary>Up to this many adits in view are sent one by one; more are clustered.</summary>
    public const int PointLimit = 500;

    /// <summary>From this zoom on (a few streets across), adits are always sent one by one.</summary>
    public const int PointsFromZoom = 16;

    /// <summary>A safety cap on points at high zoom; the answer says when it was reached.</summary>
    public const int MaxPoints = 2000;

    /// <summary>A cluster cell is a tile two zoom levels below the view: 64 screen pixels square.</summary>
    private const int CellZoomOffset = 2;

    public static async Task<AditMapResult> RunAsync(AppDbContext db, AditMapFilter filter, CancellationToken ct)
    {
        if (filter.Zoom < PointsFromZoom)
        {
            var clusters = await ClustersAsync(db, filter, ct);
            var total = clusters.Sum(c => c.Count);
            if (total > PointLimit) return new AditMapResult(clusters, null, total, false);
        }
        var points = await PointsAsync(db, filter, MaxPoints + 1, ct);
        var truncated = points.Count > MaxPoints;
        if (truncated) points.RemoveAt(points.Count - 1);
        return new AditMapResult(null, points, points.Count, truncated);
    }

    public static IQueryable<Adit> InView(AppDbContext db, AditMapFilter f, (int MinX, int MinY, int MaxX, int MaxY) tiles)
    {
        var (minX, minY, maxX, maxY) = tiles;
        var q = db.Set<Adit>().AsNoTracking()
            .Where(a => a.MapX >= minX && a.MapX <= maxX && a.MapY >= minY && a.MapY <= maxY)
            // Written-off adits (销号) were treated for good: they are off the ledger and off the map.
            .Where(a => a.Status == AditStatus.Active);
        if (f.TownshipCode is { } township) q = q.Where(a => a.TownshipCode == township);
        if (f.Mineral is { } mineral) q = q.Where(a => a.Mineral == mineral);
        if (f.Origin is { } origin) q = q.Where(a => a.Origin == origin);
        if (f.ResponsibleUserId is { } responsible) q = q.Where(a => a.ResponsibleUserId == responsible);
        return f.State switch
        {
            MapState.Unsealed => q.Where(a => a.State == SealState.Unsealed),
            MapState.Breached => q.Where(a => a.State == SealState.Breached),
            MapState.Weak => q.Where(a => (a.State == SealState.Sealed || a.State == SealState.Accepted) && a.CurrentSealMethod == SealMethod.LooseRocks),
            MapState.Sealed => q.Where(a => a.State == SealState.Sealed && a.CurrentSealMethod != SealMethod.LooseRocks),
            MapState.Accepted => q.Where(a => a.State == SealState.Accepted && a.CurrentSealMethod != SealMethod.LooseRocks),
            _ => q,
        };
    }

    public static async Task<List<AditCluster>> ClustersAsync(AppDbContext db, AditMapFilter f, CancellationToken ct)
    {
        var rows = await ClusterQuery(db, f).ToListAsync(ct);
        return rows.Select(r =>
        {
            var (lon, lat) = WebMercator.Corner(r.X + 0.5, r.Y + 0.5);
            return new AditCluster(lon, lat, r.Count, new MapStateCounts(r.Unsealed, r.Sealed, r.Accepted, r.Breached, r.Weak));
        }).ToList();
    }

    /// <summary>
    /// One row per cluster cell: its count, mean zoom-20 tile position and count per map state. Without filters (the
    /// map as it opens) the cells are summed from the pyramid (<see cref="AditMapCell"/>), so a view costs the tiles it
    /// shows whatever the number of adits under them; with a filter the pyramid does not hold, from the adits.
    /// </summary>
    public static IQueryable<ClusterRow> ClusterQuery(AppDbContext db, AditMapFilter f) =>
        f is { TownshipCode: null, Mineral: null, Origin: null, State: null, ResponsibleUserId: null } && PyramidAnswers(db, f)
            ? ClusterQueryFromPyramid(db, f)
            : ClusterQueryFromAdits(db, f);

    /// <summary>
    /// The pyramid's coarse levels hold whole counties (<see cref="AditMapCell.CountyLevels"/>), so they answer only a
    /// caller who sees whole counties; a township or village user's wide views count their own few adits instead.
    /// </summary>
    private static bool PyramidAnswers(AppDbContext db, AditMapFilter f)
    {
        var (cell, _) = CellsInView(f);
        if (AditMapCell.LevelFor(WebMercator.MaxZoom - int.Log2(cell)) > AditMapCell.CountyLevels) return true;
        var scope = db.CurrentUser.Scope;
        return !scope.IsNone && (scope.IsAll || scope.Code.Length <= AditMapCell.CountyCodeLength);
    }

    /// <summary>The cluster cell's zoom-20 tile range: whole cells only, since a cell cut by the edge of the view would
    /// change its count as the map is panned.</summary>
    private static (int Cell, (int MinX, int MinY, int MaxX, int MaxY) Tiles) CellsInView(AditMapFilter f)
    {
        var shift = Math.Max(0, WebMercator.MaxZoom - f.Zoom - CellZoomOffset);
        var cell = 1 << shift;
        var (minX, minY, maxX, maxY) = f.Box.Tiles();
        return (cell, (minX / cell * cell, minY / cell * cell, (maxX / cell * cell) + cell - 1, (maxY / cell * cell) + cell - 1));
    }

    /// <summary>The clusters summed from the pyramid's stored level at or just below the cell's zoom.</summary>
    public static IQueryable<ClusterRow> ClusterQueryFromPyramid(AppDbContext db, AditMapFilter f)
    {
        var (cell, (minX, minY, maxX, maxY)) = CellsInView(f);
        var cellZoom = WebMercator.MaxZoom - int.Log2(cell);
        var level = AditMapCell.LevelFor(cellZoom);
        var down = WebMercator.MaxZoom - level; // zoom-20 tiles to a stored tile
        var per = 1 << Math.Max(0, level - cellZoom); // stored tiles to a cluster cell
        var (x0, y0, x1, y1) = (minX >> down, minY >> down, maxX >> down, maxY >> down);
        return db.Set<AditMapCell>().AsNoTracking()
            .Where(c => c.Level == level && c.X >= x0 && c.X <= x1 && c.Y >= y0 && c.Y <= y1 && c.Count > 0)
            .GroupBy(c => new { X = c.X / per, Y = c.Y / per })
            .Select(g => new ClusterRow
            {
                Count = g.Sum(c => c.Count),
                X = (double)g.Sum(c => c.SumX) / g.Sum(c => c.Count),
                Y = (double)g.Sum(c => c.SumY) / g.Sum(c => c.Count),
                Unsealed = g.Sum(c => c.Unsealed),
                Sealed = g.Sum(c => c.Sealed),
                Accepted = g.Sum(c => c.Accepted),
                Breached = g.Sum(c => c.Breached),
                Weak = g.Sum(c => c.Weak),
            });
    }

    /// <summary>The clusters counted from the adits in view (any filter; the pyramid's reference in tests and benchmarks).</summary>
    public static IQueryable<ClusterRow> ClusterQueryFromAdits(AppDbContext db, AditMapFilter f)
    {
        var (cell, tiles) = CellsInView(f);
        return InView(db, f, tiles)
            .GroupBy(a => new { X = a.MapX / cell, Y = a.MapY / cell })
            .Select(g => new ClusterRow
            {
                Count = g.Count(),
                // The mean tile position rather than mean lon/lat: the same point to a few metres, and the query
                // then needs nothing outside the index.
                X = g.Average(a => (double)a.MapX),
                Y = g.Average(a => (double)a.MapY),
                Unsealed = g.Count(a => a.State == SealState.Unsealed),
                Breached = g.Count(a => a.State == SealState.Breached),
                // Sealed and accepted as the map shows them: weak seals are counted apart from both.
                Sealed = g.Count(a => a.State == SealState.Sealed && a.CurrentSealMethod != SealMethod.LooseRocks),
                Accepted = g.Count(a => a.State == SealState.Accepted && a.CurrentSealMethod != SealMethod.LooseRocks),
                Weak = g.Count(a => (a.State == SealState.Sealed || a.State == SealState.Accepted) && a.CurrentSealMethod == SealMethod.LooseRocks),
            });
    }

    public static async Task<List<AditPoint>> PointsAsync(AppDbContext db, AditMapFilter f, int limit, CancellationToken ct)
    {
        var rows = await PointQuery(db, f, limit).ToListAsync(ct);
        var codes = rows.Select(r => r.TownshipCode).Distinct().ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        return rows.Select(r => new AditPoint(
            r.Id, r.Number, r.Name, r.State, r.CurrentSealMethod, r.Mineral, r.Origin, r.BreachCount, r.TownshipCode,
            names.GetValueOrDefault(r.TownshipCode, r.TownshipCode), r.Lon, r.Lat, r.IsDemo)).ToList();
    }

    public static IQueryable<PointRow> PointQuery(AppDbContext db, AditMapFilter f, int limit)
    {
        var box = f.Box;
        // Rows are read anyway, so cut the box exactly rather than to the nearest tile.
        return InView(db, f, box.Tiles())
            .Where(a => a.Lon >= box.MinLon && a.Lon <= box.MaxLon && a.Lat >= box.MinLat && a.Lat <= box.MaxLat)
            // The index's own order: a capped answer is then deterministic, and no engine is tempted to scan another
            // index (the scope's) and sort, which SQLite without statistics otherwise did (240 ms instead of 1 ms).
            .OrderBy(a => a.MapX).ThenBy(a => a.MapY)
            .Take(limit)
            .Select(a => new PointRow
            {
                Id = a.Id, Number = a.Number, Name = a.Name, State = a.State, CurrentSealMethod = a.CurrentSealMethod,
                Mineral = a.Mineral, Origin = a.Origin, BreachCount = a.BreachCount, TownshipCode = a.TownshipCode,
                Lon = a.Lon, Lat = a.Lat, IsDemo = a.IsDemo,
            });
    }
}
