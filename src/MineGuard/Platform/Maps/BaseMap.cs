namespace MineGuard.Platform.Maps;

/// <summary>The base layer a map draws under the product's own data: where its tiles come from and what they may show.</summary>
/// <param name="Url">A Leaflet URL template; the package's is <c>/tiles/{z}/{x}/{y}</c>.</param>
/// <param name="Bounds">left,bottom,right,top: no tile is asked for outside.</param>
public sealed record BaseLayerView(
    string Source, string Url, string Name, string Attribution, int MinZoom, int MaxZoom, double[]? Bounds, string? Subdomains);

/// <summary>What every map (wwwroot/js/basemap.js) needs: the base layer, if any, and the coordinates to ask for data in.</summary>
/// <param name="Crs"><c>gcj02</c> when the base layer's tiles are in GCJ-02 (Gaode and the like): shapes are then sent shifted.</param>
public sealed record BaseMapView(BaseLayerView? Tiles, string Crs, string Attribution);

/// <summary>
/// The maps' base layer, read in one place: the offline tile package (<c>Map:TilesFile</c>) when there is a readable
/// one, otherwise an online tile service (<c>Map:TileUrl</c>, <c>Map:TileAttribution</c>), otherwise none (the maps
/// then draw the product's own outlines and places only). <c>Map:TileCoordinates</c> (WGS84 | GCJ02) describes it.
/// </summary>
public sealed class BaseMap(IConfiguration config, TilePackage package)
{
    public const string Product = "MineGuard";

    public bool IsGcj02 => string.Equals(config["Map:TileCoordinates"], "GCJ02", StringComparison.OrdinalIgnoreCase);

    /// <summary>The base map as the caller may use it: anonymous callers get the package only when it is public.</summary>
    public BaseMapView For(bool signedIn) => new(Layer(signedIn), IsGcj02 ? "gcj02" : "wgs84", Product);

    private BaseLayerView? Layer(bool signedIn)
    {
        if (package.Info is { IsRaster: true } p && (signedIn || package.IsPublic))
            return new BaseLayerView("package", "/tiles/{z}/{x}/{y}", p.Name, p.Attribution, p.MinZoom, p.MaxZoom, p.Bounds, null);
        if (config["Map:TileUrl"] is { Length: > 0 } url)
            return new BaseLayerView("online", url, "", config["Map:TileAttribution"] ?? "", 0, 18, null, "01234567");
        return null;
    }
}
