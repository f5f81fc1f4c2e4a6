using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

/// <summary>A photo beside the others on the review page: where to fetch it, what it is, and where its EXIF says it was taken.</summary>
public sealed record ReviewPhoto(string Url, string Caption, DateTime? TakenUtc, double? Lat, double? Lon, double? MetresFromAdit, bool? AppCaptured = null);

/// <summary>
/// What the office's reviewer sees of one check-in: the check-in with its reasons and flags, the member and team, the
/// patrol's track with its declared pauses and the stretches where a windowed rule fired, and the photos side by side —
/// this check-in's, the same adit's earlier check-ins' and the adit's registered photos.
/// </summary>
public sealed record CheckInReview(CheckInView CheckIn, Guid PatrolId, string Member, string Team, DateTime? FakedUtc,
    IReadOnlyList<double[]> Track, IReadOnlyList<TrackPause> Pauses, IReadOnlyList<TrackWindow> Windows,
    IReadOnlyList<ReviewPhoto> Photos, IReadOnlyList<ReviewPhoto> Earlier, IReadOnlyList<ReviewPhoto> Registered);

/// <summary>Reads a check-in for review (核查), inside the reviewer's scope: the check-in must be visible to them.</summary>
public sealed class PatrolReview(AppDbContext db, PatrolQueries queries)
{
    /// <summary>Earlier check-in photos of the same adit shown beside this one's.</summary>
    public const int EarlierPhotos = 6;

    public async Task<CheckInReview?> ForAsync(Guid checkInId, CancellationToken ct)
    {
        if ((await queries.CheckInsReadAsync(db.CheckIns().Where(c => c.Id == checkInId), ct)).SingleOrDefault() is not ({ } checkIn, var view)) return null;
        // The patrol may be filed in another county (a cross patrol): its member and team are labels of this check-in.
        var patrol = await db.Patrols().Beyond(ScopeExit.LinkedLabel).AsNoTracking().FirstOrDefaultAsync(p => p.Id == checkIn.PatrolId, ct);
        var member = await db.Users.AsNoTracking().Where(u => u.Id == checkIn.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "?";
        var team = patrol is null ? "" : await db.PatrolTeams().Beyond(ScopeExit.LinkedLabel).AsNoTracking()
            .Where(t => t.Id == patrol.TeamId).Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "";
        var (fixes, pauses) = patrol is null ? ([], []) : await queries.TrackAsync(patrol.Id, patrol.UserId, ct);
        var rules = await db.PatrolRulesAsync(patrol?.DivisionCode ?? checkIn.DivisionCode, ct);

        var photos = await db.CheckInPhotos().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => p.CheckInId == checkInId)
            .OrderBy(p => p.TakenUtc).ToListAsync(ct);
        var earlier = await db.CheckIns().AsNoTracking()
            .Where(c => c.AditId == checkIn.AditId && c.Id != checkInId && c.AtUtc < checkIn.AtUtc)
            .Join(db.CheckInPhotos().Beyond(ScopeExit.ChildrenOfVisible), c => c.Id, p => p.CheckInId, (c, p) => new { p, c.UserId })
            .OrderByDescending(x => x.p.TakenUtc).Take(EarlierPhotos).ToListAsync(ct);
        var names = await db.Users.AsNoTracking().Where(u => earlier.Select(e => e.UserId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var registered = await db.AditPhotos().AsNoTracking().Where(p => p.AditId == checkIn.AditId)
            .OrderByDescending(p => p.UploadedUtc).Take(2).ToListAsync(ct);

        double? From(double? lat, double? lon) => lat is { } a && lon is { } o ? Math.Round(ProofOfPresence.Metres(a, o, view.AditLat, view.AditLon)) : null;
        return new CheckInReview(view, checkIn.PatrolId, member, team, checkIn.FakedUtc,
            fixes.Select(PatrolQueries.Wire).ToList(),
            pauses,
            TrackStatistics.FiredWindows(fixes, rules),
            photos.Select(p => new ReviewPhoto($"/api/check-ins/{checkInId}/photos/{p.Id}", "本次签到", p.ExifTakenUtc ?? p.TakenUtc, p.ExifLat, p.ExifLon,
                From(p.ExifLat, p.ExifLon), p.AppCaptured)).ToList(),
            earlier.Select(e => new ReviewPhoto($"/api/check-ins/{e.p.CheckInId}/photos/{e.p.Id}", $"此前签到（{names.GetValueOrDefault(e.UserId, "?")}）",
                e.p.ExifTakenUtc ?? e.p.TakenUtc, e.p.ExifLat, e.p.ExifLon, From(e.p.ExifLat, e.p.ExifLon), e.p.AppCaptured)).ToList(),
            registered.Select(p => new ReviewPhoto($"/api/adits/{p.AditId}/photos/{p.Id}", p.Caption ?? "矿硐登记照片", p.TakenUtc, p.TakenLat, p.TakenLon,
                From(p.TakenLat, p.TakenLon))).ToList());
    }
}
