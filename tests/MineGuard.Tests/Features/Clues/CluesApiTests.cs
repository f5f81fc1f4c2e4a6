using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Clues;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Tests.Features.Monitoring;
using MineGuard.Tests.Features.Patrols;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Clues;

/// <summary>线索 over HTTP: the path from three sources at one adit to a verified, closed assignment; and each refusal.</summary>
public sealed class CluesApiTests
{
    private static readonly object SealBroken = new
    {
        sealBroken = true, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false,
    };

    /// <summary>A township cadre without an account (a person record with a phone).</summary>
    internal static Task<(Guid Id, string Phone)> CadreAsync(TestApp app, string division = "410325400") =>
        app.WithDbAsync(async db =>
        {
            var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var p = Person.Create(division, "核查干部" + Guid.NewGuid().ToString("N")[..4], phone, "陶村林场", "包村干部", null, null, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(p);
            await db.SaveChangesAsync();
            return (p.Id, phone);
        });

    internal static async Task<Guid> ClueAsync(HttpClient office, string division, string summary, string? departmentCode = null, string type = "media")
    {
        var r = await office.PostAsJsonAsync("/api/clues", new { sourceType = type, summary, divisionCode = division, departmentCode });
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> OkJson(Task<HttpResponseMessage> call)
    {
        var r = await call;
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>Calls the clue's escalation handler as the one job would, in one unit of work as the system.</summary>
    internal static async Task<Escalation?> EscalateAsync(TestApp app, string subjectType, Guid subjectId)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var deadline = await db.Deadlines().SingleAsync(d => d.SubjectType == subjectType && d.SubjectId == subjectId && d.ClosedUtc == null);
        var handler = scope.ServiceProvider.GetServices<IEscalation>().Single(h => h.SubjectType == subjectType);
        var result = (await handler.EscalateAsync([deadline], CancellationToken.None))[0];
        await db.SaveChangesAsync();
        return result;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_an_alert_and_a_patrol_finding_at_one_adit_become_one_clue_verified_and_closed_into_an_assignment(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var office = kit.Office;
        var adit = await kit.AditAsync();
        var sealedOn = MineGuard.Platform.Time.ChinaTime.ToLocal(kit.Now).AddDays(-20).ToString("yyyy-MM-dd");
        await OkJson(office.PostAsJsonAsync($"/api/adits/{adit.Id}/seal", new { on = sealedOn, method = "浆砌石", performedBy = "施工队" }));

        // 2. A camera alert at the same adit, confirmed by the office.
        var (keyId, integration) = await MonitoringFixtures.IntegrationAsync(app);
        var camera = (await MonitoringFixtures.DeviceAsync(office, "camera", keyId, adit.Id)).GetProperty("code").GetString()!;
        await MonitoringFixtures.IngestAsync(integration, MonitoringFixtures.Event(MineGuard.Features.Monitoring.EventTypes.Camera, camera, new { subject = "person" }));
        await MonitoringFixtures.RunJobsAsync(app);
        var alert = await MonitoringFixtures.AlertOfAsync(app, adit.Id);
        await OkJson(office.PostAsJsonAsync($"/api/alerts/{alert.Id}/close", new { outcome = "confirmed", note = "洞口有人" }));
        // 1. A patrol finding: the seal is broken (after the alert: the breach it records unseals the adit).
        await kit.RunAsync(kit.GenuinePatrol(adit, out _, out var checkInId, SealBroken, answerFormat: 2), checkInId);
        // 3. A hotline tip about the same adit, triaged by the office.
        var tip = await OkJson(office.PostAsJsonAsync("/api/tips", new
        {
            channel = "Phone", divisionCode = "410325400", kinds = new[] { "digging" }, description = $"热线：{adit.Number} 附近夜里有人挖矿",
        }));
        var tipId = tip.GetProperty("tip").GetProperty("id").GetGuid();
        await OkJson(office.PostAsJsonAsync($"/api/tips/{tipId}/adit", new { aditNumber = adit.Number }));
        await OkJson(office.PostAsJsonAsync($"/api/tips/{tipId}/triage", new { note = "值得核查" }));

        var clues = await app.WithDbAsync(db => db.Set<Clue>().Where(c => c.AditId == adit.Id).OrderBy(c => c.ReceivedUtc).Select(c => c.Id).ToListAsync());
        Assert.Equal(3, clues.Count);
        var first = clues[0];
        var duplicates = await OkJson(office.GetAsync($"/api/clues/{first}/duplicates"));
        Assert.Equal(clues.Skip(1).OrderBy(x => x), duplicates.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).OrderBy(x => x));
        foreach (var other in clues.Skip(1)) await OkJson(office.PostAsJsonAsync($"/api/clues/{other}/merge", new { intoClueId = first }));
        var merged = await OkJson(office.GetAsync($"/api/clues/{first}"));
        Assert.Equal(["alert", "patrol-finding", "tip"], merged.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("type").GetString()).Order());
        Assert.Empty((await OkJson(office.GetAsync($"/api/clues/{first}/duplicates"))).EnumerateArray());

        // A township cadre with no account verifies; the SMS goes to their phone.
        var (cadre, phone) = await CadreAsync(app);
        var assigned = await OkJson(office.PostAsJsonAsync($"/api/clues/{first}/assign", new { verifierPersonId = cadre }));
        Assert.Equal("verifying", assigned.GetProperty("state").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<SmsMessage>().CountAsync(m => m.SourceId == first && m.Phone == phone)));

        // The deadline passes: the township's people are told once (in-app and SMS), a line goes on the history. (Who
        // answers is read before the escalation: other tests add people to this township while this one runs, so the
        // check is "each of them told once, nobody twice", never a total.)
        var answerers = await app.WithDbAsync(async db =>
        {
            var r = new Responsibility(db);
            return await r.WhoAnswersAsync(new Place("410325400"), AnswerLevel.Township, null, CancellationToken.None);
        });
        Assert.NotEmpty(answerers);
        var toldBefore = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.SourceId == first).Select(n => n.Id).ToListAsync());
        var escalation = await EscalateAsync(app, Clue.ClockSubject, first);
        Assert.Equal(AnswerLevel.Township, escalation!.Level);
        var newlyTold = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.SourceId == first && !toldBefore.Contains(n.Id)).Select(n => n.UserId).ToListAsync());
        foreach (var who in answerers.Where(w => w.UserId is not null))
            Assert.Equal(1, newlyTold.Count(u => u == who.UserId));
        Assert.Equal(newlyTold.Count, newlyTold.Distinct().Count());
        Assert.Contains((await OkJson(office.GetAsync($"/api/clues/{first}"))).GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "escalated");

        // Verification with a photo.
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(ExifJpeg.Plain()) { Headers = { ContentType = new("image/jpeg") } }, "file", "现场.jpg");
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsync($"/api/clues/{first}/files", form)).StatusCode);
        }
        var verified = await OkJson(office.PostAsJsonAsync($"/api/clues/{first}/verify", new { finding = "true", evidence = "封堵墙被凿开，洞内有新渣" }));
        Assert.Equal("属实", verified.GetProperty("findingName").GetString());
        Assert.Single(verified.GetProperty("files").EnumerateArray());
        Assert.NotNull(verified.GetProperty("verifiedByName").GetString());

        // Closed into a rectification assignment, done, verified by a second person, closed.
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(10)).ToString("yyyy-MM-dd");
        var closed = await OkJson(office.PostAsJsonAsync($"/api/clues/{first}/close", new { outcome = "rectification", responsiblePersonId = cadre, dueOn = due }));
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        var assignment = closed.GetProperty("assignmentId").GetGuid();
        var done = await OkJson(office.PostAsJsonAsync($"/api/assignments/{assignment}/complete", new { measures = "已回填封堵" }));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var same = await office.PostAsJsonAsync($"/api/assignments/{assignment}/verify", new { resolution = "同意销号" });
        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Contains("另一人", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var second = await app.LoginAsync("sx-admin");
        var final = await OkJson(second.PostAsJsonAsync($"/api/assignments/{assignment}/verify", new { resolution = "现场核实，同意销号" }));
        Assert.Equal("closed", final.GetProperty("status").GetString());
        Assert.Equal("clue", final.GetProperty("sourceType").GetString());
    }

    /// <summary>
    /// The "told exactly once with two nodes on PostgreSQL": two app nodes on one database run the real
    /// <see cref="DeadlineJob"/> rounds at once after a verifier without an account lets the deadline pass; the township's
    /// people are told once each, in-app and by SMS, and the clock records one escalation.
    /// </summary>
    [Theory, OnPostgres]
    public async Task Two_nodes_tell_the_township_exactly_once_when_a_verifier_lets_the_deadline_pass(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var (aNode, bNode) = await TestApp.StartTwoNodesAsync(provider, cs);
            await using var a = aNode;
            await using var b = bNode;
            var office = await a.LoginAsync("sx-office");
            var clue = await ClueAsync(office, "410325400", "群众反映陶村林场有人夜间挖矿 " + Guid.NewGuid().ToString("N")[..6]);
            var (cadre, phone) = await CadreAsync(a);
            await OkJson(office.PostAsJsonAsync($"/api/clues/{clue}/assign", new { verifierPersonId = cadre }));
            Assert.Equal(1, await a.WithDbAsync(db => db.Set<SmsMessage>().CountAsync(m => m.SourceId == clue && m.Phone == phone)));
            var answerers = await a.WithDbAsync(db => new Responsibility(db).WhoAnswersAsync(new Place("410325400"), AnswerLevel.Township, null, CancellationToken.None));
            Assert.Contains(answerers, w => w.UserId is not null);
            Assert.Contains(answerers, w => w.Phone is not null);
            var toldBefore = await a.WithDbAsync(db => db.Set<Notification>().Where(n => n.SourceId == clue).Select(n => n.UserId).ToListAsync());
            var smsBefore = await a.WithDbAsync(db => db.Set<SmsMessage>().Where(m => m.SourceId == clue).Select(m => m.Phone).ToListAsync());

            // Not yet due: nothing happens on either node.
            var jobA = a.Services.GetRequiredService<DeadlineJob>();
            var jobB = b.Services.GetRequiredService<DeadlineJob>();
            await Task.WhenAll(jobA.RunOnceAsync(CancellationToken.None), jobB.RunOnceAsync(CancellationToken.None));
            Assert.Equal(0, await a.WithDbAsync(db => db.Deadlines().Where(d => d.SubjectId == clue).SumAsync(d => d.Escalations)));

            a.Clock.Advance(TimeSpan.FromDays(8));
            b.Clock.Advance(TimeSpan.FromDays(8));
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? jobA : jobB).RunOnceAsync(CancellationToken.None))));

            var deadline = await a.WithDbAsync(db => db.Deadlines().SingleAsync(d => d.SubjectId == clue && d.SubjectType == Clue.ClockSubject));
            Assert.Equal(1, deadline.Escalations);
            var told = await a.WithDbAsync(db => db.Set<Notification>().Where(n => n.SourceId == clue).Select(n => n.UserId).ToListAsync());
            var newlyTold = told.Except(toldBefore).ToList();
            foreach (var who in answerers.Where(w => w.UserId is not null))
                Assert.Equal(1, told.Count(u => u == who.UserId) - toldBefore.Count(u => u == who.UserId));
            Assert.Equal(newlyTold.Count, newlyTold.Distinct().Count());
            var texts = await a.WithDbAsync(db => db.Set<SmsMessage>().Where(m => m.SourceId == clue).Select(m => m.Phone).ToListAsync());
            foreach (var who in answerers.Where(w => w.Phone is not null))
                Assert.Equal(1, texts.Count(p => p == who.Phone) - smsBefore.Count(p => p == who.Phone));
            office = await a.LoginAsync("sx-office"); // eight days on, the morning's log-in has expired
            var entries = (await OkJson(office.GetAsync($"/api/clues/{clue}"))).GetProperty("entries").EnumerateArray();
            Assert.Single(entries, e => e.GetProperty("kind").GetString() == "escalated");
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Clue_endpoints_refuse_the_anonymous_other_counties_other_departments_and_bad_input(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = Guid.NewGuid().ToString("N")[..8];
        var id = await ClueAsync(office, "410325400", $"媒体报道 {mark}：陶村林场有盗采");
        var police = await ClueAsync(office, "410325400", $"上级交办 {mark}：涉爆", "public-security", "superior");

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/clues")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/clues/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/clues/{id}/assign", new { })).StatusCode);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/clues/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/clues/{id}/duplicates")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/clues/{id}/close", new { outcome = "no-action", note = "x" })).StatusCode);
        Assert.DoesNotContain(id.ToString(), await hongjiang.GetStringAsync("/api/clues?state=all"), StringComparison.Ordinal);

        // Departments: the police see what was given to them, not the rest.
        var officer = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/api/clues/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/clues/{police}")).StatusCode);
        var seen = await officer.GetStringAsync("/api/clues?state=all");
        Assert.Contains(police.ToString(), seen, StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), seen, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/clues/{id}/assign", new { })).StatusCode);

        // Bad input: each refused naming the field, nothing changed.
        var (cadre, _) = await CadreAsync(app);
        var (outsider, _) = await CadreAsync(app, "431281101");
        Assert.Contains("来源", await ErrorOf(await office.PostAsJsonAsync("/api/clues", new { sourceType = "rumour", summary = "x", divisionCode = "410325400" }), "sourceType"), StringComparison.Ordinal);
        Assert.Contains("管辖", await ErrorOf(await office.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = "x", divisionCode = "431281101" }), "divisionCode"), StringComparison.Ordinal);
        var past = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(-3)).ToString("yyyy-MM-dd");
        Assert.Contains("早于今天", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/assign", new { verifierPersonId = cadre, dueOn = past }), "dueOn"), StringComparison.Ordinal);
        Assert.Contains("管辖", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/assign", new { verifierPersonId = outsider }), "verifierPersonId"), StringComparison.Ordinal);
        // A verifier with an account of another department than the clue's.
        var officePerson = await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "sx-office");
            var p = Person.Create("410325", "王敏", "13700001111", "嵩县打非办", null, null, user.Id, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        Assert.Contains("承办部门", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{police}/assign", new { verifierPersonId = officePerson }), "verifierPersonId"), StringComparison.Ordinal);
        Assert.Contains("办结方式", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/close", new { note = "x" }), "outcome"), StringComparison.Ordinal);
        Assert.Contains("理由", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/close", new { outcome = "no-action" }), "note"), StringComparison.Ordinal);
        Assert.Contains("接收人", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/close", new { outcome = "transferred", transferredTo = "嵩县公安局", receivedAt = "2026-11-01 09:00" }), "receivedBy"), StringComparison.Ordinal);
        Assert.Contains("核查结论", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/verify", new { finding = "maybe", evidence = "x" }), "finding"), StringComparison.Ordinal);
        // Rules: verifying before a verifier is named, closing into rectification before verification.
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/clues/{id}/verify", new { finding = "true", evidence = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/clues/{id}/close", new { outcome = "rectification" })).StatusCode);
        // A clue of another county cannot be merged in (not even named).
        var hjClue = await ClueAsync(hongjiang, "431281101", $"媒体报道 {mark}：黔城镇");
        Assert.Contains("管辖", await ErrorOf(await office.PostAsJsonAsync($"/api/clues/{id}/merge", new { intoClueId = hjClue }), "intoClueId"), StringComparison.Ordinal);
        var unchanged = await OkJson(office.GetAsync($"/api/clues/{id}"));
        Assert.Equal("received", unchanged.GetProperty("state").GetString());
        Assert.Single(unchanged.GetProperty("entries").EnumerateArray());

        // Success: transferred with who received it and when.
        var transferred = await OkJson(office.PostAsJsonAsync($"/api/clues/{id}/close", new
        {
            outcome = "transferred", transferredTo = "嵩县公安局", receivedBy = "刘洋", receivedAt = "2026-11-01 09:00",
        }));
        Assert.Equal("移交", transferred.GetProperty("outcomeName").GetString());
        Assert.Equal("刘洋", transferred.GetProperty("transferReceivedBy").GetString());
    }

    [Fact]
    public void Clues_of_two_counties_are_never_merged()
    {
        var now = DateTime.UtcNow;
        var a = Clue.Receive("410325400", null, "甲", null, now);
        var b = Clue.Receive("431281101", null, "乙", null, now);
        var e = Assert.Throws<BusinessRuleException>(() => a.MergeInto(b));
        Assert.Equal("ClueMergeCounty", e.Code);
        Assert.Equal(ClueState.Received, a.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_verifier_finds_the_clue_in_their_inbox_wherever_it_is_filed_and_the_office_sees_it_overdue(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var id = await ClueAsync(office, "410325100", $"媒体报道 {Guid.NewGuid():N}"[..20]);
        // sx-resp's account, linked to a person record: their scope is a grid of another township.
        var person = await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "sx-resp");
            var p = Person.Create("410325400G001", "赵刚", "13600001111", "陶村林场", "网格员", null, user.Id, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        await OkJson(office.PostAsJsonAsync($"/api/clues/{id}/assign", new { verifierPersonId = person }));
        var resp = await app.LoginAsync("sx-resp");
        var inbox = await OkJson(resp.GetAsync("/api/inbox"));
        Assert.Contains(inbox.GetProperty("clues").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.OK, (await resp.GetAsync($"/api/clues/{id}")).StatusCode);
        Assert.Contains(id.ToString(), await resp.GetStringAsync("/my-work"), StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), await office.GetStringAsync("/api/clues/overdue"), StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromDays(8));
        office = await app.LoginAsync("sx-office");
        resp = await app.LoginAsync("sx-resp");
        Assert.Contains(id.ToString(), await office.GetStringAsync("/api/clues/overdue"), StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), await (await app.LoginAsync("hj-office")).GetStringAsync("/api/clues/overdue"), StringComparison.Ordinal);
        var verified = await OkJson(resp.PostAsJsonAsync($"/api/clues/{id}/verify", new { finding = "false", evidence = "现场无开采痕迹" }));
        Assert.Equal("赵刚", verified.GetProperty("verifiedByName").GetString());
        Assert.Empty((await OkJson(resp.GetAsync("/api/inbox"))).GetProperty("clues").EnumerateArray());
    }
}
