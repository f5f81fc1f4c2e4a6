namespace MineGuard.Platform.Geo;

/// <summary>
/// Web-map tile coordinates: a point's tile at zoom 20 fits an int, and its tile at any lower zoom z is that value
/// divided by 2^(20-z). Stored beside lon/lat, they make bounding-box and clustering queries plain integer range
/// scans over one B-tree index, the same on SQLite and PostgreSQL.
/// </summary>
public static class WebMercator
{
    public const int MaxZoom = 20;
    private const double MaxLatitude = 85.05112878;

    public static (int X, int Y) Tile(double lon, double lat, int zoom = MaxZoom)
    {
        var n = 1 << zoom;
        var clamped = Math.Clamp(lat, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var x = (int)Math.Floor((lon + 180.0) / 360.0 * n);
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(clamped) + 1 / Math.Cos(clamped)) / Math.PI) / 2 * n);
        return (Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
    }

    /// <summary>Longitude/latitude of a tile's north-west corner.</summary>
    public static (double Lon, double Lat) Corner(double x, double y, int zoom = MaxZoom)
    {
        var n = (double)(1 << zoom);
        var lon = x / n * 360.0 - 180.0;
        var lat = Math.Atan(Math.Sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
        return (lon, lat);
    }

    /// <summary>Great-circle distance in metres (haversine; ample for the 20 m duplicate rule and the 50 m check-in).</summary>
    public static double DistanceMetres(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6371008.8;
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLon = (lon2 - lon1) * Math.PI / 180;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * r * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
