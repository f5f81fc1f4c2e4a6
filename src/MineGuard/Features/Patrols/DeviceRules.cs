using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>
/// The rules on the phone itself (issue 15): one phone recording patrols for two members on one day, and a phone clock
/// set back for a patrol and put right before it was uploaded (seen in the clock readings every field request leaves,
/// <see cref="DeviceClockReading"/>). Both flag the patrol's check-ins for review; the evaluator calls them as the system.
/// </summary>
public static class DeviceRules
{
    private sealed record PhonePatrol(Guid Id, Guid UserId, Guid? DeviceId, DateTime StartedUtc);

    private static DateOnly LocalDay(DateTime utc) => DateOnly.FromDateTime(ChinaTime.ToLocal(utc));

    /// <summary>Other members' patrols recorded on the same phone on the same China-local day, per patrol (of those with a phone).</summary>
    private static async Task<Dictionary<Guid, List<PhonePatrol>>> SamePhoneAsync(AppDbContext db, IEnumerable<PhonePatrol> patrols, CancellationToken ct)
    {
        var mine = patrols.Where(p => p.DeviceId is not null).ToList();
        if (mine.Count == 0) return [];
        var devices = mine.Select(p => p.DeviceId).Distinct().ToList();
        var (from, to) = (mine.Min(p => p.StartedUtc).AddDays(-1), mine.Max(p => p.StartedUtc).AddDays(1));
        var candidates = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(p => devices.Contains(p.DeviceId) && p.StartedUtc >= from && p.StartedUtc <= to)
            .OrderBy(p => p.StartedUtc).Select(p => new PhonePatrol(p.Id, p.UserId, p.DeviceId, p.StartedUtc)).Take(200).ToListAsync(ct);
        return mine.ToDictionary(p => p.Id, p => candidates
            .Where(o => o.DeviceId == p.DeviceId && o.UserId != p.UserId && LocalDay(o.StartedUtc) == LocalDay(p.StartedUtc)).ToList());
    }

