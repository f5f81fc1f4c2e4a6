using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.People;
using MineGuard.Features.Adits;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Incidents;

/// <summary>
/// 演示数据: one incident modelled on the Songxian "9·26" report (seed 000), at a 嵩县 demo adit sealed with loose rocks,
/// dated twenty days before the load so the demo's patrols and tips about the adit show on its "before" side.
/// </summary>
public sealed class IncidentsDemo : IDemoData
{
    public int Order => DemoLoader.AfterCommit + 40;

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var adit = await db.Adits().AsNoTracking().Where(a => a.CountyCode == "410325" && a.IsDemo)
            .OrderByDescending(a => a.CurrentSealMethod == SealMethod.LooseRocks).ThenBy(a => a.Number).FirstOrDefaultAsync(ct);
        if (adit is null) return;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        DateTime At(int days, int hour, int minute) => ChinaTime.ToUtc(today.AddDays(days).ToDateTime(new TimeOnly(hour, minute)));
        string T(int days, int hour, int minute) => ChinaTime.ToLocal(At(days, hour, minute)).ToString("yyyy-MM-dd HH:mm");
        var input = new IncidentInput(adit.Id, T(-20, 11, 0), "poisoning", "“9·26”式盗采废弃金矿硐引发中毒窒息事件（演示）",
            "村民扒开自然坍塌的废弃矿硐洞口，三次进入盗采金矿石，第三次在硐内使用汽油发电机带动电锤，一氧化碳积聚致 3 人昏迷；6 名村民未携带防护装备进硐施救相继昏迷。"
            + "共造成 2 人死亡、7 人受伤，盗采金矿石 540.69 公斤，直接经济损失 19.4 万元。（演示数据，情节参照嵩县“9·26”事件调查报告）",
            10, 2, 7, 1, 9, 6, 1, 5, 540.69, 150_000m, 194_000m,
            [
                new(T(-23, 10, 0), "event", "4 名村民用铁锹扒开自然坍塌的洞口，进入矿硐捡取矿石（演示）", null, null),
                new(T(-22, 19, 0), "event", "4 人将暂存硐内的 10 余袋矿石运出（演示）", null, null),
                new(T(-20, 11, 0), "event", "硐内使用汽油发电机约 30 分钟，3 人先后昏迷（演示）", null, null),
                new(T(-20, 11, 20), "event", "1 人爬出矿硐，电话通知家属联系村民施救（演示）", null, null),
                new(T(-20, 11, 30), "rescue", "6 名村民未携带任何防护装备进硐救人，相继昏迷被困（演示）", null, null),
                new(T(-20, 11, 50), "report", "家属发现进硐人员失联，拨打 120 求救（演示）", "村民家属", "120 急救中心"),
                new(T(-20, 12, 0), "report", "县委县政府接报，启动应急预案（演示）", "120 急救中心", "县委县政府"),
                new(T(-20, 13, 20), "rescue", "救援人员救出第 1 名被困人员（演示）", null, null),
                new(T(-20, 20, 1), "rescue", "救出最后 2 名被困人员，9 人全部送医（演示）", null, null),
            ],
            [
                new("direct", null, "在通风不良的矿硐内使用汽油发电机，燃烧不充分产生的一氧化碳积聚致人中毒；村民盲目施救扩大后果（演示）"),
                new("indirect", null, "盗采村民中毒后未第一时间报警求助，错失最佳救援时机（演示）"),
                new("unit", "村民委员会", "对辖区废弃硐口底数不清，动态巡查流于形式，未及时发现并制止盗采（演示）"),
                new("unit", "县自然资源局", "隐患排查和动态巡查流于形式，未排查出出事的废弃硐口；封堵仅以石块堆砌（演示）"),
                new("measure", null, "建立网格化台账，明确每个硐口的责任人；按当地标准彻底封堵，做到“三清两断”（演示）"),
                new("lesson", null, "人防、物防、技防结合巡查；畅通举报渠道、快速兑现奖励；开展防盲目施救宣传教育（演示）"),
            ],
            [
                new("村民委员会", null, "村党支部书记", "废弃硐口排查不力，动态巡查流于形式（演示）", true),
                new("县自然资源局", null, "分管副局长", "履行行业监管责任不到位（演示）", true),
            ],
            [], Guid.Parse("9a26d000-0000-4000-8000-000000000926"));
        var desk = services.GetRequiredService<IncidentDesk>();
        var (incident, _, errors) = await desk.RecordAsync(input, isDemo: true, ct);
        if (incident is null) throw new InvalidOperationException("demo incident refused: " + string.Join("；", errors.Values.SelectMany(v => v)));
        // The lesson's notice, issued for the incident to the adit's township, whose villagers the demo registers (two, with
        // demo numbers: the demo's SMS gateway is the fake one), which settles the incident's notice item.
        var now = db.Clock.GetUtcNow().UtcDateTime;
        db.AddRange(Person.Create(adit.TownshipCode, "村民甲（演示）", "13900000926", null, "村民", "演示数据", null, now, isDemo: true),
            Person.Create(adit.TownshipCode, "村民乙（演示）", "13900000927", null, "村民", "演示数据", null, now, isDemo: true));
        await db.SaveChangesAsync(ct);
        List<string> townships = [adit.TownshipCode];
        var (_, _, noticeErrors) = await services.GetRequiredService<SafetyNoticeDesk>().IssueAsync(new SafetyNoticeInput(SafetyNoticeKinds.BlindRescue,
            "严禁盲目施救（演示）", null, townships, null, incident.Id, Guid.Parse("9a26d000-0000-4000-8000-00000000a926")), isDemo: true, ct);
        if (!noticeErrors.Ok)
            throw new InvalidOperationException("demo safety notice refused: " + string.Join("；", noticeErrors.Values.SelectMany(v => v)));
    }
}
