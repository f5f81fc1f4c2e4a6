using System.Text;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>
/// Demo patrol teams (one per demo county, the demo patrol member in it), the current month's plan for each, and their
/// patrols of the last weeks up to yesterday, brought up to date at every start-up (Monday, Wednesday and Friday, two check-ins each with a walked track and a photo;
/// a month before its first such day opens with a patrol on its first day),
/// judged by the same <see cref="PatrolEvaluator"/> as real ones: one check-in was made from far away and one photo was
/// used twice, so the lists show an unverified and a flagged check-in.
/// </summary>
public sealed class PatrolDemo : IDemoData
{
    public int Order => 20;

    // A 1×1 baseline JPEG; each demo photo adds its own comment segment so no two are the same content.
    private static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

    private static readonly (string Name, PatrolTeamKind Kind, string Owner, string Area, string Member)[] Teams =
    [
        ("陶村林场巡查队", PatrolTeamKind.ForestFarm, "410325400", "410325400", "sx-patrol"),
        ("黔城镇日常巡查队", PatrolTeamKind.Township, "431281101", "431281101", "hj-patrol"),
    ];

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        foreach (var (name, kind, owner, area, member) in Teams)
        {
            if (!users.TryGetValue(member, out var userId)) continue;
            var team = PatrolTeam.Create(owner, name, kind, now);
            team.SetAreas([area]);
            team.AddMember(userId, null, null);
            db.PatrolTeams().Add(team);
            await db.SaveChangesAsync(ct);
        }
        await BringUpToDateAsync(services, db, users, ct);
    }

    /// <summary>
    /// Run at every start-up with demo data on: the demo teams get a plan for the current month, and patrols for the
    /// days since their last demo patrol (at most three weeks back) up to yesterday, so the demo always covers the
    /// current period, however long ago the database was first loaded.
    /// </summary>
    public async Task BringUpToDateAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        var first = new DateOnly(today.Year, today.Month, 1);
        var random = new Random(2026);
        foreach (var (name, _, owner, area, member) in Teams)
        {
            if (!users.TryGetValue(member, out var userId)) continue;
            var team = await db.PatrolTeams().Include(t => t.Members).Include(t => t.Areas).AsSplitQuery()
                .FirstOrDefaultAsync(t => t.Name == name && t.DivisionCode == owner && t.Members.Any(m => m.UserId == userId), ct);
            if (team is null) continue;

            var adits = await db.Adits().AsNoTracking().Where(a => a.TownshipCode == area && a.Status == AditStatus.Active)
                .OrderByDescending(a => a.State == SealState.Breached).ThenByDescending(a => a.State == SealState.Unsealed).ThenBy(a => a.Number)
                .Select(a => new { a.Id, a.State, a.Lat, a.Lon, a.DivisionCode }).ToListAsync(ct);
            var plan = await db.PatrolPlans().Where(p => p.TeamId == team.Id && p.PeriodStart <= today && p.PeriodEnd >= today).FirstOrDefaultAsync(ct);
            if (plan is null)
            {
                plan = PatrolPlan.Create(team.Id, owner, first, first.AddMonths(1).AddDays(-1), false, "演示：本月巡查计划", null, now);
                foreach (var a in adits) plan.Add(a.Id, AditNames.States[a.State]);
                db.PatrolPlans().Add(plan);
                await db.SaveChangesAsync(ct);
            }
            if (adits.Count < 2) continue;

            // Three weeks back to yesterday, from the day after the team's last demo patrol: never today (except early on a
            // month's first day, see PatrolDays), so a member's first real check-in meets no demo one nearby in time.
            var last = await db.Patrols().AsNoTracking().Where(p => p.TeamId == team.Id && p.PayloadHash == "demo")
                .OrderByDescending(p => p.StartedUtc).Select(p => (DateTime?)p.StartedUtc).FirstOrDefaultAsync(ct);
            var from = today.AddDays(-21);
            if (last is { } l && DateOnly.FromDateTime(ChinaTime.ToLocal(l)).AddDays(1) > from) from = DateOnly.FromDateTime(ChinaTime.ToLocal(l)).AddDays(1);
            var plans = await db.PatrolPlans().AsNoTracking().Where(p => p.TeamId == team.Id && p.PeriodEnd >= from).ToListAsync(ct);
            var patrols = new List<Guid>();
            var visit = last is null ? 0 : from.DayNumber % adits.Count;
            byte[]? reused = null;
            foreach (var day in PatrolDays(from, today, first, last, ChinaTime.ToLocal(now)))
            {
                var start = ChinaTime.ToUtc(day.ToDateTime(day == today ? new TimeOnly(6, 0) : new TimeOnly(9, 0)));
                var dayPlan = plans.FirstOrDefault(p => p.IsActiveOn(day));
                var patrol = Patrol.Start(Guid.CreateVersion7(), team, userId, dayPlan, start, PatrolSource.App, start.AddHours(4), 0, "demo");
                var points = new List<TrackPoint>();
                var at = start;
                var (lat, lon) = (adits[visit % adits.Count].Lat - 0.004, adits[visit % adits.Count].Lon);
                var (errLat, errLon) = (0.0, 0.0);
                for (var c = 0; c < 2; c++, visit++)
                {
                    var adit = adits[visit % adits.Count];
                    // Walk to the adit, a fix about every 30 s (the phone's clock to the ms) with GPS error that wanders
                    // slowly, as a real phone's does (TrackStatistics.WhiteNoise).
                    var steps = 40;
                    for (var i = 1; i <= steps; i++)
                    {
                        at = at.AddSeconds(30).AddMilliseconds(random.Next(-400, 400));
                        // The pace varies along the way (TrackStatistics.SteadyLegs).
                        var f = i == steps ? 1 : (i + (1.5 * Math.Sin(i * 0.4))) / steps;
                        (errLat, errLon) = ((0.7 * errLat) + ((random.NextDouble() - 0.5) * 0.00004), (0.7 * errLon) + ((random.NextDouble() - 0.5) * 0.00004));
                        points.Add(new TrackPoint(lat + (adit.Lat - lat) * f + errLat,
                            lon + (adit.Lon - lon) * f + errLon + Math.Sin(f * 7) * 0.0002, Math.Round(5 + random.NextDouble() * 8, 1), at));
                    }

                    (lat, lon) = (adit.Lat, adit.Lon);
                    // The third patrol's second check-in was "made" from 1.5 km away.
                    var far = patrols.Count == 2 && c == 1;
                    var checkIn = CheckIn.Create(Guid.CreateVersion7(), patrol.Id, adit.Id, userId, adit.DivisionCode,
                        at.AddSeconds(20), adit.Lat + (far ? 0.0135 : (random.NextDouble() - 0.5) * 0.0002), adit.Lon + (random.NextDouble() - 0.5) * 0.0002,
                        6 + random.NextDouble() * 6, new CheckList(true, false, false, false, false, false, false, false), false, null, start.AddHours(4), 0, "demo");
                    db.CheckIns().Add(checkIn);
                    // One photo shown again a week later.
                    var photo = patrols.Count == 5 && c == 0 && reused is not null ? reused : [.. Jpeg.Take(2), 0xFF, 0xFE, 0, 34, .. Encoding.ASCII.GetBytes($"{checkIn.Id:N}"), .. Jpeg.Skip(2)];
                    if (patrols.Count == 1 && c == 0) reused = photo;
                    var fileId = await db.StoreAsync(photo, "image/jpeg", "demo.jpg", ct);
                    db.CheckInPhotos().Add(CheckInPhoto.Create(Guid.CreateVersion7(), checkIn.Id, userId, checkIn.DivisionCode, fileId,
                        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(photo)), at.AddSeconds(40), null, null, null, start.AddHours(4)));
                    at = at.AddMinutes(5);
                }

                patrol.End(at.AddMinutes(10));
                db.Patrols().Add(patrol);
                // In the field app's chunks of 20 fixes (TrackStatistics.UploadShape).
                for (var c = 0; c * PresenceThresholds.AppChunkPoints < points.Count; c++)
                {
                    db.TrackChunks().Add(TrackChunk.Create(Guid.CreateVersion7(), patrol.Id, userId, owner, c,
                        points.Skip(c * PresenceThresholds.AppChunkPoints).Take(PresenceThresholds.AppChunkPoints).ToList(), start.AddHours(4)));
                }
                patrols.Add(patrol.Id);
                await db.SaveChangesAsync(ct);
            }

            if (patrols.Count > 0) await services.GetRequiredService<PatrolEvaluator>().EvaluateAsync(patrols, ct);
        }
    }

    /// <summary>
    /// The demo's patrol days from <paramref name="from"/>: Monday, Wednesday and Friday up to yesterday. A month whose
    /// first such day has not come yet still opens with one patrol, so its lists are never empty: on its first day, or,
    /// on the first itself, early that morning once the morning is over (06:00, done before 08:00).
    /// </summary>
    public static List<DateOnly> PatrolDays(DateOnly from, DateOnly today, DateOnly firstOfMonth, DateTime? lastUtc, DateTime nowLocal)
    {
        var days = Enumerable.Range(0, Math.Max(0, today.DayNumber - from.DayNumber)).Select(from.AddDays)
            .Where(d => d.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Wednesday or DayOfWeek.Friday).ToList();
        var monthHasOne = lastUtc is { } l && DateOnly.FromDateTime(ChinaTime.ToLocal(l)) >= firstOfMonth;
        if (monthHasOne || days.Any(d => d >= firstOfMonth)) return days;
        if (firstOfMonth < today) days.Add(firstOfMonth);
        else if (nowLocal.TimeOfDay >= TimeSpan.FromHours(8)) days.Add(today);
        return days;
    }
}
