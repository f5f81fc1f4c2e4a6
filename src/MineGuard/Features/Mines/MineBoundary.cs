using System.Globalization;
using MineGuard.Platform.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Valid;

namespace MineGuard.Features.Mines;

/// <summary>
/// 矿区范围: reads a licence boundary from GeoJSON or a corner list, in WGS84 (CGCS2000 lon/lat is the same to
/// centimetres) or GCJ-02, and checks that it is one sensible area. Errors are Chinese sentences for the form.
/// </summary>
public static class MineBoundary
{
    // The smallest licensed quarries are a few thousand m² and the largest open pits a few hundred km²;
    // anything outside this is a typing mistake (a swapped digit, a missing corner), not a mine.
    public const double MinAreaM2 = 100;
    public const double MaxAreaKm2 = 300;

    // Buffer(0) mends rings that merely touch themselves; a repair that changes the area by more than this
    // has redrawn the boundary (a bow-tie loses half of itself), and only the licence holder may do that.
    private const double RepairTolerance = 0.01;

    public const string Hint = "GeoJSON（Polygon / MultiPolygon），或拐点坐标：每行一个点“经度,纬度”（可带序号，"
                               + "可用度分秒），多个地块之间空一行或用“*”行分隔";

    /// <summary>The boundary as WGS84 polygons, or a Chinese message saying what is wrong with the text.</summary>
    public static bool TryRead(string? text, bool gcj02, out Geometry geometry, out string? error)
    {
        geometry = GeoJson.Factory.CreatePolygon();
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "请填写矿区范围（GeoJSON 或拐点坐标）";
            return false;
        }

        var read = text.TrimStart().StartsWith('{') ? FromGeoJson(text, out error) : FromCorners(text, out error);
        if (read is null) return false;
        if (gcj02) read = Gcj02.GeometryToWgs84(read);
        error = Check(ref read);
        geometry = read;
        return error is null;
    }

    /// <summary>Null when the boundary touches the county; otherwise the reason.</summary>
    public static string? CheckCounty(Geometry boundary, IPreparedGeometry? county, string countyName) =>
        county is null || county.Intersects(boundary) ? null : $"矿区范围不在“{countyName}”境内，请检查坐标（或坐标系是否选错）";

    public static IPreparedGeometry PrepareCounty(Geometry county) => PreparedGeometryFactory.Prepare(county);

    /// <summary>Approximate area in m² on a local equirectangular projection (well under 1% off at county size).</summary>
    public static double AreaM2(Geometry g)
    {
        var lat = g.EnvelopeInternal.Centre.Y * Math.PI / 180;
        return g.Area * 111_320 * Math.Cos(lat) * 110_574;
    }

    private static Geometry? FromGeoJson(string text, out string? error)
    {
        Geometry g;
        try
        {
            g = GeoJson.ReadFirstGeometry(text);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }

        error = g is Polygon or MultiPolygon ? null : $"GeoJSON 应为 Polygon 或 MultiPolygon（实际为 {g.GeometryType}）";
        return error is null ? g : null;
    }

    private static Geometry? FromCorners(string text, out string? error)
    {
        if (!CornerList.TryParse(text, out var rings, out error)) return null;
        for (var i = 0; i < rings.Count; i++)
        {
            if (rings[i].Distinct().Count() < 3)
            {
                error = rings.Count == 1 ? $"拐点至少需要 3 个不同的点（只有 {rings[i].Distinct().Count()} 个）"
                    : $"第 {i + 1} 组拐点至少需要 3 个不同的点（只有 {rings[i].Distinct().Count()} 个）";
                return null;
            }
        }

        return Assemble(rings.Select(r => GeoJson.Factory.CreateLinearRing([.. r, r[0]])).ToList());
    }

    /// <summary>
    /// Several blocks of corners are separate parcels of one licence, except that a block lying inside another is
    /// an excluded area (a hole), as licences describe 扣除范围.
    /// </summary>
    private static Geometry Assemble(List<LinearRing> rings)
    {
        var shells = new List<(LinearRing Shell, List<LinearRing> Holes)>();
        foreach (var ring in rings.OrderByDescending(r => GeoJson.Factory.CreatePolygon(r).Area))
        {
            var outer = shells.FindIndex(s => GeoJson.Factory.CreatePolygon(s.Shell).Contains(ring));
            if (outer >= 0) shells[outer].Holes.Add(ring);
            else shells.Add((ring, []));
        }

        var polygons = shells.Select(s => GeoJson.Factory.CreatePolygon(s.Shell, [.. s.Holes])).ToArray();
        return polygons.Length == 1 ? polygons[0] : GeoJson.Factory.CreateMultiPolygon(polygons);
    }

    private static string? Check(ref Geometry g)
    {
        foreach (var polygon in Polygons(g))
        {
            foreach (var ring in polygon.InteriorRings.Prepend(polygon.ExteriorRing))
            {
                // A closed ring repeats its first point; the distinct corners are what counts.
                if (ring.Coordinates.Distinct().Count() < 3) return "多边形的每个环至少需要 3 个不同的点";
            }
        }

        if (!g.IsValid)
        {
            var repaired = g.Buffer(0);
            var sameArea = g.Area > 0 && Math.Abs(repaired.Area - g.Area) <= RepairTolerance * g.Area;
            if (!sameArea || repaired is not (Polygon or MultiPolygon) || repaired.IsEmpty || !repaired.IsValid)
            {
                return "矿区范围不是有效的多边形" + Where(g) + "，请检查拐点的顺序和是否有重复或交叉";
            }

            repaired.SRID = g.SRID;
            g = repaired;
        }

        var area = AreaM2(g);
        if (area < MinAreaM2)
            return string.Create(CultureInfo.InvariantCulture, $"矿区面积过小（约 {area:0.#} 平方米），请检查坐标");
        if (area > MaxAreaKm2 * 1e6)
            return string.Create(CultureInfo.InvariantCulture, $"矿区面积过大（约 {area / 1e6:0.#} 平方公里，上限 {MaxAreaKm2} 平方公里），请检查坐标");
        return null;
    }

    private static IEnumerable<Polygon> Polygons(Geometry g) =>
        g is MultiPolygon m ? m.Geometries.Cast<Polygon>() : g is Polygon p ? [p] : [];

    private static string Where(Geometry g)
    {
        var problem = new IsValidOp(g).ValidationError;
        return problem?.Coordinate is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"（在 {c.X:0.######}, {c.Y:0.######} 附近{Describe(problem.ErrorType)}）")
            : "";
    }

    private static string Describe(TopologyValidationErrors type) => type switch
    {
        TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection => "边线自相交",
        TopologyValidationErrors.NestedShells or TopologyValidationErrors.NestedHoles => "地块相互嵌套",
        TopologyValidationErrors.HoleOutsideShell => "扣除范围在地块之外",
        TopologyValidationErrors.DisconnectedInteriors => "内部不连通",
        _ => "几何无效",
    };
}
