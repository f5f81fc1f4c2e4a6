using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;

namespace MineGuard.Features.Tips;

/// <summary>Who is told what about tips (in-app, and by SMS when urgent); rows saved with the caller's save.</summary>
public static class TipNotices
{
    private static Task<IReadOnlyList<Answerer>> OfRoleAsync(AppDbContext db, string countyCode, string role, CancellationToken ct) =>
        new Responsibility(db).UsersOfRoleAsync(countyCode, role, null, ct);

    public static async Task RewardClaimedAsync(AppDbContext db, Tip tip, Reward reward, CancellationToken ct)
    {
        foreach (var officer in await OfRoleAsync(db, tip.CountyCode, Roles.Reward, ct))
        {
            db.Tell(officer, tip.DivisionCode, "举报人申领奖励", $"一条举报线索的举报人已申领奖励 {reward.Amount} 元，请审批兑现。",
                $"/tips/{tip.Id}", "tip-reward", reward.Id, sms: true);
        }
    }

    public static async Task RewardProposedAsync(AppDbContext db, Tip tip, Reward reward, CancellationToken ct)
    {
        foreach (var officer in await OfRoleAsync(db, tip.CountyCode, Roles.Reward, ct))
        {
            db.Tell(officer, tip.DivisionCode, "举报奖励待审批", $"线索核查{tip.Outcome?.Chinese()}，拟奖励 {reward.Amount} 元，须在 {reward.PayBy:yyyy-MM-dd} 前兑现。",
                $"/tips/{tip.Id}", "tip-reward", reward.Id, sms: false);
        }
    }

    public static async Task TipsterAnsweredAsync(AppDbContext db, Tip tip, CancellationToken ct)
    {
        foreach (var office in await OfRoleAsync(db, tip.CountyCode, Roles.Office, ct))
        {
            db.Tell(office, tip.DivisionCode, "举报人回复了", "一条举报线索的举报人通过查询码回复了问题或补充了情况。", $"/tips/{tip.Id}", "tip", tip.Id, sms: false);
        }
    }

    public static async Task NewTipAsync(AppDbContext db, Tip tip, CancellationToken ct)
    {
        foreach (var office in await OfRoleAsync(db, tip.CountyCode, Roles.Office, ct))
        {
            db.Tell(office, tip.DivisionCode, "收到新的举报线索", "群众通过举报页面提交了一条新线索，请及时分拣。", $"/tips/{tip.Id}", "tip", tip.Id, sms: false);
        }
    }
}
