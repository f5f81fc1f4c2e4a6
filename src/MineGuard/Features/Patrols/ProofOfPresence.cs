using MineGuard.Platform.Geo;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>
/// What the evidence says about one check-in: verified only when <see cref="Reasons"/> is empty; <see cref="Flags"/>
/// are doubts for the office's review (a verified check-in with flags does not count until they are cleared).
/// </summary>
public sealed record Evidence(bool Verified, double DistanceMetres, IReadOnlyList<string> Reasons, IReadOnlyList<string>? Flags = null);

/// <summary>A pause the member declared with the app's pause button (暂停/继续), from and to on the phone's clock.</summary>
public readonly record struct TrackPause(DateTime From, DateTime To);

/// <summary>
/// 到位核验: whether a check-in proves that the member was at the adit. Pure: given the check-in, its patrol, the patrol's
/// track, its photos, the adit's position and the rules, it lists every reason the proof falls short.
/// </summary>
public static class ProofOfPresence
{
    public static Evidence Evaluate(CheckIn c, Patrol? patrol, IReadOnlyList<TrackPoint> track,
        IReadOnlyList<CheckInPhoto> photos, double aditLat, double aditLon, PatrolRuleSet rules, IReadOnlyList<TrackPause>? pauses = null)
    {
        var reasons = new List<string>();
        var flags = new List<string>();
        var trackAgrees = false;
        var distance = Metres(c.Lat, c.Lon, aditLat, aditLon);
        if (distance > rules.MaxDistanceMetres)
            reasons.Add($"签到定位距矿硐 {distance:0} 米，超过 {rules.MaxDistanceMetres:0} 米");
        if (c.Accuracy < 0)
            reasons.Add("定位精度未知（导入的记录没有精度）");
        else if (c.Accuracy > rules.MaxAccuracyMetres)
            reasons.Add($"定位精度 {c.Accuracy:0} 米，达不到 {rules.MaxAccuracyMetres:0} 米以内的要求");

        var tolerance = TimeSpan.FromMinutes(rules.ClockToleranceMinutes);
        if (Math.Abs(c.ClockSkewSeconds) > tolerance.TotalSeconds)
            reasons.Add($"手机时间与服务器时间相差 {Minutes(c.ClockSkewSeconds)} 分钟，时间可能被修改");
        else if (c.AtUtc > c.ReceivedUtc + tolerance)
            reasons.Add("签到时间晚于服务器收到的时间，手机时间可能被修改");

        if (patrol is null)
        {
            reasons.Add("尚未收到该签到所属的巡查记录");
        }
        else
        {
            if (c.AtUtc < patrol.StartedUtc - tolerance || patrol.EndedUtc is { } end && c.AtUtc > end + tolerance)
                reasons.Add("签到时间不在巡查开始与结束之间");
            if (patrol.UserId != c.UserId) reasons.Add("签到人不是该巡查的巡查员");
            trackAgrees = TrackReasons(c, patrol, track, pauses ?? [], aditLat, aditLon, rules, reasons);
        }

        PhotoReasons(c, photos, aditLat, aditLon, rules, reasons, trackAgrees && distance <= rules.MaxDistanceMetres ? flags : null);
        return new Evidence(reasons.Count == 0, distance, reasons, flags);
    }

    /// <summary>
    /// Lists what the track says against the check-in; true when the track reaches the adit around it. The track is in
    /// time order (as <see cref="PatrolEvaluator"/> builds it): the fixes from the patrol's start to the check-in are one
    /// range of it, found by binary search and read in place (a day's 20 check-ins each copied and filtered the whole
    /// 5,000-fix track before).
    /// </summary>
    private static bool TrackReasons(CheckIn c, Patrol patrol, IReadOnlyList<TrackPoint> track, IReadOnlyList<TrackPause> pauses,
        double aditLat, double aditLon, PatrolRuleSet rules, List<string> reasons)
    {
        var maxGap = TimeSpan.FromMinutes(rules.MaxTrackGapMinutes);
        var all = track is List<TrackPoint> list ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)
            : track as TrackPoint[] ?? [.. track];
        var from = FirstAtOrAfter(all, patrol.StartedUtc - maxGap);
        var upTo = all[from..Math.Max(from, FirstAtOrAfter(all, (c.AtUtc + maxGap).AddTicks(1)))];
        if (upTo.Length == 0)
        {
            reasons.Add("没有从巡查开始到签到的轨迹");
            return false;
        }

