using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Adits;

/// <summary>Query string of the map endpoints; every value arrives as text so a bad one gets a Chinese message.</summary>
public sealed record AditMapQueryString(
    string? Bbox, string? Zoom, string? Township, string? Mineral, string? Origin, string? State, string? Responsible, string? Crs);

/// <summary>A township's name and where to write it on the map.</summary>
public sealed record TownshipLabel(string Code, string Name, double Lon, double Lat, int Adits);

/// <summary>A GeoJSON FeatureCollection; <c>mode</c>, <c>total</c> and <c>truncated</c> are foreign members.</summary>
public sealed record MapFeatureCollection(IReadOnlyList<MapFeature> Features, string Mode, int Total, bool Truncated)
{
    [JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

public sealed record MapFeature(object? Id, object Geometry, object Properties)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Feature";
}

public sealed record MapPoint(double[] Coordinates)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Point";
}

public sealed record ClusterProperties(int Count, MapStateCounts States)
{
    public bool Cluster => true;
}

public sealed record AditProperties(
    Guid Id, string Number, string? Name, string State, string MapState, string? SealMethod, string Mineral, string Origin,
    int BreachCount, string Township, bool IsDemo);

/// <summary>
/// The map's data: adits in view (clustered when there are many) and licensed mine boundaries, as GeoJSON, only
/// within the caller's jurisdiction (the query filter on each entity sees to that).
/// </summary>
public sealed class AditMapApi : IFeature
{
    /// <summary>Mine outlines are few and large; this only guards against a box over a whole province.</summary>

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/map").RequireAuthorization(Policies.Staff).WithTags("map");
        api.MapGet("/adits", Adits).WithSummary("地图上视野内的矿硐（多时聚合）");
        api.MapGet("/townships", Townships).WithSummary("地图上的乡镇名称位置");
    }

    /// <summary>
    /// Township names for a map without a base layer: placed at the middle of each township's adits in the caller's
    /// scope (the product has no township outlines or seats), so the label sits where the township's work is.
    /// </summary>
    public static async Task<Results<Ok<List<TownshipLabel>>, ValidationProblem>> Townships(
        string? crs, AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var gcj = ParseCrs(crs, errors);
        if (!errors.Ok) return errors.ToProblem();
        var centres = await db.Adits().AsNoTracking()
            .Where(a => a.Status == AditStatus.Active)
            .GroupBy(a => a.TownshipCode)
            .Select(g => new { Code = g.Key, Lon = g.Average(a => a.Lon), Lat = g.Average(a => a.Lat), Count = g.Count() })
            .ToListAsync(ct);
        var codes = centres.Select(c => c.Code).ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        var labels = centres.Where(c => names.ContainsKey(c.Code)).OrderBy(c => c.Code, StringComparer.Ordinal).Select(c =>
        {
            var point = Point(c.Lon, c.Lat, gcj);
            return new TownshipLabel(c.Code, names[c.Code], point.Coordinates[0], point.Coordinates[1], c.Count);
        }).ToList();
        return TypedResults.Ok(labels);
    }

    public static async Task<Results<Ok<MapFeatureCollection>, ValidationProblem>> Adits(
        [AsParameters] AditMapQueryString query, CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var gcj = ParseCrs(query.Crs, errors);
        var box = ParseBox(query.Bbox, gcj, errors);
        var filter = ParseFilter(query, box, me.Scope, errors);
        if (filter is null) return errors.ToProblem();

        var result = await AditMapQuery.RunAsync(db, filter, ct);
        var features = result.Clusters is { } clusters
            ? clusters.Select(c => new MapFeature(null, Point(c.Lon, c.Lat, gcj), new ClusterProperties(c.Count, c.States))).ToList()
            : result.Points!.Select(p => new MapFeature(p.Id, Point(p.Lon, p.Lat, gcj), Properties(p))).ToList();
        return TypedResults.Ok(new MapFeatureCollection(features, result.Clusters is null ? "points" : "clusters", result.Total, result.Truncated));
    }

    private static AditProperties Properties(AditPoint p) => new(
        p.Id, p.Number, p.Name, AditNames.States[p.State], MapStates.Keys[p.MapState],
        p.SealMethod is { } m ? AditNames.Methods[m] : null, AditNames.Minerals[p.Mineral], AditNames.Origins[p.Origin],
        p.BreachCount, p.TownshipName, p.IsDemo);

    private static MapPoint Point(double lon, double lat, bool gcj)
    {
        if (gcj) (lon, lat) = Gcj02.FromWgs84(lon, lat);
        // 6 decimals is ~10 cm: finer than any adit survey, and a smaller answer.
        return new MapPoint([Math.Round(lon, 6), Math.Round(lat, 6)]);
    }

    public static JsonElement Outline(string geoJson, bool gcj)
    {
        var json = gcj ? GeoJson.Write(Gcj02.GeometryToGcj02(GeoJson.ReadFirstGeometry(geoJson))) : geoJson;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static bool ParseCrs(string? crs, FieldErrors errors)
    {
        if (crs is null or "" or "wgs84") return false;
        if (crs == "gcj02") return true;
        errors.Add("crs", "坐标系只能是 wgs84 或 gcj02");
        return false;
    }

    /// <summary>minLon,minLat,maxLon,maxLat; in GCJ-02 when the map's tiles are, and then turned back into WGS84.</summary>
    public static MapBox? ParseBox(string? bbox, bool gcj, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(bbox))
        {
            errors.Add("bbox", "请提供地图范围 bbox：最小经度,最小纬度,最大经度,最大纬度");
            return null;
        }
        var parts = bbox.Split(',');
        var values = new double[parts.Length];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok)
            || !values.All(double.IsFinite))
        {
            errors.Add("bbox", "地图范围 bbox 应为 4 个数：最小经度,最小纬度,最大经度,最大纬度");
            return null;
        }
        var (minLon, minLat, maxLon, maxLat) = (values[0], values[1], values[2], values[3]);
        if (minLon is < -180 or > 180 || maxLon is < -180 or > 180 || minLat is < -90 or > 90 || maxLat is < -90 or > 90)
        {
            errors.Add("bbox", "地图范围 bbox 超出经纬度范围（经度 -180～180，纬度 -90～90，顺序为经度在前）");
            return null;
        }
        if (minLon > maxLon || minLat > maxLat)
        {
            errors.Add("bbox", "地图范围 bbox 的最小经纬度不能大于最大经纬度");
            return null;
        }
        if (gcj)
        {
            // The GCJ-02 shift is a few hundred metres and nearly uniform across a view, so the corners suffice.
            (minLon, minLat) = Gcj02.ToWgs84(minLon, minLat);
            (maxLon, maxLat) = Gcj02.ToWgs84(maxLon, maxLat);
        }
        return new MapBox(minLon, minLat, maxLon, maxLat);
    }

    /// <summary>The filter, or null with every bad parameter named in <paramref name="errors"/>.</summary>
    private static AditMapFilter? ParseFilter(AditMapQueryString q, MapBox? box, JurisdictionScope scope, FieldErrors errors)
    {
        var zoom = 0;
        if (string.IsNullOrWhiteSpace(q.Zoom))
            errors.Add("zoom", "请提供缩放级别 zoom（0 到 20 的整数）");
        else if (!int.TryParse(q.Zoom, NumberStyles.None, CultureInfo.InvariantCulture, out zoom) || zoom > WebMercator.MaxZoom)
            errors.Add("zoom", "缩放级别 zoom 应为 0 到 20 的整数");

        string? township = null;
        if (!string.IsNullOrWhiteSpace(q.Township))
        {
            township = Division.NormalizeCode(q.Township);
            // One answer for "no such township" and "not yours", so the filter cannot probe other jurisdictions.
            if (Division.LevelOfCode(township) != DivisionLevel.Township || !scope.Contains(township))
                errors.Add("township", "乡镇代码无效或不在您的管辖范围内");
        }

        Mineral? mineral = null;
        if (!string.IsNullOrWhiteSpace(q.Mineral))
        {
            if (AditNames.TryParse(AditNames.Minerals, q.Mineral, out var m)) mineral = m;
            else errors.Add("mineral", $"未知的矿种：{q.Mineral}（可选：{string.Join("、", AditNames.Minerals.Values)}）");
        }

        AditOrigin? origin = null;
        if (!string.IsNullOrWhiteSpace(q.Origin))
        {
            if (AditNames.TryParse(AditNames.Origins, q.Origin, out var o)) origin = o;
            else errors.Add("origin", $"未知的矿硐来源：{q.Origin}（可选：{string.Join("、", AditNames.Origins.Values)}）");
        }

        MapState? state = null;
        if (!string.IsNullOrWhiteSpace(q.State))
        {
            if (MapStates.TryParse(q.State, out var s)) state = s;
            else errors.Add("state", $"未知的封堵状态：{q.State}（可选：{string.Join("、", MapStates.Keys.Values)}）");
        }

        Guid? responsible = null;
        if (!string.IsNullOrWhiteSpace(q.Responsible))
        {
            if (Guid.TryParse(q.Responsible, out var r)) responsible = r;
            else errors.Add("responsible", "包保责任人应为用户编号");
        }

        return errors.Ok && box is not null ? new AditMapFilter(box, zoom, township, mineral, origin, state, responsible) : null;
    }
}
