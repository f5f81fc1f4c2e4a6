using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>A check-in seen next to the others it may be compared with (same coordinates, same photo, same member).</summary>
public sealed record CheckInFacts(Guid Id, Guid PatrolId, Guid UserId, Guid AditId, string AditNumber,
    DateTime AtUtc, double Lat, double Lon);

/// <summary>
/// 可疑签到: patterns that a check-in may satisfy and still be faked. Each returns a sentence for the office; none of them
/// proves fraud on its own, so they flag a check-in for review rather than refuse it.
/// </summary>
public static class SuspiciousPatterns
{
    /// <summary>Real GPS fixes never repeat to the 1e-7 degree (about 1 cm) on another visit.</summary>
    public static string? SameCoordinates(CheckInFacts me, IEnumerable<CheckInFacts> sameCoordinates)
    {
        var others = sameCoordinates.Where(o => o.Id != me.Id && o.PatrolId != me.PatrolId).ToList();
        return others.Count == 0 ? null
            : $"定位坐标与另外 {others.Count} 次签到完全相同（{string.Join("、", others.Take(3).Select(o => Day(o.AtUtc) + " " + o.AditNumber))}），疑似伪造定位";
    }

    /// <summary>The same photo (by content) shown for another adit or another day.</summary>
    public static string? ReusedPhoto(CheckInFacts me, IEnumerable<CheckInFacts> samePhoto)
    {
        var other = samePhoto.FirstOrDefault(o => o.Id != me.Id && (o.AditId != me.AditId || Day(o.AtUtc) != Day(me.AtUtc)));
        return other is null ? null : $"同一张照片也用于 {Day(other.AtUtc)} 在 {other.AditNumber} 的签到";
    }

    /// <summary>
    /// Two check-ins of one member whose fixes are too far apart for the time between them: the phone "was" at two
    /// adits kilometres apart minutes apart. (A check-in claimed from far away is already refused by its distance.)
    /// </summary>
    public static string? ImpossibleHop(CheckInFacts me, IEnumerable<CheckInFacts> sameMember, PatrolRuleSet rules)
    {
        foreach (var o in sameMember.Where(o => o.Id != me.Id && o.AditId != me.AditId))
        {
            if (Hops(me.AtUtc, me.Lat, me.Lon, o.AtUtc, o.Lat, o.Lon, rules))
            {
                var km = ProofOfPresence.Metres(me.Lat, me.Lon, o.Lat, o.Lon) / 1000;
                return $"与 {ChinaTime.ToLocal(o.AtUtc):HH:mm} 在 {o.AditNumber} 的签到相隔 {(o.AtUtc - me.AtUtc).Duration().TotalMinutes:0} 分钟、{km:0.0} 公里，无法到达";
            }
        }

        return null;
    }

    /// <summary>The pair <see cref="ImpossibleHop"/> holds against (symmetric: either check-in of the pair is flagged).</summary>
    public static bool Hops(DateTime aUtc, double aLat, double aLon, DateTime bUtc, double bLat, double bLon, PatrolRuleSet rules)
    {
        if ((bUtc - aUtc).Duration() >= TimeSpan.FromHours(3)) return false;
        var km = ProofOfPresence.Metres(aLat, aLon, bLat, bLon) / 1000;
        var hours = Math.Max((bUtc - aUtc).Duration().TotalHours, 1.0 / 60);
        return km >= 1 && km / hours > rules.CheckInHopKmh;
    }

    /// <summary>A check-in at night made from where the member lives.</summary>
    public static string? NightFromHome(CheckInFacts me, double? homeLat, double? homeLon, PatrolRuleSet rules)
    {
        if (homeLat is not { } lat || homeLon is not { } lon) return null;
        var hour = ChinaTime.ToLocal(me.AtUtc).Hour;
        var night = rules.NightStartHour > rules.NightEndHour
            ? hour >= rules.NightStartHour || hour < rules.NightEndHour
            : hour >= rules.NightStartHour && hour < rules.NightEndHour;
        return night && ProofOfPresence.Metres(me.Lat, me.Lon, lat, lon) <= rules.HomeRadiusMetres
            ? $"夜间 {ChinaTime.ToLocal(me.AtUtc):HH:mm} 在巡查员住所附近签到"
            : null;
    }

    /// <summary>A walked track wanders; a drawn or simulated one is a ruler-straight line.</summary>
    public static string? StraightLine(IReadOnlyList<TrackPoint> track)
    {
        if (track.Count < 10) return null;
        var (x0, y0) = (0.0, 0.0);
        var (x1, y1) = Local(track[0], track[^1]);
        var length = Math.Sqrt(x1 * x1 + y1 * y1);
        if (length < 100) return null;
        var deviation = track.Max(p =>
        {
            var (x, y) = Local(track[0], p);
            return Math.Abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length;
        });
        return deviation < 1.0 ? $"轨迹是一条 {length:0} 米长的直线（偏差不到 1 米），疑似伪造" : null;
    }

    /// <summary>Every fix carries a few metres of noise; a track whose steps repeat exactly is simulated.</summary>
    public static string? NoJitter(IReadOnlyList<TrackPoint> track)
    {
        if (track.Count < 10) return null;
        var irregularity = double.NegativeInfinity;
        var s = Local(track[0], track[1]);
        for (var i = 2; i < track.Count; i++)
        {
            var t = Local(track[i - 1], track[i]);
            irregularity = Math.Max(irregularity, Math.Sqrt(Math.Pow(t.X - s.X, 2) + Math.Pow(t.Y - s.Y, 2)));
            s = t;
        }

        return irregularity < 0.05 ? "轨迹没有任何定位抖动（每一步完全相同），疑似模拟定位" : null;
    }

    private static (double X, double Y) Local(TrackPoint origin, TrackPoint p)
    {
        const double metresPerDegree = 111_320;
        return ((p.Lon - origin.Lon) * metresPerDegree * Math.Cos(origin.Lat * Math.PI / 180), (p.Lat - origin.Lat) * metresPerDegree);
    }

    private static string Day(DateTime utc) => ChinaTime.ToLocal(utc).ToString("yyyy-MM-dd");
}
