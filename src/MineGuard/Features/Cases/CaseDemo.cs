using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Cases;

/// <summary>
/// Demo cases in 嵩县 and 洪江市, three in each: one in investigation (a party, evidence, tools seized, an adit), one decided
/// and executed (ore and a vehicle seized, a fine paid), one transferred to the police with their receipt (ore above the
/// criminal threshold). Filed and carried through their stages by the same code the API runs (<see cref="CaseDesk"/>,
/// <see cref="CaseRecords"/>, <see cref="CaseStages"/>), as the county's office, with days relative to the demo clock;
/// every later start moves them forward with <see cref="DemoDates"/>. Cases have no IsDemo column: the demo ones are
/// known by their fixed client ids and titled 演示.
/// </summary>
public sealed class CaseDemo : IDemoData
{
    public int Order => DemoLoader.AfterCommit + 30;

    /// <summary>A second officer of the natural-resources bureau in each county (a case is handled by two at least).</summary>
    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("sx-enforcer", Roles.Department, "嵩县自然资源局执法大队 张伟", "410325", "natural-resources"),
        new("hj-enforcer", Roles.Department, "洪江市自然资源局执法大队 李娜", "431281", "natural-resources"),
    ];

    IReadOnlyList<DemoUser> IDemoData.Users => Users;

    private sealed record Sample(Guid ClientId, string County, string Prefix, string Township, string Type, string Title, string Facts, int FiledDaysAgo,
        string Party, string PartyBirth, string Plate);

    // The youngest demo case was filed this many days before the demo was loaded.
    private const int YoungestDays = 12;

    private static readonly Sample[] Samples =
    [
        new(new Guid("6d656f01-0000-4000-8000-00000000c001"), "410325", "sx", "410325109", "unlicensed", "演示：饭坡镇某村后山无证开采金矿案",
            "巡查发现废弃矿硐被重新挖开，现场有钻机和新鲜矿渣，经核查属实。", YoungestDays, "张某某", "19780312", "豫CD8826"),
        new(new Guid("6d656f01-0000-4000-8000-00000000c002"), "410325", "sx", "410325100", "stolen-ore-trade", "演示：城关镇某村收购盗采金矿石案",
            "当事人在村口收购来源不明的金矿石，用货车转运。", 60, "李某某", "19850706", "豫CA3521"),
        new(new Guid("6d656f01-0000-4000-8000-00000000c003"), "410325", "sx", "410325400", "unlicensed", "演示：陶村林场盗采金矿涉嫌犯罪案",
            "当事人组织多人在林场后山盗采金矿，扣押矿石价值超过刑事立案标准。", 20, "王某某", "19720918", "豫CB7702"),
        new(new Guid("6d656f01-0000-4000-8000-00000000c004"), "431281", "hj", "431281103", "reopened-adit", "演示：托口镇某村擅自启封废弃矿硐案",
            "已封堵矿硐被挖开，旁边堆放新矿渣，经核查属实。", YoungestDays, "刘某某", "19800224", "湘NA3521"),
        new(new Guid("6d656f01-0000-4000-8000-00000000c005"), "431281", "hj", "431281102", "stolen-ore-trade", "演示：安江镇无牌货车运输盗采矿石案",
            "凌晨两辆无牌货车从山上拉矿石下山，经拦截查获。", 60, "陈某某", "19830511", "湘NB1207"),
        new(new Guid("6d656f01-0000-4000-8000-00000000c006"), "431281", "hj", "431281101", "unlicensed", "演示：黔城镇盗采金矿涉嫌犯罪案",
            "当事人在黔城镇后山硐内盗采金矿，扣押矿石价值超过刑事立案标准。", 20, "杨某某", "19761130", "湘NC5519"),
    ];

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        if (await db.Set<Case>().AnyAsync(ct)) return;
        var claims = services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var desk = services.GetRequiredService<CaseDesk>();
        var records = services.GetRequiredService<CaseRecords>();
        var stages = services.GetRequiredService<CaseStages>();
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        try
        {
            foreach (var s in Samples)
            {
                if (!users.TryGetValue($"{s.Prefix}-office", out var office) || !users.TryGetValue($"{s.Prefix}-enforcer", out var enforcer)) continue;
                // The county's office acts, as it would on the page: its name is on the history lines and in the audit trail; the
                // county's head (机关负责人) approves the transfer to the police.
                async Task ActAsync(string userName)
                {
                    var user = await db.Users.FirstAsync(u => u.Id == users[userName], ct);
                    db.CurrentUser.ActAs(new CurrentUser.Actor(await claims.CreateAsync(user), "local", null));
                }
                await ActAsync($"{s.Prefix}-office");
                await FileAsync(db, desk, records, stages, s, [office, enforcer], today, () => ActAsync($"{s.Prefix}-head"), () => ActAsync($"{s.Prefix}-office"), ct);
                db.CurrentUser.ActAsSystem("system:demo");
            }
        }
        finally
        {
            db.CurrentUser.ActAsSystem("system:demo");
        }
    }

    private static async Task FileAsync(AppDbContext db, CaseDesk desk, CaseRecords records, CaseStages stages, Sample s, Guid[] officers, DateOnly today,
        Func<Task> asHead, Func<Task> asOffice, CancellationToken ct)
    {
        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static void Ok(FieldErrors errors, string step)
        {
            if (!errors.Ok) throw new InvalidOperationException($"demo case {step}: " + string.Join("; ", errors.SelectMany(e => e.Value)));
        }
        var filedOn = today.AddDays(-s.FiledDaysAgo);
        var adit = await db.Set<Adit>().Where(a => a.CountyCode == s.County && a.TownshipCode == s.Township && a.IsDemo).OrderBy(a => a.Number)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        var (c, _, errors) = await desk.FileAsync(new CaseInput(s.ClientId, s.Type, s.Title, s.Facts, s.Township, "natural-resources", officers, null,
            adit is { } id ? [id] : null, null, "县打非办交办（演示）", Day(filedOn)), ct);
        Ok(errors, "filing");
        var first17 = s.County + s.PartyBirth + "051";
        var idNumber = first17 + IdNumber.CheckCharacter(first17);
        Ok((await records.AddPartyAsync(c!, new PartyInput("person", s.Party, null, idNumber, null, "实际控制人"), ct)).Errors, "party");
        var place = await db.Divisions.Where(d => d.Code == s.Township).Select(d => d.Name).FirstAsync(ct) + "案发现场（演示）";
        Ok((await records.AddEvidenceAsync(c!, new EvidenceInput("现场勘验笔录及照片（演示）", "执法人员", null, place, s.Party), ct)).Errors, "evidence");

        if (s.FiledDaysAgo == YoungestDays)
        {
            // In investigation: tools seized at the adit.
            Ok((await records.AddSeizureAsync(c!, new SeizureInput("tool", "钻机一台、发电机一台", null, null, null, null, null, 2, "县自然资源局暂扣物品仓库", "执法人员",
                s.Party), ct)).Errors, "seizure");
            return;
        }
        if (s.FiledDaysAgo == 60)
        {
            // Decided and executed: ore and the vehicle seized, the fine paid.
            Ok((await records.AddSeizureAsync(c!, new SeizureInput("ore", "金矿石", 2300, "kg", 46000, "价格认定（演示）", null, null, "县自然资源局暂扣物品仓库",
                "执法人员", s.Party), ct)).Errors, "ore");
            Ok((await records.AddSeizureAsync(c!, new SeizureInput("vehicle", "无牌自卸货车", null, null, null, null, s.Plate, 1, "县自然资源局停车场", "执法人员",
                s.Party), ct)).Errors, "vehicle");
            Ok(await stages.NoticeAsync(c!, new NoticeInput(Day(filedOn.AddDays(20)), null, "拟没收矿产品并处罚款 80000 元"), ct), "notice");
            Ok(await stages.DecideAsync(c!, new DecisionInput(Day(filedOn.AddDays(30)), "没收矿产品，罚款 80000 元（演示）", 80000), ct), "decision");
            Ok(await stages.ExecuteAsync(c!, new ExecutionInput(Day(filedOn.AddDays(45)), "当事人已缴纳罚款（演示）"), ct), "execution");
            return;
        }
        // Transferred to the police with their receipt: ore above the criminal threshold.
        Ok((await records.AddSeizureAsync(c!, new SeizureInput("ore", "金矿石", 12000, "kg", 260000, "价格认定（演示）", null, null, "县自然资源局暂扣物品仓库",
            "执法人员", s.Party), ct)).Errors, "ore");
        Ok(await stages.ReportTransferAsync(c!, new ReasonInput("扣押矿石价值超过刑事立案标准，涉嫌非法采矿罪"), ct), "transfer report");
        await asHead();
        Ok(await stages.DecideTransferAsync(c!, new TransferDecisionInput(true, null), ct), "transfer decision");
        await asOffice();
        Ok(await stages.HandOverAsync(c!, new HandOverInput(s.County == "410325" ? "嵩县公安局" : "洪江市公安局", [.. CaseStages.Materials.Keys]), ct), "hand-over");
        Ok(await stages.ReceiptAsync(c!, new ReceiptInput($"{(s.County == "410325" ? "嵩" : "洪")}公（治）受字〔{today.Year}〕演示号", null), ct), "receipt");
    }

    /// <summary>
    /// At every later start: the demo cases, their records, their stages' assignments and deadlines move forward by the
    /// days the demo has fallen behind, so the case in investigation is still within its 90 days and the transfer's
    /// police decision still due.
    /// </summary>
    public async Task BringUpToDateAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var clientIds = Samples.Select(s => (Guid?)s.ClientId).ToList();
        var cases = await db.Set<Case>().Where(c => clientIds.Contains(c.ClientId)).ToListAsync(ct);
        if (cases.Count == 0) return;
        var days = DemoDates.DaysBehind(cases.Max(c => c.FiledUtc), 0, now);
        if (days == 0) return;
        var ids = cases.Select(c => c.Id).ToList();
        var entries = await db.Set<CaseEntry>().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct);
        var parties = await db.Set<CaseParty>().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct);
        var evidence = await db.Set<CaseEvidence>().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct);
        var custody = await db.Set<CaseCustody>().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct);
        var seizures = await db.Set<CaseSeizure>().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct);
        var stages = await db.Set<Assignment>().Where(a => a.SourceType == "case" && a.SourceId != null && ids.Contains(a.SourceId.Value)).ToListAsync(ct);
        var deadlines = await DemoDates.DeadlinesOfAsync(db, Assignment.ClockSubject, [.. stages.Select(a => a.Id)], ct);
        DemoDates.Shift(db, [.. cases, .. entries, .. parties, .. evidence, .. custody, .. seizures, .. stages, .. deadlines], days, now);
        await db.SaveChangesAsync(ct);
    }
}