        if (upTo[0].Utc - patrol.StartedUtc > maxGap)
            reasons.Add($"巡查开始 {(upTo[0].Utc - patrol.StartedUtc).TotalMinutes:0} 分钟后才有轨迹");

        // Several reasons of one kind (their first four characters) say the same thing and only the first three of each
        // are kept (below): a long noisy track (a cheap phone's jumps, every few fixes) must not format hundreds of lines
        // to drop them, so a line is written only while its kind has room.
        bool Room(string kind) => reasons.Count(r => r.StartsWith(kind, StringComparison.Ordinal)) < 3;
        var maxMs = rules.MaxSpeedKmh / 3.6;
        for (var i = 1; i < upTo.Length; i++)
        {
            var (a, b) = (upTo[i - 1], upTo[i]);
            var gap = b.Utc - a.Utc;
            // A pause declared with the app's button is no gap when the walk resumes where it stopped.
            var paused = TimeSpan.Zero;
            foreach (var p in pauses)
                if (p.To > a.Utc && p.From < b.Utc) paused += Min(p.To, b.Utc) - Max(p.From, a.Utc);
            if (gap - paused > maxGap && !SignalLostOnTheWay(a, b, gap - paused, c.AtUtc, maxGap))
            {
                if (Room("轨迹在 ")) reasons.Add($"轨迹在 {Local(a.Utc)} 后中断 {gap.TotalMinutes:0} 分钟");
            }
            else if (paused > TimeSpan.Zero && gap > maxGap
                     && Metres(a.Lat, a.Lon, b.Lat, b.Lon) - TrackStatistics.Allowance(a) - TrackStatistics.Allowance(b) is var away
                     && away > PresenceThresholds.PauseResumeMetres && Room("巡查在 "))
            {
                reasons.Add($"巡查在 {Local(a.Utc)} 暂停，继续时已在 {away:0} 米外");
            }
        }

        // Two fixes may be as far apart as their accuracies say without anyone moving, up to an honest phone's spread;
        // fixes that report a network fall-back's accuracy are judged by the good fixes around them: each pair of
        // consecutive good fixes, with the spikes between them (the fixes in between, in time order).
        var previous = -1;
        for (var i = 0; i < upTo.Length; i++)
        {
            if (upTo[i].Accuracy > PresenceThresholds.SpikeAccuracyMetres) continue;
            if (previous >= 0)
            {
                var (a, b) = (upTo[previous], upTo[i]);
                var metres = Metres(a.Lat, a.Lon, b.Lat, b.Lon);
                var moved = Math.Max(0, metres - TrackStatistics.Allowance(a) - TrackStatistics.Allowance(b));
                var seconds = Math.Max((b.Utc - a.Utc).TotalSeconds, 1);
                var spike = 0.0;
                for (var k = previous + 1; k < i; k++) spike = Math.Max(spike, upTo[k].Accuracy);
                var hidden = spike > 0 && metres > PresenceThresholds.SpikeJumpMetres && moved / seconds > maxMs / 4;
                if (hidden || moved / seconds > maxMs)
                {
                    // Both lines are of one kind: once it is full, nothing later in this walk can add one.
                    if (!Room("轨迹在 ")) break;
                    reasons.Add(hidden
                        ? $"轨迹在 {Local(a.Utc)} 跳到 {metres / 1000:0.0} 公里外，其间的定位精度突然变为 {spike:0} 米（用精度掩盖跳跃）"
                        : $"轨迹在 {Local(a.Utc)} 出现 {moved / seconds * 3.6:0} 公里/小时的跳跃（瞬移）");
                }
            }

            previous = i;
        }

        // An approach: before the check-in the track was somewhere well away from the adit.
        var farthest = -1.0;
        foreach (var p in upTo)
            if (p.Utc <= c.AtUtc && p.Accuracy <= PresenceThresholds.AccuracyAllowanceCapMetres)
                farthest = Math.Max(farthest, Metres(p.Lat, p.Lon, aditLat, aditLon));
        if (farthest >= 0 && farthest < PresenceThresholds.ApproachMetres)
            reasons.Add($"签到前的轨迹始终在矿硐 {farthest:0} 米以内，没有从 {PresenceThresholds.ApproachMetres:0} 米外走近的过程");

        if (c.AtUtc - upTo[^1].Utc > maxGap)
            reasons.Add($"签到前 {(c.AtUtc - upTo[^1].Utc).TotalMinutes:0} 分钟没有轨迹");

