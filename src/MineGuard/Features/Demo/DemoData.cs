using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Demo;

/// <summary>
/// 演示数据: 嵩县 (Songxian) and 洪江市 (Hongjiang) with their real townships, demo grids and a demo user for every role.
/// The first part of the demo set (<see cref="DemoLoader"/>): the grids and every part's demo users; the registry
/// (<see cref="DemoRegistry"/>) and each feature's own part follow. Every row is flagged IsDemo and shown with a 演示 mark.
/// </summary>
public sealed class DemoData : IDemoData
{
    public const string Password = DemoLoader.Password;

    private const string Songxian = "410325";
    private const string Hongjiang = "431281";

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("sx-admin", Roles.Admin, "嵩县系统管理员", Songxian, "natural-resources"),
        new("sx-office", Roles.Office, "嵩县打非办 王敏", Songxian, "natural-resources"),
        new("sx-patrol", Roles.Patrol, "陶村林场巡查员 李强", "410325400", "forestry"),
        new("sx-resp", Roles.Responsible, "陶村林场第一网格包保责任人 赵刚", "410325400G001", "local-government"),
        new("sx-police", Roles.Department, "嵩县公安局 刘洋", Songxian, "public-security"),
        new("sx-leader", Roles.Leader, "嵩县分管副县长 陈静", Songxian, "local-government"),
        new("hj-admin", Roles.Admin, "洪江市系统管理员", Hongjiang, "natural-resources"),
        new("hj-office", Roles.Office, "洪江市打非办 杨帆", Hongjiang, "natural-resources"),
        new("hj-patrol", Roles.Patrol, "黔城镇巡查员 周磊", "431281101", "local-government"),
        new("hj-resp", Roles.Responsible, "黔城镇第一网格包保责任人 吴娟", "431281101G001", "local-government"),
        new("hj-police", Roles.Department, "洪江市公安局 郑军", Hongjiang, "public-security"),
        new("hj-leader", Roles.Leader, "洪江市分管副市长 孙丽", Hongjiang, "local-government"),
        new("ly-leader", Roles.Leader, "洛阳市分管副市长 马超", "4103", "local-government"),
    ];

    public int Order => 0;

    IReadOnlyList<DemoUser> IDemoData.Users => Users;

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var townships = await db.Divisions
            .Where(d => d.Level == DivisionLevel.Township && (d.ParentCode == Songxian || d.ParentCode == Hongjiang))
            .ToListAsync(ct);
        foreach (var township in townships)
        {
            for (var i = 1; i <= 3; i++)
            {
                db.Divisions.Add(Division.Grid(township, i, $"{township.Name}第{"一二三"[i - 1]}网格", isDemo: true, now));
            }
        }
        await db.SaveChangesAsync(ct);

        var manager = services.GetRequiredService<UserManager<AppUser>>();
        foreach (var demo in DemoLoader.AllUsers)
        {
            var user = new AppUser
            {
                UserName = demo.UserName, DisplayName = demo.DisplayName, DivisionCode = demo.DivisionCode,
                DepartmentCode = demo.Department, IsDemo = true, CreatedUtc = now,
            };
            var created = await manager.CreateAsync(user, Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            await manager.AddToRoleAsync(user, demo.Role);
        }
    }
}
