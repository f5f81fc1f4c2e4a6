using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>Demo patrol teams (one per demo county, the demo patrol member in it) and this month's plan for each.</summary>
public static class PatrolDemo
{
    public static async Task SeedAsync(AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        var first = new DateOnly(today.Year, today.Month, 1);
        foreach (var (name, kind, owner, area, member) in new[]
                 {
                     ("陶村林场巡查队", PatrolTeamKind.ForestFarm, "410325400", "410325400", "sx-patrol"),
                     ("黔城镇日常巡查队", PatrolTeamKind.Township, "431281101", "431281101", "hj-patrol"),
                 })
        {
            if (!users.TryGetValue(member, out var userId)) continue;
            var team = PatrolTeam.Create(owner, name, kind, now);
            team.SetAreas([area]);
            team.AddMember(userId, null, null);
            db.PatrolTeams().Add(team);

            var plan = PatrolPlan.Create(team.Id, owner, first, first.AddMonths(1).AddDays(-1), false, "演示：本月巡查计划", null, now);
            var adits = await db.Adits().AsNoTracking().Where(a => a.TownshipCode == area && a.Status == AditStatus.Active)
                .OrderByDescending(a => a.State == SealState.Breached).ThenByDescending(a => a.State == SealState.Unsealed).ThenBy(a => a.Number)
                .Select(a => new { a.Id, a.State }).ToListAsync(ct);
            foreach (var a in adits) plan.Add(a.Id, AditNames.States[a.State]);
            db.PatrolPlans().Add(plan);
        }

        await db.SaveChangesAsync(ct);
    }
}
