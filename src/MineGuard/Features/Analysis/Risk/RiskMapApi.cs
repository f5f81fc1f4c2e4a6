using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis;

/// <summary>An adit on the map's risk layer: its score (0–100), band (high ≥ 60, medium ≥ 30, else low) and the reason.</summary>
public sealed record RiskMapPoint(Guid Id, string Number, double Lon, double Lat, double Score, string Level, string Reason);

/// <summary>The risk layer's answer: the adits in view, riskiest first; none and <c>Truncated</c> when the view holds more than <see cref="RiskMapApi.MaxAdits"/>.</summary>
public sealed record RiskMapView(IReadOnlyList<RiskMapPoint> Adits, int Total, bool Truncated, int Max);

/// <summary>
/// The map's optional risk layer (风险): the active adits in the view box in the caller's scope, each with its score from
/// <see cref="RiskScorer"/> (set-based, the same score as the adit page and the patrol plan). Bounded: a view with more
/// than <see cref="MaxAdits"/> adits is not scored (the page asks to zoom in).
/// </summary>
public sealed class RiskMapApi : IFeature
{
    public const int MaxAdits = 2000;
    public const double High = 60, Medium = 30;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/analysis").RequireAuthorization(Policies.Staff).WithTags("analysis")
            .MapGet("/risk-map", RiskMap).WithSummary("地图风险图层：视野内矿硐的风险评分（bbox 为视野范围；矿硐过多时不评分，请放大地图）");

    public static async Task<Results<Ok<RiskMapView>, ValidationProblem>> RiskMap(string? bbox, string? crs, AppDbContext db, RiskScorer scorer,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var gcj = AditMapApi.ParseCrs(crs, errors);
        var box = AditMapApi.ParseBox(bbox, gcj, errors);
        if (!errors.Ok || box is null) return errors.ToProblem();

        // The box's range of tiles first, as the adit layer: a range scan of the (MapX, MapY, …) index, where Lon/Lat
        // alone scanned the whole adits table for each of the count, the scorer and the rows (12 s at 100,000 adits).
        var (minX, minY, maxX, maxY) = box.Tiles();
        var inView = db.Adits().Where(a => a.MapX >= minX && a.MapX <= maxX && a.MapY >= minY && a.MapY <= maxY)
            .Where(a => a.Status == AditStatus.Active
                                           && a.Lon >= box.MinLon && a.Lon <= box.MaxLon && a.Lat >= box.MinLat && a.Lat <= box.MaxLat);
        var total = await inView.CountAsync(ct);
        if (total > MaxAdits) return TypedResults.Ok(new RiskMapView([], total, true, MaxAdits));
        var scores = await scorer.ScoreAsync(inView, ct);
        var rows = await inView.AsNoTracking().Select(a => new { a.Id, a.Number, a.Lon, a.Lat }).ToListAsync(ct);
        var points = rows.Where(r => scores.ContainsKey(r.Id)).Select(r =>
        {
            var s = scores[r.Id];
            var (lon, lat) = gcj ? Gcj02.FromWgs84(r.Lon, r.Lat) : (r.Lon, r.Lat);
            var score = Math.Round(s.Score, 1);
            return new RiskMapPoint(r.Id, r.Number, Math.Round(lon, 6), Math.Round(lat, 6), score,
                score >= High ? "high" : score >= Medium ? "medium" : "low", s.Reason);
        }).OrderByDescending(p => p.Score).ThenBy(p => p.Number, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new RiskMapView(points, total, false, MaxAdits));
    }
}
