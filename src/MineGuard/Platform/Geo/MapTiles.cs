namespace MineGuard.Platform.Geo;

/// <summary>The optional base map (Map:TileUrl, Map:TileAttribution, Map:TileCoordinates = WGS84 | GCJ02), read in one place.</summary>
public sealed record MapTiles(string Url, string Attribution, bool IsGcj02)
{
    public static MapTiles From(IConfiguration config) => new(
        config["Map:TileUrl"] ?? "", config["Map:TileAttribution"] ?? "",
        string.Equals(config["Map:TileCoordinates"], "GCJ02", StringComparison.OrdinalIgnoreCase));

    /// <summary>For maps that draw WGS84 points as they are: no base map when the tiles are GCJ-02 (they would be ~500 m off).</summary>
    public string WgsUrl => IsGcj02 ? "" : Url;
}
