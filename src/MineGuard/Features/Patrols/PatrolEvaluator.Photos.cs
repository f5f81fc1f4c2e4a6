using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>
/// 照片取证: what a check-in's photos say beside their times and positions (<see cref="ProofOfPresence"/>). Pure; each
/// returns a sentence for the office's review, or null.
/// </summary>
public static class PhotoEvidence
{
    /// <summary>An earlier check-in's photo as the same-picture rule compares it: ids and the hash, nothing else.</summary>
    public readonly record struct Print(Guid CheckInId, Guid PhotoId, long Hash, string Sha256, Guid AditId, Guid UserId, DateTime AtUtc);

    /// <summary>
    /// A photo with no position of its own counts only when the app's camera took it (a valid capture signature,
    /// <see cref="CaptureSignature"/>). Judged for patrols that carry a key, i.e. recorded by an app that signs its
    /// captures, and for the app's keyless patrols begun after the member's first keyed one (<paramref name="memberSignsSinceUtc"/>:
    /// an updated app never drops its key, so the key was left out); a photo queued by an older app before the change
    /// (no key, begun before the member's app first signed) is judged as before.
    /// </summary>
    public static string? Unsigned(IReadOnlyList<CheckInPhoto> photos, Patrol? patrol, DateTime? memberSignsSinceUtc)
    {
        if (patrol is null) return null;
        if (patrol.CaptureKey is null && !(patrol.Source == PatrolSource.App && memberSignsSinceUtc is { } since && patrol.StartedUtc > since)) return null;
        var unsigned = photos.OrderBy(p => p.TakenUtc).Select((p, i) => (p, i + 1))
            .Where(x => (x.p.ExifLat is null || x.p.ExifLon is null) && !CaptureSignature.Captured(x.p, patrol)).Select(x => x.Item2).ToList();
        return unsigned.Count == 0 ? null
            : $"第 {string.Join("、", unsigned)} 张照片没有位置信息，且不是巡查 App 现场拍摄";
    }

    /// <summary>
    /// The photo that is the same picture (dHash within <see cref="PresenceThresholds.SamePictureBits"/>) as a photo
    /// of an earlier check-in — any at the same adit, or the same member's of the last
    /// <see cref="PresenceThresholds.SamePictureMemberDays"/> days — with other bytes (an identical file is
    /// <see cref="SuspiciousPatterns.ReusedPhoto"/>'s). Only the later check-in is flagged: the earlier one is the original.
    /// </summary>
    public static Print? SamePicture(CheckIn me, IReadOnlyList<CheckInPhoto> mine, IEnumerable<Print> candidates)
    {
        var since = me.AtUtc.AddDays(-PresenceThresholds.SamePictureMemberDays);
        return candidates
            .Where(o => o.CheckInId != me.Id && o.AtUtc < me.AtUtc && (o.AditId == me.AditId || (o.UserId == me.UserId && o.AtUtc >= since)))
            .Select(o => (o, Bits: mine.Where(p => p.PerceptualHash is not null && p.Sha256 != o.Sha256)
                .Select(p => PhotoHash.Distance(p.PerceptualHash!.Value, o.Hash)).DefaultIfEmpty(int.MaxValue).Min()))
            .Where(x => x.Bits <= PresenceThresholds.SamePictureBits)
            .OrderBy(x => x.Bits).ThenByDescending(x => x.o.AtUtc).Select(x => (Print?)x.o).FirstOrDefault();
    }

    public static string SamePictureText(Print other, string aditNumber, string whose) =>
        $"照片与 {ChinaTime.ToLocal(other.AtUtc):yyyy-MM-dd HH:mm} {whose}在 {aditNumber} 签到的照片是同一画面（文件不同，是重新压缩或缩放的副本），疑似重复使用旧照片";
}

public sealed partial class PatrolEvaluator
{
    /// <summary>
    /// The same-picture rule for every check-in being judged: the candidate photos' hashes loaded narrowly (ids and the
    /// long, by the (AditId, AtUtc) and (UserId, AtUtc) indexes), compared in memory; the texts of the few matches looked up after.
    /// </summary>
    private async Task<Func<CheckIn, IReadOnlyList<CheckInPhoto>, string?>> SamePictureAsync(List<CheckIn> all, List<CheckInPhoto> photos, CancellationToken ct)
    {
        if (!photos.Any(p => p.PerceptualHash is not null)) return (_, _) => null;
        var aditIds = all.Select(c => c.AditId).Distinct().ToList();
        var users = all.Select(c => c.UserId).Distinct().ToList();
        var since = all.Min(c => c.AtUtc).AddDays(-PresenceThresholds.SamePictureMemberDays);
        var until = all.Max(c => c.AtUtc);
        // Both index-backed parts in one round trip (UNION ALL).
        var prints = await db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => aditIds.Contains(c.AditId) && c.AtUtc < until)
            .Concat(db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => users.Contains(c.UserId) && c.AtUtc >= since && c.AtUtc < until))
            .AsNoTracking()
            .Join(db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).Where(p => p.PerceptualHash != null), c => c.Id, p => p.CheckInId,
                (c, p) => new PhotoEvidence.Print(c.Id, p.Id, p.PerceptualHash!.Value, p.Sha256, c.AditId, c.UserId, c.AtUtc))
            .ToListAsync(ct);

        var candidates = prints.DistinctBy(p => p.PhotoId).ToList();
        var matches = all.ToDictionary(c => c.Id, c => PhotoEvidence.SamePicture(c, photos.Where(p => p.CheckInId == c.Id && p.UserId == c.UserId).ToList(), candidates));
        var found = matches.Values.OfType<PhotoEvidence.Print>().ToList();
        if (found.Count == 0) return (_, _) => null;
        var foundAdits = found.Select(f => f.AditId).Distinct().ToList();
        var numbers = await db.Adits().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(a => foundAdits.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Number, ct);
        var texts = new Dictionary<Guid, string>();
        foreach (var c in all)
        {
            if (matches[c.Id] is not { } other) continue;
            var whose = other.UserId == c.UserId ? "本人" : await MemberNameAsync(other.UserId, ct);
            texts[c.Id] = PhotoEvidence.SamePictureText(other, numbers.GetValueOrDefault(other.AditId, "另一矿硐"), whose);
        }

        return (c, _) => texts.GetValueOrDefault(c.Id);
    }
}
