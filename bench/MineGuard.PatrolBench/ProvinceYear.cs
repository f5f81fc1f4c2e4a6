using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.PatrolBench;

/// <summary>
/// A fixed province-sized year (seed 41): 100,000 adits over Henan's townships, 2,000 teams (one city joint team per
/// city, the rest township teams of one township each) with one member each, three patrols a week per team from
/// December 2025 to November 2026, each with three or four check-ins (about 1,000,000 in all: 92% verified, 2% flagged)
/// and a 20-point track. Written with <see cref="BulkInsert"/> in batches, outside the audit trail.
/// </summary>
public static class ProvinceYear
{
    public const int Seed = 41;

    public static async Task<(int Adits, int Teams, int Patrols, int CheckIns)> InsertAsync(IServiceProvider services, int adits, int teams, int checkIns)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("bench");
        var random = new Random(Seed);
        var now = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var towns = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township && d.Code.StartsWith("41"))
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.ParentCode }).ToListAsync();
        var cities = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.City && d.Code.StartsWith("41"))
            .OrderBy(d => d.Code).Select(d => d.Code).ToListAsync();

        // Adits: spread over the townships, positions in Henan's box (compliance never reads them).
        var byTown = new Dictionary<string, List<Guid>>();
        var batch = new List<object>();
        for (var i = 0; i < adits; i++)
        {
            var town = towns[i % towns.Count];
            var adit = Adit.Register($"B{i:D6}", new Adit.Place(town.ParentCode!, town.Code, null, null), 110.4 + random.NextDouble() * 6,
                31.5 + random.NextDouble() * 4.8, new Adit.Details(null, null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
            (byTown.TryGetValue(town.Code, out var list) ? list : byTown[town.Code] = []).Add(adit.Id);
            batch.Add(adit);
            if (batch.Count == 20_000) await FlushAsync(db, batch);
        }
        await FlushAsync(db, batch);

        // Teams with one member each.
        var teamList = new List<(PatrolTeam Team, Guid User, List<Guid> Adits)>();
        for (var t = 0; t < teams; t++)
        {
            var city = t < cities.Count;
            var area = city ? cities[t] : towns[t % towns.Count].Code;
            var user = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = $"bench-{t}", NormalizedUserName = $"BENCH-{t}", DisplayName = $"巡查员{t}",
                DivisionCode = area, DepartmentCode = "local-government", SecurityStamp = Guid.NewGuid().ToString("N"), CreatedUtc = now,
            };
            var team = PatrolTeam.Create(area, $"巡查队{t}", city ? PatrolTeamKind.CityJoint : PatrolTeamKind.Township, now);
            team.SetAreas([area]);
            team.AddMember(user.Id, null, null);
            var areaAdits = city ? byTown.Where(k => k.Key.StartsWith(area, StringComparison.Ordinal)).SelectMany(k => k.Value).Take(200).ToList()
                : byTown.GetValueOrDefault(area) ?? new List<Guid>();
            teamList.Add((team, user.Id, areaAdits));
            batch.Add(user);
            batch.Add(team);
            batch.AddRange(team.Areas);
            batch.AddRange(team.Members);
        }
        await FlushAsync(db, batch);

        // A year of patrols: Monday, Wednesday, Friday of every week, 09:00 China time.
        var first = new DateOnly(2025, 12, 1);
        var days = Enumerable.Range(0, 365).Select(first.AddDays).Where(d => d.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Wednesday or DayOfWeek.Friday).ToList();
        var (patrolCount, checkInCount) = (0, 0);
        foreach (var day in days)
        {
            foreach (var (team, user, area) in teamList)
            {
                if (checkInCount >= checkIns || area.Count == 0) continue;
                var start = ChinaTime.ToUtc(day.ToDateTime(new TimeOnly(9, 0)));
                var patrol = Patrol.Start(Guid.CreateVersion7(), team, user, null, start, PatrolSource.App, start, 0, "bench");
                patrol.End(start.AddHours(3));
                batch.Add(patrol);
                batch.Add(TrackChunk.Create(Guid.CreateVersion7(), patrol.Id, user, team.DivisionCode, 0,
                    Enumerable.Range(0, 20).Select(i => new TrackPoint(34 + random.NextDouble() * 0.01, 112 + random.NextDouble() * 0.01, 8, start.AddMinutes(9 * i))).ToList(), start));
                var count = patrolCount % 5 == 0 ? 4 : 3;
                for (var c = 0; c < count; c++)
                {
                    var aditId = area[(patrolCount * 3 + c) % area.Count];
                    var roll = random.NextDouble();
                    var checkIn = CheckIn.Create(Guid.CreateVersion7(), patrol.Id, aditId, user, team.Kind == PatrolTeamKind.CityJoint ? team.DivisionCode : team.Areas[0].AreaCode,
                        start.AddMinutes(40 * (c + 1)), 34 + random.NextDouble(), 112 + random.NextDouble(), 5 + random.NextDouble() * 10,
                        new CheckList(true, false, false, false, false, false, false, false), false, null, start, 0, "bench");
                    checkIn.Evaluated(new Evidence(roll < 0.92, 12, roll < 0.92 ? [] : ["签到定位距矿硐 300 米，超过 50 米"]), roll > 0.98 ? ["定位坐标与另外 1 次签到完全相同"] : [], start);
                    batch.Add(checkIn);
                    checkInCount++;
                }

                patrolCount++;
                if (batch.Count >= 50_000) await FlushAsync(db, batch);
            }
        }
        await FlushAsync(db, batch);
        if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
        else await db.Database.ExecuteSqlRawAsync("ANALYZE");
        return (adits, teams, patrolCount, checkInCount);
    }

    private static async Task FlushAsync(AppDbContext db, List<object> batch)
    {
        if (batch.Count == 0) return;
        // Insert parents before children across types: users, teams, areas, members / patrols, chunks, check-ins.
        var ordered = batch.OrderBy(e => e switch
        {
            AppUser => 0, PatrolTeam => 1, PatrolTeamArea => 2, PatrolTeamMember => 3, Patrol => 4, TrackChunk => 5, _ => 6,
        }).ToList();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.InsertAsync(ordered, default);
        await tx.CommitAsync();
        batch.Clear();
    }
}
