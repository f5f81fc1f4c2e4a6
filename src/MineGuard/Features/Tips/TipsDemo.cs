using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Tips;

/// <summary>
/// Demo set for tips and petitions: Hongjiang's reward rule as its plan publishes it, a reward officer and a
/// discipline-commission user in each county, and a petitions-office user in Hongjiang (password as the other demo users).
/// </summary>
public sealed class TipsDemo : IDemoData
{
    public int Order => DemoLoader.AfterCommit + 10;

    IReadOnlyList<DemoUser> IDemoData.Users => Users;

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("hj-reward", Roles.Reward, "洪江市举报奖励审批人 黄静", "431281", "natural-resources"),
        // A second reward officer: verification, approval and payment are three different people (Reward.Pay).
        new("hj-reward2", Roles.Reward, "洪江市举报奖励兑现人 罗敏", "431281", "natural-resources"),
        new("hj-discipline", Roles.Department, "洪江市纪委监委 邓伟", "431281", TipRoles.DisciplineDepartment),
        new("hj-petitions", Roles.Department, "洪江市信访局 胡梅", "431281", TipRoles.PetitionsDepartment),
        new("sx-reward", Roles.Reward, "嵩县举报奖励审批人 高峰", "410325", "natural-resources"),
        new("sx-reward2", Roles.Reward, "嵩县举报奖励兑现人 冯丽", "410325", "natural-resources"),
        new("sx-discipline", Roles.Department, "嵩县纪委监委 许宁", "410325", TipRoles.DisciplineDepartment),
    ];

    // A few tips in the inbox, in every state, so the office sees what the work looks like (flagged 演示); DaysAgo as of
    // the day the demo is loaded, and again after every start (BringUpToDateAsync).
    private static readonly (string Division, string County, string[] Kinds, string Text, string Place, double Lon, double Lat, int DaysAgo, TipOutcome? Outcome)[] Samples =
    [
        ("431281101", "431281", ["digging", "power"], "夜里山后有发电机声音，有人进出废弃硐口。", "黔城镇某村后山", 109.955, 27.215, 2, null),
        ("431281102", "431281", ["transport"], "凌晨有两辆无牌货车从山上往下拉矿石。", "安江镇某村公路口", 110.102, 27.321, 5, null),
        ("431281103", "431281", ["adit", "digging"], "已经封了的硐口又被挖开，旁边堆着新矿渣。", "托口镇某村北坡", 109.720, 27.102, 12, TipOutcome.True),
        ("410325109", "410325", ["cyanide"], "山沟里有人搭棚子泡矿，气味刺鼻，水是浑的。", "饭坡镇某村沟里", 112.052, 34.053, 9, TipOutcome.PartlyTrue),
        ("410325100", "410325", ["buying"], "有人在村口收购矿石，说是给现钱。", "城关镇某村村口", 112.085, 34.130, 20, TipOutcome.False),
    ];

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (!await db.Set<RewardRule>().AnyAsync(r => r.DivisionCode == "431281", ct))
        {
            db.Add(RewardRule.Create("431281", 2_000, 20_000, 30,
                "举报线索经核查属实的，每条奖励 2000 元；因举报立案查处的，奖励 20000 元。核查属实后 30 日内兑现。", now));
            await db.SaveChangesAsync(ct);
        }
        if (!await db.Set<Tip>().AnyAsync(ct))
        {
            var receipts = services.GetRequiredService<ReceiptCodes>();
            foreach (var s in Samples)
            {
                var received = now.AddDays(-s.DaysAgo);
                var tip = Tip.Receive(s.Division, s.County, TipChannel.Web, s.Kinds, s.Text, s.Place, s.Lon, s.Lat, null, receipts.Create().Stored, null, received, isDemo: true);
                db.Add(tip);
                if (s.Outcome is not { } outcome) continue;
                tip.Assign(s.Division, "natural-resources", DateOnly.FromDateTime(received).AddDays(7), received.AddDays(1));
                // As TipCommands.AssignAsync: an assigned tip is a clue, so the demo's leaders see clues on the dashboard.
                await Clues.ClueIntake.OpenAsync(db, new Clues.ClueLead("tip", tip.Id, tip.Description, tip.DivisionCode, tip.AditId, tip.AssignedDepartmentCode), ct);
                tip.Verify(outcome, "演示：现场核查情况。", null, received.AddDays(3));
                if (outcome == TipOutcome.False) continue;
                var rule = await db.Set<RewardRule>().FirstOrDefaultAsync(r => r.DivisionCode == s.County, ct) ?? RewardRule.Default(s.County);
                db.Add(Reward.Propose(tip, RewardTier.Verified, rule.VerifiedAmount, DateOnly.FromDateTime(received.AddDays(3)).AddDays(rule.PayWithinDays), received.AddDays(3)));
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// At every later start: the demo tips, their messages and rewards (and their deadlines) move forward by the days the
    /// demo has fallen behind, so the inbox shows tips of the last weeks, not of the day the database was first loaded.
    /// </summary>
    public async Task BringUpToDateAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var newest = await db.Set<Tip>().Where(t => t.IsDemo).OrderByDescending(t => t.ReceivedUtc).Select(t => (DateTime?)t.ReceivedUtc).FirstOrDefaultAsync(ct);
        var days = DemoDates.DaysBehind(newest, Samples.Min(s => s.DaysAgo), now);
        if (days == 0) return;
        var tips = await db.Set<Tip>().Where(t => t.IsDemo).ToListAsync(ct);
        var ids = tips.Select(t => t.Id).ToList();
        var messages = await db.Set<TipMessage>().Where(m => ids.Contains(m.TipId)).ToListAsync(ct);
        var rewards = await db.Set<Reward>().Where(r => ids.Contains(r.TipId)).ToListAsync(ct);
        var deadlines = await DemoDates.DeadlinesOfAsync(db, RewardPayoutEscalation.Subject, [.. rewards.Select(r => r.Id)], ct);
        DemoDates.Shift(db, [.. tips, .. messages, .. rewards, .. deadlines], days, now);
        await db.SaveChangesAsync(ct);
    }
}
