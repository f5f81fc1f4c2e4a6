using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Platform.Geo;

/// <summary>Generated positions for demo data and benchmarks: a uniform point inside an outline.</summary>
public static class RandomPoints
{
    public static Point Inside(IPreparedGeometry outline, Envelope box, Random random)
    {
        while (true)
        {
            var p = GeoJson.Factory.CreatePoint(new Coordinate(box.MinX + random.NextDouble() * box.Width, box.MinY + random.NextDouble() * box.Height));
            if (outline.Contains(p)) return p;
        }
    }
}
