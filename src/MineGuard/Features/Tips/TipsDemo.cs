using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Demo;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Tips;

/// <summary>
/// Demo set for tips and petitions: Hongjiang's reward rule as its plan publishes it, a reward officer and a
/// discipline-commission user in each county, and a petitions-office user in Hongjiang (password as the other demo users).
/// </summary>
public static class TipsDemo
{
    public static readonly IReadOnlyList<DemoData.DemoUser> Users =
    [
        new("hj-reward", Roles.Reward, "洪江市举报奖励审批人 黄静", "431281", "natural-resources"),
        new("hj-discipline", Roles.Department, "洪江市纪委监委 邓伟", "431281", TipRoles.DisciplineDepartment),
        new("hj-petitions", Roles.Department, "洪江市信访局 胡梅", "431281", TipRoles.PetitionsDepartment),
        new("sx-reward", Roles.Reward, "嵩县举报奖励审批人 高峰", "410325", "natural-resources"),
        new("sx-discipline", Roles.Department, "嵩县纪委监委 许宁", "410325", TipRoles.DisciplineDepartment),
    ];

    public static async Task SeedAsync(IServiceProvider services, AppDbContext db, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (!await db.Set<RewardRule>().AnyAsync(r => r.DivisionCode == "431281", ct))
        {
            db.Add(RewardRule.Create("431281", 2_000, 20_000, 30,
                "举报线索经核查属实的，每条奖励 2000 元；因举报立案查处的，奖励 20000 元。核查属实后 30 日内兑现。", now));
            await db.SaveChangesAsync(ct);
        }
        var manager = services.GetRequiredService<UserManager<AppUser>>();
        foreach (var demo in Users)
        {
            if (await manager.FindByNameAsync(demo.UserName) is not null) continue;
            var user = new AppUser
            {
                UserName = demo.UserName, DisplayName = demo.DisplayName, DivisionCode = demo.DivisionCode,
                DepartmentCode = demo.Department, IsDemo = true, CreatedUtc = now,
            };
            var created = await manager.CreateAsync(user, DemoData.Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            await manager.AddToRoleAsync(user, demo.Role);
        }
    }
}