    /// <summary>The check-ins of the other members' patrols that shared a phone with these: judged again with them.</summary>
    public static async Task<List<CheckIn>> SamePhoneCheckInsAsync(AppDbContext db, IReadOnlyCollection<Guid> patrolIds, CancellationToken ct)
    {
        var mine = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(p => patrolIds.Contains(p.Id) && p.DeviceId != null)
            .Select(p => new PhonePatrol(p.Id, p.UserId, p.DeviceId, p.StartedUtc)).ToListAsync(ct);
        var others = (await SamePhoneAsync(db, mine, ct)).Values.SelectMany(o => o.Select(p => p.Id)).Distinct().ToList();
        return others.Count == 0 ? [] : await db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => others.Contains(c.PatrolId)).ToListAsync(ct);
    }

    /// <summary>
    /// The phone's flags per patrol: "同一部手机当天为两名队员记录巡查：张三、李四" and "手机时间曾被调慢 …，上传前又调回".
    /// <paramref name="firstSeen"/> is when the server first received anything of each patrol.
    /// </summary>
    public static async Task<Dictionary<Guid, List<string>>> FlagsAsync(AppDbContext db, IReadOnlyCollection<Patrol> patrols,
        IReadOnlyDictionary<Guid, DateTime> firstSeen, CancellationToken ct)
    {
        var result = patrols.ToDictionary(p => p.Id, _ => new List<string>());
        var samePhone = await SamePhoneAsync(db, patrols.Select(p => new PhonePatrol(p.Id, p.UserId, p.DeviceId, p.StartedUtc)), ct);
        var users = samePhone.Values.SelectMany(o => o.Select(p => p.UserId)).Concat(patrols.Select(p => p.UserId)).Distinct().ToList();
        var names = samePhone.Values.Any(o => o.Count > 0)
            ? await db.Users.AsNoTracking().Where(u => users.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct)
            : [];
        foreach (var patrol in patrols)
        {
            if (samePhone.TryGetValue(patrol.Id, out var others) && others.Count > 0)
                result[patrol.Id].Add(SharedPhone(others.Select(o => o.UserId).Prepend(patrol.UserId).Distinct()
                    .Select(u => names.GetValueOrDefault(u) is { Length: > 0 } n ? n : "未知队员").ToList()));
            if (patrol.Source == PatrolSource.App && firstSeen.TryGetValue(patrol.Id, out var seen) && seen != DateTime.MaxValue
                && await ClockPutRightAsync(db, patrol, seen, ct) is { } clock)
                result[patrol.Id].Add(clock);
        }

        return result;
    }

    /// <summary>SharedPhone: the names of the members one phone recorded patrols for on one day.</summary>
    public static string SharedPhone(IReadOnlyList<string> members) =>
        $"同一部手机当天为{(members.Count == 2 ? "两" : members.Count.ToString(CultureInfo.InvariantCulture))}名队员记录巡查：{string.Join("、", members)}";

    /// <summary>
    /// ClockPutRight: a reading of the member's phone with the clock off by more than
    /// <see cref="PresenceThresholds.ClockSetSeconds"/>, the patrol's own recorded times on that wrong clock (its start,
    /// taken back by the reading's skew, falls between that reading and the upload), and a later reading near the right
    /// time (<see cref="PresenceThresholds.ClockRightSeconds"/>) by the upload: the clock was set for the patrol and put
    /// right before it was sent, which the upload's own skew cannot show. A wrong reading the clock left again before the
    /// patrol began (a reading in between that disagrees with it) is not this patrol's clock.
    /// </summary>
    private static async Task<string?> ClockPutRightAsync(AppDbContext db, Patrol patrol, DateTime uploadUtc, CancellationToken ct)
    {
        var since = uploadUtc.AddDays(-PresenceThresholds.ClockLookbackDays);
        var until = uploadUtc.AddHours(1);
        var query = db.Beyond<DeviceClockReading>(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(r => r.UserId == patrol.UserId && r.ServerUtc >= since && r.ServerUtc <= until);
        if (patrol.DeviceId is { } device) query = query.Where(r => r.DeviceId == device);
        var readings = await query.OrderBy(r => r.ServerUtc).Take(500).ToListAsync(ct);
        var slack = TimeSpan.FromSeconds(PresenceThresholds.ClockSetSeconds);
        foreach (var wrong in readings.Where(r => Math.Abs(r.SkewSeconds) > PresenceThresholds.ClockSetSeconds && r.ServerUtc <= uploadUtc))
        {
            var trueStart = patrol.StartedUtc.AddSeconds(-wrong.SkewSeconds);
            if (trueStart < wrong.ServerUtc - slack || trueStart > uploadUtc + slack) continue;
            // The clock was put right (or set otherwise) again before the patrol began: it was not recorded on this one
            // (another patrol of the member's was, days earlier, or the phone was simply wrong once and corrected).
            if (readings.Any(r => r.ServerUtc > wrong.ServerUtc && r.ServerUtc < trueStart - slack
                                  && Math.Abs(r.SkewSeconds - wrong.SkewSeconds) > PresenceThresholds.ClockSetSeconds)) continue;
            if (!readings.Any(r => r.ServerUtc > wrong.ServerUtc && Math.Abs(r.SkewSeconds) <= PresenceThresholds.ClockRightSeconds)) continue;
            return ClockPutRight(wrong.SkewSeconds, wrong.ServerUtc, wrong.Request);
        }

        return null;
    }

    public static string ClockPutRight(double skewSeconds, DateTime atUtc, string request)
    {
        var local = ChinaTime.ToLocal(atUtc);
        var when = request switch
        {
            "bundle" => "取任务时",
            "states" => "查询结果时",
            _ => "上传时",
        };
        return $"手机时间曾被{(skewSeconds < 0 ? "调慢" : "调快")} {Span(Math.Abs(skewSeconds))}（{local.Month}月{local.Day}日 {local:HH:mm} {when}），上传前又调回";
    }

    /// <summary>"3 天 4 小时", "2 小时 5 分钟", "45 分钟".</summary>
    public static string Span(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds / 60) * 60);
        if (t.TotalDays >= 1) return t.Hours == 0 ? $"{(int)t.TotalDays} 天" : $"{(int)t.TotalDays} 天 {t.Hours} 小时";
        if (t.TotalHours >= 1) return t.Minutes == 0 ? $"{(int)t.TotalHours} 小时" : $"{(int)t.TotalHours} 小时 {t.Minutes} 分钟";
        return $"{(int)t.TotalMinutes} 分钟";
    }
}
