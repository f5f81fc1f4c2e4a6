using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;

namespace MineGuard.Platform.Maps;

/// <summary>
/// The maps' base layer: <c>/api/map/base-map</c> tells the maps what to draw under their data, <c>/tiles/{z}/{x}/{y}</c>
/// serves the offline tile package. Tiles need a log-in unless <c>Map:TilesPublic</c> is set: a package an office holds
/// is often licensed for its own use (and a map shown to the public in China needs its approval number), so opening it
/// to the internet-facing tip page is the office's decision, not the default.
/// </summary>
public sealed class MapsFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<TilePackage>();
        services.AddHostedService(sp => sp.GetRequiredService<TilePackage>());
        services.AddSingleton<BaseMap>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/map").RequireAuthorization(Policies.Staff).WithTags("map").MapGet("/base-map", Settings).WithSummary("底图设置（瓦片来源、坐标系、缩放范围）");
        app.MapGroup("/api/geo").RequireAuthorization(Policies.Staff).WithTags("map").MapGet("/to-wgs84", ToWgs84)
            .WithSummary("坐标换算：把高德、腾讯（GCJ-02）经纬度换算为 WGS84");
        var tiles = app.MapGet("/tiles/{z}/{x}/{y}", Tile).WithTags("map");
        if (app.ServiceProvider.GetRequiredService<TilePackage>().IsPublic) tiles.AllowAnonymous();
        else tiles.RequireAuthorization(Policies.Staff);
    }

    public static Ok<BaseMapView> Settings(BaseMap baseMap) => TypedResults.Ok(baseMap.For(signedIn: true));

    /// <summary>
    /// A position in <paramref name="crs"/> (blank or WGS84, or GCJ-02) as WGS84, by <see cref="Gcj02.ToWgs84"/>: the one
    /// conversion, which the adit form's picker asks for to place its marker where a typed GCJ-02 position will be saved.
    /// </summary>
    public static Results<Ok<WgsPoint>, ValidationProblem> ToWgs84(string? lng, string? lat, string? crs)
    {
        var errors = new FieldErrors();
        var x = Degrees(lng, 180, "lng", "经度", errors);
        var y = Degrees(lat, 90, "lat", "纬度", errors);
        if (!Gcj02.TryParseCrs(crs, out var gcj02)) errors.Add("crs", $"坐标系“{crs?.Trim()}”无法识别：{Gcj02.CrsChoices}");
        if (!errors.Ok) return errors.ToProblem();
        var (wLon, wLat) = gcj02 ? Gcj02.ToWgs84(x!.Value, y!.Value) : (x!.Value, y!.Value);
        return TypedResults.Ok(new WgsPoint(wLon, wLat));
    }

    private static double? Degrees(string? text, double limit, string field, string name, FieldErrors errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= limit)
            return value;
        errors.Add(field, string.IsNullOrWhiteSpace(text) ? $"请填写{name}" : $"{name}应为 -{limit} 到 {limit} 之间的十进制度数");
        return null;
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, NotFound, ValidationProblem>> Tile(
        string z, string x, string y, TilePackage package, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var zoom = Coordinate(z, 0, TilePackage.MaxZoom, "z", $"缩放级别 z 应为 0 到 {TilePackage.MaxZoom} 的整数", errors);
        var last = zoom is { } level ? (1L << level) - 1 : long.MaxValue;
        var column = Coordinate(x, 0, last, "x", $"瓦片列号 x 应为 0 到 {(zoom is null ? "2^z−1" : last)} 的整数", errors);
        var row = Coordinate(y, 0, last, "y", $"瓦片行号 y 应为 0 到 {(zoom is null ? "2^z−1" : last)} 的整数", errors);
        if (!errors.Ok) return errors.ToProblem();

        if (package.Info is not { } info) return TypedResults.NotFound();
        // The package's version is its file: same file, same tile at the same address.
        var tag = new EntityTagHeaderValue($"\"{info.ModifiedUtc.Ticks:x}-{info.Length:x}\"");
        var headers = http.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue
        {
            Public = package.IsPublic, Private = !package.IsPublic, MaxAge = TimeSpan.FromDays(7),
        };
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(tag, useStrongComparison: false)))
        {
            headers.ETag = tag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var data = await package.ReadAsync(zoom!.Value, (int)column!.Value, (int)row!.Value, ct);
        if (data is null) return TypedResults.NotFound();
        // Vector tiles are stored gzipped by the usual tools; the browser unpacks them.
        if (info.Format == "pbf" && data.AsSpan().StartsWith((byte[])[0x1F, 0x8B])) http.Response.Headers.ContentEncoding = "gzip";
        return TypedResults.File(data, info.ContentType, lastModified: info.ModifiedUtc, entityTag: tag);
    }

    private static int? Coordinate(string text, long min, long max, string field, string message, FieldErrors errors)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return (int)value;
        errors.Add(field, message);
        return null;
    }
}

/// <summary>A WGS84 position (decimal degrees).</summary>
public sealed record WgsPoint(double Lng, double Lat);
