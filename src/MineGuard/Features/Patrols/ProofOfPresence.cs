using MineGuard.Platform.Geo;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>What the evidence says about one check-in: verified only when <see cref="Reasons"/> is empty.</summary>
public sealed record Evidence(bool Verified, double DistanceMetres, IReadOnlyList<string> Reasons);

/// <summary>
/// 到位核验: whether a check-in proves that the member was at the adit. Pure: given the check-in, its patrol, the patrol's
/// track, its photos, the adit's position and the rules, it lists every reason the proof falls short.
/// </summary>
public static class ProofOfPresence
{
    public static Evidence Evaluate(CheckIn c, Patrol? patrol, IReadOnlyList<TrackPoint> track,
        IReadOnlyList<CheckInPhoto> photos, double aditLat, double aditLon, PatrolRuleSet rules)
    {
        var reasons = new List<string>();
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
            TrackReasons(c, patrol, track, aditLat, aditLon, rules, reasons);
        }

        PhotoReasons(c, photos, aditLat, aditLon, rules, reasons);
        return new Evidence(reasons.Count == 0, distance, reasons);
    }

    private static void TrackReasons(CheckIn c, Patrol patrol, IReadOnlyList<TrackPoint> track, double aditLat, double aditLon,
        PatrolRuleSet rules, List<string> reasons)
    {
        var maxGap = TimeSpan.FromMinutes(rules.MaxTrackGapMinutes);
        var upTo = track.Where(p => p.Utc >= patrol.StartedUtc - maxGap && p.Utc <= c.AtUtc + maxGap).ToList();
        if (upTo.Count == 0)
        {
            reasons.Add("没有从巡查开始到签到的轨迹");
            return;
        }

        if (upTo[0].Utc - patrol.StartedUtc > maxGap)
            reasons.Add($"巡查开始 {(upTo[0].Utc - patrol.StartedUtc).TotalMinutes:0} 分钟后才有轨迹");

        var maxMs = rules.MaxSpeedKmh / 3.6;
        for (var i = 1; i < upTo.Count; i++)
        {
            var (a, b) = (upTo[i - 1], upTo[i]);
            var gap = b.Utc - a.Utc;
            if (gap > maxGap)
                reasons.Add($"轨迹在 {Local(a.Utc)} 后中断 {gap.TotalMinutes:0} 分钟");

            // Two fixes may be as far apart as their accuracies say without anyone moving.
            var moved = Math.Max(0, Metres(a.Lat, a.Lon, b.Lat, b.Lon) - Math.Max(0, a.Accuracy) - Math.Max(0, b.Accuracy));
            var seconds = Math.Max(gap.TotalSeconds, 1);
            if (moved / seconds > maxMs)
                reasons.Add($"轨迹在 {Local(a.Utc)} 出现 {moved / seconds * 3.6:0} 公里/小时的跳跃（瞬移）");
        }

        if (c.AtUtc - upTo[^1].Utc > maxGap)
            reasons.Add($"签到前 {(c.AtUtc - upTo[^1].Utc).TotalMinutes:0} 分钟没有轨迹");

        var window = TimeSpan.FromMinutes(Math.Max(2, rules.MaxTrackGapMinutes / 2.0));
        var near = upTo.Where(p => (p.Utc - c.AtUtc).Duration() <= window).ToList();
        var closest = near.Count == 0 ? double.PositiveInfinity : near.Min(p => Metres(p.Lat, p.Lon, aditLat, aditLon) - Math.Clamp(p.Accuracy, 0, rules.MaxAccuracyMetres));
        if (closest > rules.MaxDistanceMetres)
            reasons.Add(double.IsPositiveInfinity(closest)
                ? "签到前后没有轨迹点"
                : $"签到前后的轨迹没有到达矿硐（最近 {closest:0} 米）");

        // Several reasons of one kind say the same thing; keep the first three of each.
        var trimmed = reasons.GroupBy(r => r[..Math.Min(4, r.Length)]).SelectMany(g => g.Take(3)).ToList();
        reasons.Clear();
        reasons.AddRange(trimmed);
    }

    private static void PhotoReasons(CheckIn c, IReadOnlyList<CheckInPhoto> photos, double aditLat, double aditLon,
        PatrolRuleSet rules, List<string> reasons)
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
                reasons.Add($"第 {index} 张照片自带的位置距矿硐 {d:0} 米");
        }
    }

    public static double Metres(double lat1, double lon1, double lat2, double lon2) =>
        WebMercator.DistanceMetres(lon1, lat1, lon2, lat2);

    private static string Minutes(double seconds) => Math.Round(Math.Abs(seconds) / 60).ToString("0");

    private static string Local(DateTime utc) => ChinaTime.ToLocal(utc).ToString("HH:mm");
}
