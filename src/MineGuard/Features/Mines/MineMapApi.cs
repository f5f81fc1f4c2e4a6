using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Mines;

public sealed record MineMapQueryString(string? Bbox, string? Crs);

public sealed record MineProperties(
    Guid Id, string Name, string LicenceNumber, string Status, bool Expired, bool Closing, string RightsHolder,
    string Mineral, DateOnly? ValidTo, bool IsDemo);

/// <summary>The licensed mines' layer of the map (<c>/api/map/mines</c>), beside the adits' layer it shares the map helpers with.</summary>
public sealed class MineMapApi : IFeature
{
    private const int MaxMines = 2000;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/map").RequireAuthorization(Policies.Staff).WithTags("map").MapGet("/mines", Mines).WithSummary("地图上视野内的矿权范围");

    public static async Task<Results<Ok<MapFeatureCollection>, ValidationProblem>> Mines(
        [AsParameters] MineMapQueryString query, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var gcj = AditMapApi.ParseCrs(query.Crs, errors);
        var box = AditMapApi.ParseBox(query.Bbox, gcj, errors);
        if (!errors.Ok || box is null) return errors.ToProblem();

        // Bounding boxes that overlap the view; the outline itself is drawn (and clipped) by the map.
        var mines = await db.Set<LicensedMine>().AsNoTracking()
            .Where(m => m.MinLon <= box.MaxLon && m.MaxLon >= box.MinLon && m.MinLat <= box.MaxLat && m.MaxLat >= box.MinLat)
            .OrderBy(m => m.LicenceNumber)
            .Take(MaxMines + 1)
            .ToListAsync(ct);
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(clock.GetUtcNow().UtcDateTime));
        var features = mines.Take(MaxMines).Select(m => new MapFeature(m.Id, AditMapApi.Outline(m.BoundaryGeoJson, gcj), new MineProperties(
            m.Id, m.Name, m.LicenceNumber, MineNames.Statuses[m.Status], m.IsExpired(today), m.Status == MineStatus.Closing,
            m.RightsHolder, AditNames.Minerals[m.Mineral], m.ValidTo, m.IsDemo))).ToList();
        return TypedResults.Ok(new MapFeatureCollection(features, "mines", features.Count, mines.Count > MaxMines));
    }
}