        var window = TimeSpan.FromMinutes(Math.Max(2, rules.MaxTrackGapMinutes / 2.0));
        var closest = double.PositiveInfinity;
        foreach (var p in upTo)
            if ((p.Utc - c.AtUtc).Duration() <= window)
                closest = Math.Min(closest, Metres(p.Lat, p.Lon, aditLat, aditLon) - Math.Clamp(p.Accuracy, 0, rules.MaxAccuracyMetres));
        if (closest > rules.MaxDistanceMetres)
            reasons.Add(double.IsPositiveInfinity(closest)
                ? "签到前后没有轨迹点"
                : $"签到前后的轨迹没有到达矿硐（最近 {closest:0} 米）");

        // Several reasons of one kind say the same thing; keep the first three of each.
        var trimmed = reasons.GroupBy(r => r[..Math.Min(4, r.Length)]).SelectMany(g => g.Take(3)).ToList();
        reasons.Clear();
        reasons.AddRange(trimmed);
        return closest <= rules.MaxDistanceMetres;
    }

    /// <summary>The index of the first fix at or after <paramref name="utc"/> in a track in time order (its length if none).</summary>
    private static int FirstAtOrAfter(ReadOnlySpan<TrackPoint> track, DateTime utc)
    {
        var (lo, hi) = (0, track.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (track[mid].Utc < utc) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>
    /// A gap of signal lost under canopy or in a valley, not a track switched off: not over the check-in (whose own
    /// window of fixes is judged apart, below), no longer than <see cref="PresenceThresholds.SignalLossGapFactor"/>
    /// times the rule's gap, and the track resumes no further than a walk could have taken it (the speed rules judge
    /// the legs on either side as before).
    /// </summary>
    private static bool SignalLostOnTheWay(TrackPoint a, TrackPoint b, TimeSpan unexplained, DateTime checkInUtc, TimeSpan maxGap)
    {
        if (unexplained > maxGap * PresenceThresholds.SignalLossGapFactor) return false;
        if (checkInUtc >= a.Utc && checkInUtc <= b.Utc) return false;
        var moved = Math.Max(0, Metres(a.Lat, a.Lon, b.Lat, b.Lon) - TrackStatistics.Allowance(a) - TrackStatistics.Allowance(b));
        return moved / Math.Max((b.Utc - a.Utc).TotalSeconds, 1) * 3.6 <= PresenceThresholds.SignalLossWalkKmh;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>
    /// The photos' times and own positions. When the fix and the track agree that the member was there
    /// (<paramref name="flagsWhenAgreed"/> given), a camera position off by no more than a coarse network position is
    /// not held against the check-in, and one further off is a doubt for review, not a refusal.
    /// </summary>
    private static void PhotoReasons(CheckIn c, IReadOnlyList<CheckInPhoto> photos, double aditLat, double aditLon,
        PatrolRuleSet rules, List<string> reasons, List<string>? flagsWhenAgreed)
    {
        if (photos.Count == 0)
        {
            if (rules.RequirePhoto) reasons.Add("没有现场照片");
            return;
        }

        var tolerance = TimeSpan.FromMinutes(rules.PhotoToleranceMinutes);
        foreach (var (photo, index) in photos.OrderBy(p => p.TakenUtc).Select((p, i) => (p, i + 1)))
        {
            if ((photo.TakenUtc - c.AtUtc).Duration() > tolerance)
                reasons.Add($"第 {index} 张照片的拍摄时间与签到时间相差 {Minutes((photo.TakenUtc - c.AtUtc).TotalSeconds)} 分钟");
            if (photo.ExifTakenUtc is { } exif && (exif - c.AtUtc).Duration() > tolerance)
                reasons.Add($"第 {index} 张照片自带的拍摄时间（{Local(exif)}）与签到时间不符");
            if (photo.ExifLat is { } lat && photo.ExifLon is { } lon && Metres(lat, lon, aditLat, aditLon) is var d && d > rules.PhotoMaxDistanceMetres)
            {
                if (flagsWhenAgreed is null) reasons.Add($"第 {index} 张照片自带的位置距矿硐 {d:0} 米");
                else if (d > PresenceThresholds.CoarsePhotoMetres)
                    flagsWhenAgreed.Add($"第 {index} 张照片自带的位置距矿硐 {d:0} 米（签到定位和轨迹都在矿硐，请核对照片）");
            }
        }
    }

    public static double Metres(double lat1, double lon1, double lat2, double lon2) =>
        WebMercator.DistanceMetres(lon1, lat1, lon2, lat2);

    private static string Minutes(double seconds) => Math.Round(Math.Abs(seconds) / 60).ToString("0");

    private static string Local(DateTime utc) => ChinaTime.ToLocal(utc).ToString("HH:mm");
}
