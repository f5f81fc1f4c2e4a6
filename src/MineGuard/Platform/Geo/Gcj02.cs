using NetTopologySuite.Geometries;

namespace MineGuard.Platform.Geo;

/// <summary>
/// GCJ-02 ("Mars coordinates") &lt;-&gt; WGS84. Chinese web maps (AMap/Gaode, Tencent, Google China)
/// and the boundary files we ship are in GCJ-02, while GPS receivers and field reports are WGS84;
/// the offset is several hundred metres, so every crossing between the two goes through here.
/// </summary>
public static class Gcj02
{
    // Krasovsky 1940 ellipsoid, as used by the published GCJ-02 algorithm.
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    // The inverse has no closed form; fixed-point iteration converges in a handful of steps
    // because the offset changes very slowly with position (its gradient is ~1e-4).
    private const double InverseTolerance = 1e-9;
    private const int MaxInverseIterations = 30;

    /// <summary>
    /// The rough bounding box every public implementation uses. It is deliberately the same box,
    /// not a real border, so our results match what the map providers compute.
    /// </summary>
    public static bool IsOutsideChina(double lon, double lat) =>
        lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;

    /// <summary>
    /// The coordinate system a ledger, form or setting names, as offices write it: blank, WGS84 (GPS, 天地图, CGCS2000
    /// lon/lat, which differs from WGS84 by centimetres) or GCJ-02 (高德, 腾讯, "火星坐标"), in any case, with or without
    /// hyphens, spaces, full-width characters and a trailing 坐标/坐标系. False for anything else (北京54, 西安80,
    /// projected x/y): those cannot be taken as either.
    /// </summary>
    /// <summary>What <see cref="TryParseCrs"/> takes, in the words of the message that refuses anything else.</summary>
    public const string CrsChoices = "坐标系只能是 WGS84（GPS、天地图、CGCS2000 经纬度）或 GCJ-02（高德、腾讯地图）";

    public static bool TryParseCrs(string? text, out bool gcj02)
    {
        var t = new string([.. (text ?? "").Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c)
            .Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '_' or '—' or '（' or '）' or '(' or ')'))]).ToUpperInvariant();
        foreach (var suffix in (string[])["坐标系统", "坐标系", "坐标", "地图"])
        {
            if (t.Length > suffix.Length && t.EndsWith(suffix, StringComparison.Ordinal)) t = t[..^suffix.Length];
        }
        gcj02 = t is "GCJ02" or "GCJ" or "火星" or "高德" or "腾讯" or "国测局" or "国测局GCJ02";
        return gcj02 || t is "" or "WGS84" or "WGS" or "GPS" or "CGCS2000" or "CGCS" or "2000" or "国家2000" or "天地图";
    }

    public static (double Lon, double Lat) FromWgs84(double lon, double lat)
    {
        if (IsOutsideChina(lon, lat))
        {
            return (lon, lat);
        }

        var (dLon, dLat) = Offset(lon, lat);
        return (lon + dLon, lat + dLat);
    }

    public static (double Lon, double Lat) ToWgs84(double lon, double lat)
    {
        if (IsOutsideChina(lon, lat))
        {
            return (lon, lat);
        }

        // Solve FromWgs84(w) == (lon, lat): start at the GCJ point and move by the residual.
        double wLon = lon, wLat = lat;
        for (var i = 0; i < MaxInverseIterations; i++)
        {
            var (gLon, gLat) = FromWgs84(wLon, wLat);
            var stepLon = gLon - lon;
            var stepLat = gLat - lat;
            wLon -= stepLon;
            wLat -= stepLat;
            if (Math.Abs(stepLon) < InverseTolerance && Math.Abs(stepLat) < InverseTolerance)
            {
                break;
            }
        }

        return (wLon, wLat);
    }

    /// <summary>Returns a converted copy; the input geometry is left untouched.</summary>
    public static Geometry GeometryToWgs84(Geometry geometry) => Convert(geometry, ToWgs84);

    /// <summary>Returns a converted copy; the input geometry is left untouched.</summary>
    public static Geometry GeometryToGcj02(Geometry geometry) => Convert(geometry, FromWgs84);

    private static Geometry Convert(Geometry geometry, Func<double, double, (double Lon, double Lat)> transform)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var copy = geometry.Copy();
        copy.Apply(new TransformFilter(transform));
        return copy;
    }

    private static (double DLon, double DLat) Offset(double lon, double lat)
    {
        var x = lon - 105.0;
        var y = lat - 35.0;
        var dLat = TransformLat(x, y);
        var dLon = TransformLon(x, y);

        // Scale the metre-like polynomial output to degrees on the Krasovsky ellipsoid.
        var radLat = lat / 180.0 * Math.PI;
        var magic = Math.Sin(radLat);
        magic = 1 - Ee * magic * magic;
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLon, dLat);
    }

    private static double TransformLat(double x, double y)
    {
        var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        ret += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        ret += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        ret += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return ret;
    }

    private static double TransformLon(double x, double y)
    {
        var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        ret += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        ret += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        ret += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return ret;
    }

    // Rewrites every coordinate in place on the copy; Z/M are kept as they are.
    private sealed class TransformFilter(Func<double, double, (double Lon, double Lat)> transform)
        : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (lon, lat) = transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, lon);
            seq.SetY(i, lat);
        }
    }
}
