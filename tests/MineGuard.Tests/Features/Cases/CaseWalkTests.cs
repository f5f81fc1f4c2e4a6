using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Assignments;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Features.Tips;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Cases;

/// <summary>
/// The issue's walk with the test clock: a verified tip becomes a clue and then a case (its reward rises to the case
/// tier), the head is late approving the transfer and is escalated on day 4, the transfer, receipt and police decision
/// are recorded; a person named in the clue shows in the 人不漏案 report until added or dismissed.
/// </summary>
public sealed class CaseWalkTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_verified_tip_becomes_a_case_and_walks_the_transfer_track_on_the_clock(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var job = app.Services.GetRequiredService<DeadlineJob>();
        await job.StopAsync(CancellationToken.None);
        var office = await app.LoginAsync("sx-office");
        var officers = await OfficersAsync(app, "natural-resources");
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(7)).ToString("yyyy-MM-dd");

        // A hotline tip, assigned (which opens its clue) and verified true: its reward is proposed at the verified tier.
        var tip = (await OkAsync(office.PostAsJsonAsync("/api/tips", new
        {
            channel = "Phone", divisionCode = "410325400", kinds = new[] { "digging" }, description = "热线：陶村林场后山夜里有人挖矿，张三、李四带头",
        }))).GetProperty("tip").GetProperty("id").GetGuid();
        await OkAsync(office.PostAsJsonAsync($"/api/tips/{tip}/assign", new { divisionCode = "410325400", departmentCode = "natural-resources", dueOn = due }));
        await OkAsync(office.PostAsJsonAsync($"/api/tips/{tip}/verify", new { outcome = "属实", evidence = "现场有新渣" }));
        Assert.Equal(RewardTier.Verified, await app.WithDbAsync(db => db.Set<Reward>().Where(r => r.TipId == tip).Select(r => r.Tier).SingleAsync()));
        var clue = await app.WithDbAsync(db => db.Set<ClueSource>().Where(s => s.Type == "tip" && s.SourceId == tip).Select(s => s.ClueId).SingleAsync());
        await VerifiedClueAsync(app, office, clue, "张三、李四");

        // Filed from the clue: numbered by the county's pattern, the clue closed and linked, the reward at the case tier.
        var clientId = Guid.NewGuid();
        var body = new
        {
            clientId, type = "unlicensed", title = "陶村林场后山无证开采案", divisionCode = "410325400", departmentCode = "natural-resources",
            officerIds = officers.Select(o => o.Id).ToArray(), clueIds = new[] { clue },
        };
        var filed = await office.PostAsJsonAsync("/api/cases", body);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var view = await filed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var id = view.GetProperty("id").GetGuid();
        Assert.Matches(@"^嵩自然资立〔2026〕\d+号$", view.GetProperty("number").GetString());
        Assert.Equal("2027-01-31", view.GetProperty("decisionDueOn").GetString());
        Assert.Equal(ClueState.Closed, await ClueStateAsync(app, clue));
        Assert.Equal(id, await app.WithDbAsync(db => db.Set<Clue>().Where(c => c.Id == clue).Select(c => c.CaseId).SingleAsync()));
        var reward = await app.WithDbAsync(db => db.Set<Reward>().Where(r => r.TipId == tip && r.Status != RewardStatus.Refused).SingleAsync());
        Assert.Equal(RewardTier.Case, reward.Tier);
        Assert.Equal(RewardRule.DefaultCase, reward.Amount);
        Assert.Contains(view.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "source");

        // Sent twice (same client id; same clue without one): one case.
        var again = await office.PostAsJsonAsync("/api/cases", body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid());
        var sameClue = await OkAsync(office.PostAsJsonAsync("/api/cases", body with { clientId = Guid.NewGuid() }));
        Assert.Equal(id, sameClue.GetProperty("id").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<CaseLink>().CountAsync(l => l.Kind == "clue" && l.TargetId == clue)));

        // 人不漏案: both named persons are gaps until one is a party and the other is dismissed with a reason.
        async Task<List<string>> GapsAsync() => (await OkAsync(office.GetAsync("/api/cases/gaps?county=410325"))).EnumerateArray()
            .Where(g => g.GetProperty("caseId").GetGuid() == id).Select(g => g.GetProperty("name").GetString()!).Order().ToList();
        Assert.Equal(["张三", "李四"], await GapsAsync());
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/parties", new { kind = "person", name = "张三", idNumber = TestIds.Next() }));
        Assert.Equal(["李四"], await GapsAsync());
        Assert.Equal("请写明排除的理由", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/dismissals", new { name = "李四" }), "reason"));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/dismissals", new { name = "李四", reason = "经查当晚在外地务工，与本案无关" }));
        Assert.Empty(await GapsAsync());

        // The transfer is reported; the head lets the 3 days pass and is escalated on day 4, not before.
        var reported = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/report", new { reason = "盗采矿石价值超过 10 万元，涉嫌非法采矿罪" }));
        Assert.Equal("transfer-reported", reported.GetProperty("stage").GetString());
        var approval = reported.GetProperty("stageAssignmentId").GetGuid();
        Task<int> Level(Guid a) => app.WithDbAsync(db => db.Set<Assignment>().Where(x => x.Id == a).Select(x => x.EscalationLevel).SingleAsync());
        app.Clock.Advance(TimeSpan.FromDays(3));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, await Level(approval));
        app.Clock.Advance(TimeSpan.FromDays(1));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.True(await Level(approval) > 0);
        Assert.True(await app.WithDbAsync(db => db.Set<Notification>().AnyAsync(n => n.SourceId == approval && n.Title == "督办事项逾期")));

        // The approval is the head's (机关负责人): given to the county's head by name, refused to the office.
        Assert.Equal(await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-head").Select(u => (Guid?)u.Id).SingleAsync()),
            await app.WithDbAsync(db => db.Set<Assignment>().Where(x => x.Id == approval).Select(x => x.ResponsibleUserId).SingleAsync()));
        office = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/cases/{id}/transfer/decision", new { approved = true })).StatusCode);
        var hjHead = await app.LoginAsync("hj-head");
        Assert.Equal(HttpStatusCode.NotFound, (await hjHead.PostAsJsonAsync($"/api/cases/{id}/transfer/decision", new { approved = true })).StatusCode);

        // Approved late (a new log-in: the days passed): the hand-over is due within 24 hours, on the clock to the hour.
        var head = await app.LoginAsync("sx-head");
        var approved = await OkAsync(head.PostAsJsonAsync($"/api/cases/{id}/transfer/decision", new { approved = true }));
        Assert.Equal("transfer-approved", approved.GetProperty("stage").GetString());
        Assert.Equal(AssignmentStatus.Closed, await app.WithDbAsync(db => db.Set<Assignment>().Where(x => x.Id == approval).Select(x => x.Status).SingleAsync()));
        var handOver = approved.GetProperty("stageAssignmentId").GetGuid();
        var deadline = await app.WithDbAsync(db => db.Deadlines().AsNoTracking().SingleAsync(d => d.SubjectId == handOver && d.ClosedUtc == null));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(24), deadline.DueUtc, TimeSpan.FromSeconds(1));

        // Without the listed materials the hand-over is refused and nothing changes.
        var missing = await office.PostAsJsonAsync($"/api/cases/{id}/transfer/hand-over", new { policeUnit = "嵩县公安局", materials = new[] { "transfer-letter" } });
        Assert.Contains("缺少", await ErrorOf(missing, "materials"), StringComparison.Ordinal);
        Assert.Equal("transfer-approved", (await OkAsync(office.GetAsync($"/api/cases/{id}"))).GetProperty("stage").GetString());
        var materials = new[] { "transfer-letter", "investigation-report", "evidence-list", "valuation-report" };
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/hand-over", new { policeUnit = "嵩县公安局", materials }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/receipt", new { receiptNumber = "嵩公（刑）受字〔2026〕88号" }));
        Assert.Equal("policeCaseNumber", (await office.PostAsJsonAsync($"/api/cases/{id}/transfer/police-decision", new { decision = "accepted" })).StatusCode
            == HttpStatusCode.BadRequest ? "policeCaseNumber" : "accepted without a number");
        var decided = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/police-decision", new { decision = "accepted", policeCaseNumber = "A4103252026110001" }));
        Assert.Equal("police-decided", decided.GetProperty("stage").GetString());
        Assert.Equal("A4103252026110001", decided.GetProperty("policeCaseNumber").GetString());
        Assert.Equal("嵩公（刑）受字〔2026〕88号", decided.GetProperty("receiptNumber").GetString());
        Assert.NotNull(decided.GetProperty("handedOverUtc").GetString());
        var closed = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/close", new { }));
        Assert.Equal("closed", closed.GetProperty("stage").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Deadlines().CountAsync(d => d.ClosedUtc == null
            && db.Set<Assignment>().Any(a => a.Id == d.SubjectId && a.SourceType == "case" && a.SourceId == id))));

        // Closed theft case: the party not on the key-person ledger is a gap until dismissed with a reason.
        Assert.Equal(["张三"], await GapsAsync());
        var party = closed.GetProperty("parties")[0].GetProperty("id").GetGuid();
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/dismissals", new { partyId = party, reason = "系受雇运输，情节轻微，不列入重点人员" }));
        Assert.Empty(await GapsAsync());
        var history = (await OkAsync(office.GetAsync($"/api/cases/{id}"))).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["filed", "source", "party", "dismissed", "transfer-reported", "transfer-approved", "handed-over", "receipt", "police-decided", "closed", "dismissed"],
            history);
    }
}
