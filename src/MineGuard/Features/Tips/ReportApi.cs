using MineGuard.Platform.Hosting;
using MineGuard.Platform.Maps;

namespace MineGuard.Features.Tips;

/// <summary>The one public JSON endpoint: the map settings the report page's optional map pin loads.</summary>
public sealed class ReportApi : IFeature
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/report/map-config", (IConfiguration config, BaseMap baseMap) => TypedResults.Ok(new
        {
            baseMap = baseMap.For(signedIn: false),
            lon = double.TryParse(config["Tips:MapCenterLon"], System.Globalization.CultureInfo.InvariantCulture, out var x) ? x : 111.9,
            lat = double.TryParse(config["Tips:MapCenterLat"], System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : 30.5,
        })).AllowAnonymous().WithTags("report");
    }
}
