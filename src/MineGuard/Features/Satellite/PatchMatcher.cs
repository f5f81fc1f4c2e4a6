using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;

namespace MineGuard.Features.Satellite;

/// <summary>What a patch was matched to on import.</summary>
public sealed record PatchMatch(MineRelation Relation, IReadOnlyList<Guid> MineIds, IReadOnlyList<Guid> AditIds, double? NearestAditMetres,
    IReadOnlyList<Guid> EarlierPatchIds, IReadOnlyList<Guid> OpenClueIds, IReadOnlyList<Guid> CaseIds);

public sealed record AditPoint(Guid Id, double Lon, double Lat);

public sealed record MineOutline(Guid Id, Geometry Boundary);

public sealed record EarlierPatch(Guid Id, Geometry Shape);

/// <summary>
/// The exact tests of matching, in memory, over candidates the database found by their bounding boxes (index-backed on
/// both engines): licence boundaries (inside / across / outside every licence), adits within a distance, earlier patches
/// at the same place. Candidates are put in STR-trees so a batch of any size costs one box query per kind.
/// </summary>
public sealed class PatchMatcher
{
    private readonly STRtree<(Guid Id, IPreparedGeometry Boundary)> mines = new();
    private readonly STRtree<AditPoint> adits = new();
    private readonly STRtree<EarlierPatch> earlier = new();
    private readonly double metres;

    public PatchMatcher(IEnumerable<MineOutline> mineOutlines, IEnumerable<AditPoint> aditPoints, IEnumerable<EarlierPatch> earlierPatches, double aditMetres)
    {
        metres = aditMetres;
        foreach (var m in mineOutlines) mines.Insert(m.Boundary.EnvelopeInternal, (m.Id, PreparedGeometryFactory.Prepare(m.Boundary)));
        foreach (var a in aditPoints) adits.Insert(new Envelope(a.Lon, a.Lon, a.Lat, a.Lat), a);
        foreach (var p in earlierPatches) earlier.Insert(p.Shape.EnvelopeInternal, p);
        mines.Build();
        adits.Build();
        earlier.Build();
    }

    /// <summary>The box that holds every candidate within <paramref name="aditMetres"/> of the envelope (degrees, generous by latitude).</summary>
    public static Envelope Expand(Envelope e, double aditMetres)
    {
        var dLat = aditMetres / 110_574.0;
        var cos = Math.Cos(Math.Max(Math.Abs(e.MinY), Math.Abs(e.MaxY)) * Math.PI / 180);
        var dLon = aditMetres / (111_320.0 * Math.Max(cos, 0.01));
        return new Envelope(e.MinX - dLon, e.MaxX + dLon, e.MinY - dLat, e.MaxY + dLat);
    }

    public (MineRelation Relation, List<Guid> MineIds) AgainstMines(Geometry patch)
    {
        var touched = new List<Guid>();
        var crossing = false;
        foreach (var (id, boundary) in mines.Query(patch.EnvelopeInternal))
        {
            if (!boundary.Intersects(patch)) continue;
            touched.Add(id);
            if (!boundary.Covers(patch)) crossing = true;
        }
        return (touched.Count == 0 ? MineRelation.Outside : crossing ? MineRelation.Crossing : MineRelation.Inside, touched);
    }

    /// <summary>Adits within the distance of the polygon (0 inside it), nearest first; distances on the sphere (haversine).</summary>
    public List<(Guid Id, double Metres)> NearAdits(Geometry patch)
    {
        var found = new List<(Guid, double)>();
        var candidates = adits.Query(Expand(patch.EnvelopeInternal, metres));
        if (candidates.Count == 0) return [];
        var prepared = PreparedGeometryFactory.Prepare(patch);
        foreach (var a in candidates)
        {
            var d = Metres(patch, prepared, a.Lon, a.Lat);
            if (d <= metres) found.Add((a.Id, d));
        }
        return found.OrderBy(f => f.Item2).ToList();
    }

    /// <summary>
    /// Metres from a point to the polygon: 0 inside, else on the sphere (haversine, the one distance helper) to the polygon's
    /// nearest point. Used for adits on import and for the checker's position on the ground.
    /// </summary>
    public static double Metres(Geometry patch, IPreparedGeometry prepared, double lon, double lat)
    {
        var point = GeoJson.Factory.CreatePoint(new Coordinate(lon, lat));
        if (prepared.Covers(point)) return 0;
        var nearest = DistanceOp.NearestPoints(patch, point)[0];
        return WebMercator.DistanceMetres(nearest.X, nearest.Y, lon, lat);
    }

    /// <summary>Earlier patches whose polygon meets this one: the same site changing again.</summary>
    public List<Guid> Recurring(Geometry patch) =>
        earlier.Query(patch.EnvelopeInternal).Where(p => p.Shape.Intersects(patch)).Select(p => p.Id).ToList();
}
