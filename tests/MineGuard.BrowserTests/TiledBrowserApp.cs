using MineGuard.Tests.Infrastructure;
using SkiaSharp;

namespace MineGuard.BrowserTests;

/// <summary>
/// The browser app with an offline tile package (Map:TilesFile): zoom-10 tiles over 嵩县, made for the run, opened to
/// the public tip page (Map:TilesPublic) whose pin map starts over 嵩县.
/// </summary>
public sealed class TiledBrowserApp : BrowserApp
{
    public const string Attribution = "© 嵩县测试测绘院";

    public string TilesFile { get; } = TilePackages.Create(Tiles(), new Dictionary<string, string>
    {
        ["name"] = "嵩县离线底图", ["format"] = "png", ["minzoom"] = "10", ["maxzoom"] = "10",
        ["bounds"] = "111.4,33.5,112.7,34.6", ["attribution"] = $"<a href=\"https://example.org/\">{Attribution}</a>",
    });

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Map:TilesFile", TilesFile), new("Map:TilesPublic", "true"),
        new("Tips:MapCenterLon", "112.0"), new("Tips:MapCenterLat", "34.0"),
    ];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TilePackages.Delete(TilesFile);
    }

    private static IEnumerable<TilePackages.Tile> Tiles()
    {
        var (west, north) = TilePackages.TileAt(111.4, 34.6, 10);
        var (east, south) = TilePackages.TileAt(112.7, 33.5, 10);
        for (var x = west; x <= east; x++)
        {
            for (var y = north; y <= south; y++) yield return new TilePackages.Tile(10, x, y, (x + y) % 2 == 0 ? SKColors.Honeydew : SKColors.Beige);
        }
    }
}
