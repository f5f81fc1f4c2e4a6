using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Accountability;
using MineGuard.Features.Adits;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Features.Patrols;
using MineGuard.Features.SpotChecks;
using MineGuard.Features.Sweeps;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Accountability;

/// <summary>
/// 问责线索 (issue 18) over HTTP: each rule fires on a situation built by hand in March 2025 (long before the demo data's
/// dates, so nothing else is counted) and not on its near miss; evaluating again stores nothing twice; a referral reaches
/// the discipline commission only; log-in, jurisdiction, department and bad input.
/// </summary>
public sealed class ReferralsApiTests
{
    private const string Songxian = "410325";
    private const string Hongjiang = "431281";
    private const string Period = "2025-03";

    /// <summary>10:00 in China on a day of 2025.</summary>
    private static DateTime At(int month, int day) => ChinaTime.ToUtc(new DateTime(2025, month, day, 10, 0, 0, DateTimeKind.Unspecified));

    private static List<JsonElement> Of(JsonElement list, string rule) =>
        list.EnumerateArray().Where(r => r.GetProperty("ruleCode").GetString() == rule).ToList();

    /// <summary>One demo adit in each of <paramref name="count"/> different townships of a county.</summary>
    private static Task<List<(Guid Id, string Division)>> AditsAsync(TestApp app, string county, int count) => app.WithDbAsync(async db =>
        (await db.Set<Adit>().Where(a => a.DivisionCode.StartsWith(county)).Select(a => new { a.Id, a.DivisionCode }).ToListAsync())
        .Where(a => a.DivisionCode.Length >= 9).GroupBy(a => a.DivisionCode[..9]).OrderBy(g => g.Key, StringComparer.Ordinal).Take(count)
        .Select(g => (g.First().Id, g.First().DivisionCode)).ToList());

    /// <summary>A clue at an adit, received and verified 属实 at the given times.</summary>
    private static Clue TrueClue(AppDbContext db, Guid verifier, (Guid Id, string Division) adit, string summary, DateTime received, DateTime verified,
        string? source = null)
    {
        var clue = Clue.Receive(adit.Division, adit.Id, summary, null, received);
        clue.AssignVerifier(verifier, received.AddDays(7), received);
        clue.Verify(ClueFinding.True, "现场核实属实", "核查人", null, verified);
        db.Add(clue);
        if (source is not null) db.Add(ClueSource.Create(clue.Id, adit.Division, source, null, summary, received));
        return clue;
    }

    private static async Task<JsonElement> EvaluateAsync(HttpClient office, string period) =>
        await Problems.Json(await office.PostAsJsonAsync("/api/referrals/evaluate", new { period }), HttpStatusCode.OK);

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_rule_fires_on_its_situation_and_not_on_its_near_miss_and_evaluating_again_stores_nothing_twice(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var sx = await AditsAsync(app, Songxian, 3);
        var hj = await AditsAsync(app, Hongjiang, 1);
        Assert.Equal(3, sx.Count);
        var (a1, a2, a3) = (sx[0], sx[1], sx[2]);
        var (t1, t2, t3) = (a1.Division[..9], a2.Division[..9], a3.Division[..9]);
        Assert.Single(hj);
        // Two villages of the test's own under t3, so that no demo case is counted.
        var (v1, v2) = await app.WithDbAsync(async db =>
        {
            var township = await db.Divisions.SingleAsync(d => d.Code == t3);
            var taken = await db.Divisions.Where(d => d.ParentCode == t3).Select(d => d.Code).ToListAsync();
            var codes = Enumerable.Range(900, 99).Select(n => t3 + n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => !taken.Contains(c)).Take(2).ToList();
            var now = db.Clock.GetUtcNow().UtcDateTime;
            db.AddRange(Division.Village(township, codes[0], "问责甲村", false, now), Division.Village(township, codes[1], "问责乙村", false, now));
            await db.SaveChangesAsync();
            return (codes[0], codes[1]);
        });
        await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var verifier = Person.Create(Songxian, "核查人", "13800000001", null, null, null, null, now);
            db.Add(verifier);
            var patrolUser = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();

            // 吉林: found on 20 Feb (a1) and 1 Mar (a2), found again 13 and 9 days later: both townships, and 嵩县 with two.
            TrueClue(db, verifier.Id, a1, "甲硐盗采", At(2, 20), At(2, 20));
            TrueClue(db, verifier.Id, a1, "甲硐再次盗采", At(3, 5), At(3, 6));
            TrueClue(db, verifier.Id, a2, "乙硐盗采", At(3, 1), At(3, 1));
            TrueClue(db, verifier.Id, a2, "乙硐再次盗采", At(3, 10), At(3, 11));
            // Near miss: a3 found again after 5 days (< 7): not yet "not stopped".
            TrueClue(db, verifier.Id, a3, "丙硐盗采", At(3, 2), At(3, 2));
            TrueClue(db, verifier.Id, a3, "丙硐再次盗采", At(3, 7), At(3, 7), source: "superior");
            // 洪江市: one place not stopped: its township, but not the county (one is below two).
            TrueClue(db, verifier.Id, hj[0], "洪江某硐盗采", At(3, 1), At(3, 1));
            TrueClue(db, verifier.Id, hj[0], "洪江某硐再次盗采", At(3, 20), At(3, 20));

            // 晋城 应发现而未发现: a2 signed clean on 3 Mar, then a superior's clue there found true (a2's second clue counts too).
            var sweep = Sweep.Create(Songxian, "三月排查", "sweep", null, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), null, null, now);
            db.Add(sweep);
            db.Add(Inspection.Create(Guid.NewGuid(), a2.Division, sweep.Id, "adit", a2.Id, null, "乙硐", null, null, null, "{}", null, null, "排查员", "签字人乙",
                At(3, 3), At(3, 3), "h1"));
            TrueClue(db, verifier.Id, a2, "上级交办：乙硐有人盗采", At(3, 8), At(3, 9), source: "superior");
            // Near miss: a3's sweep recorded a problem, so the superior's clue at a3 does not show a missed problem.
            var found = Inspection.Create(Guid.NewGuid(), a3.Division, sweep.Id, "adit", a3.Id, null, "丙硐", null, null, null, "{}", null, null, "排查员",
                "签字人丙", At(3, 3), At(3, 3), "h2");
            db.Add(found);
            db.Add(Problem.Create(Guid.NewGuid(), found, 1, "illegal-mining", "发现新鲜矿渣", "丙硐", null, false));

            // 晋城 虚假销号: a sampled item of t1 found not done; near miss: t2's item confirmed.
            var draw = SpotCheckDraw.Create("4103", [Songxian], ["rectification"], new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28), 30m, null, true, false,
                "t-" + Guid.NewGuid().ToString("N"), true, "", Guid.NewGuid().ToString("N"), 2, 2, 1, new DateOnly(2025, 3, 31), null, null, "洛阳市打非办", now);
            db.Add(draw);
            var bad = SpotCheckItem.Create(draw, new SpotCheckAlgorithm.Entry("rectification", Guid.NewGuid(), t1), "k1", 1, t1, "拆除设备", null, "销号人甲");
            bad.Record(SpotCheckResult.NotConfirmed, "设备仍在现场", null, "抽查组", At(3, 12));
            var good = SpotCheckItem.Create(draw, new SpotCheckAlgorithm.Entry("rectification", Guid.NewGuid(), t2), "k2", 2, t2, "回填井口", null, "销号人乙");
            good.Record(SpotCheckResult.Confirmed, null, null, "抽查组", At(3, 12));
            db.AddRange(bad, good);

            // 晋城 弄虚作假: a check-in at a1 found faked on 15 Mar; near miss: a flagged one at a2 not found faked.
            var faked = CheckIn.Create(Guid.NewGuid(), Guid.NewGuid(), a1.Id, patrolUser, a1.Division, At(3, 14), 34.1, 112.1, 5,
                new CheckList(null, null, null, null, null, null, null, null), false, null, At(3, 14), 0, "c1");
            faked.MarkFaked("轨迹显示未到现场", null, At(3, 15));
            db.Add(faked);
            db.Add(CheckIn.Create(Guid.NewGuid(), Guid.NewGuid(), a2.Id, patrolUser, a2.Division, At(3, 14), 34.1, 112.1, 5,
                new CheckList(null, null, null, null, null, null, null, null), false, null, At(3, 14), 0, "c2"));

            // 洪江 村民盗采: a theft case at v1 (its township and village name their people); near miss: a case of another kind at v2.
            var people = new[] { "乡镇长丙", "包片领导丁", "村支书甲", "包村干部乙" }
                .Select((n, i) => Person.Create(Songxian, n, "1390000000" + i, null, null, null, null, now)).ToList();
            db.AddRange(people);
            var v1Township = v1[..9];
            (await db.Divisions.SingleAsync(d => d.Code == v1Township)).NameResponsible(people[0].Id, people[1].Id);
            (await db.Divisions.SingleAsync(d => d.Code == v1)).NameResponsible(people[2].Id, people[3].Id);
            var theft = Case.File(v1, 2025, 900001, "嵩自然资立〔2025〕900001号", "unlicensed", "村民无证开采", null, "natural-resources", "clue", null, null,
                new DateOnly(2025, 3, 20), null, At(3, 20));
            var other = Case.File(v2, 2025, 900002, "嵩自然资立〔2025〕900002号", "other", "其他违法", null, "natural-resources", "clue", null, null,
                new DateOnly(2025, 3, 21), null, At(3, 21));
            db.AddRange(theft, other);
            db.Add(CaseParty.Person(theft, "张某", null, null, null, null, "当事人", At(3, 20)));
            db.Add(CaseParty.Person(other, "李某", null, null, null, null, "当事人", At(3, 21)));
            return await db.SaveChangesAsync();
        });

        var sxOffice = await app.LoginAsync("sx-office");
        var hjOffice = await app.LoginAsync("hj-office");
        var first = await EvaluateAsync(sxOffice, Period);
        Assert.Equal(Period, first.GetProperty("period").GetString());
        var hjFirst = await EvaluateAsync(hjOffice, Period);
        var all = await Problems.Json(await (await app.LoginAsync("sx-discipline")).GetAsync("/api/referrals?period=" + Period), HttpStatusCode.OK);

        // 吉林 township: t1 and t2, not t3 (5 days < 7); the facts name the first finding and the later one.
        var township = Of(all, ReferralRules.TownshipNotStopped);
        Assert.Equal(new[] { t1, t2 }, township.Select(r => r.GetProperty("divisionCode").GetString()).Order(StringComparer.Ordinal).ToArray());
        var t1Facts = township.Single(r => r.GetProperty("divisionCode").GetString() == t1).GetProperty("facts").EnumerateArray().ToList();
        Assert.Equal(2, t1Facts.Count);
        Assert.Contains("甲硐盗采", t1Facts[0].GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Contains("甲硐再次盗采", t1Facts[1].GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Equal("2025-03-01", township[0].GetProperty("periodFrom").GetString());
        Assert.Equal("2025-03-31", township[0].GetProperty("periodTo").GetString());
        // 吉林 county: 嵩县 with two; 洪江市 with one is the near miss (its township is referred).
        var county = Of(all, ReferralRules.CountyRepeated);
        Assert.Equal(Songxian, Assert.Single(county).GetProperty("divisionCode").GetString());
        var hjList = await Problems.Json(await (await app.LoginAsync("hj-discipline")).GetAsync("/api/referrals?period=" + Period), HttpStatusCode.OK);
        Assert.Empty(Of(hjList, ReferralRules.CountyRepeated));
        Assert.Equal(hj[0].Division[..9], Assert.Single(Of(hjList, ReferralRules.TownshipNotStopped)).GetProperty("divisionCode").GetString());

        // 晋城: missed at t2 only; false 销号 at t1 only; faked check-ins at t1 only.
        var missed = Assert.Single(Of(all, ReferralRules.MissedBySweep));
        Assert.Equal(t2, missed.GetProperty("divisionCode").GetString());
        Assert.Contains(missed.GetProperty("facts").EnumerateArray(), f => f.GetProperty("type").GetString() == "inspection");
        Assert.Equal(t1, Assert.Single(Of(all, ReferralRules.FalseClosure)).GetProperty("divisionCode").GetString());
        var fakedRef = Assert.Single(Of(all, ReferralRules.FakedCheckIns));
        Assert.Equal(t1, fakedRef.GetProperty("divisionCode").GetString());
        Assert.Single(fakedRef.GetProperty("facts").EnumerateArray());

        // 洪江: the village of the theft case, naming the four posts from the responsibility records; not the other case's village.
        Assert.Empty(Of(hjList, ReferralRules.VillageTheft));
        var village = Assert.Single(Of(all, ReferralRules.VillageTheft));
        Assert.Equal(v1, village.GetProperty("divisionCode").GetString());
        var officials = village.GetProperty("officials").EnumerateArray().Select(o => (o.GetProperty("post").GetString(), o.GetProperty("name").GetString())).ToList();
        Assert.Equal([("乡镇主要领导", "乡镇长丙"), ("包片领导", "包片领导丁"), ("村支部书记", "村支书甲"), ("包村干部", "包村干部乙")], officials);
        Assert.Equal(2 + 1 + 1 + 1 + 1 + 1, first.GetProperty("created").GetInt32());
        Assert.Equal(1, hjFirst.GetProperty("created").GetInt32());

        // Evaluating again, by the office or the daily job, stores nothing twice.
        Assert.Equal(0, (await EvaluateAsync(sxOffice, Period)).GetProperty("created").GetInt32());
        Assert.Equal(0, await app.Services.GetRequiredService<ReferralJob>().RunOnceAsync(new DateOnly(2025, 3, 31), CancellationToken.None));
        var again = await Problems.Json(await (await app.LoginAsync("sx-discipline")).GetAsync("/api/referrals?period=" + Period), HttpStatusCode.OK);
        Assert.Equal(all.GetArrayLength(), again.GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_referral_reaches_the_commission_only_who_decides_it_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var adit = (await AditsAsync(app, Songxian, 1))[0];
        await app.WithDbAsync(async db =>
        {
            var patrolUser = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();
            foreach (var (month, hash) in new[] { (4, "c4"), (5, "c5") })
            {
                var faked = CheckIn.Create(Guid.NewGuid(), Guid.NewGuid(), adit.Id, patrolUser, adit.Division, At(month, 10), 34.1, 112.1, 5,
                    new CheckList(null, null, null, null, null, null, null, null), false, null, At(month, 10), 0, hash);
                faked.MarkFaked("照片重复使用", null, At(month, 11));
                db.Add(faked);
            }
            return await db.SaveChangesAsync();
        });
        var office = await app.LoginAsync("sx-office");
        var commission = await app.LoginAsync("sx-discipline");

        // Only the office evaluates; bad periods are named.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/referrals/evaluate", new { period = "2025-04" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await commission.PostAsJsonAsync("/api/referrals/evaluate", new { period = "2025-04" })).StatusCode);
        Assert.Contains("年月", await ErrorOf(await office.PostAsJsonAsync("/api/referrals/evaluate", new { period = "2025-13" }), "period"), StringComparison.Ordinal);
        var made = await EvaluateAsync(office, "2025-04");
        var id = made.GetProperty("referrals")[0].GetProperty("id").GetGuid();
        Assert.Equal(ReferralRules.FakedCheckIns, made.GetProperty("referrals")[0].GetProperty("ruleCode").GetString());

        // The commission is told and reads it; the office sees that it was made; nobody else learns of it.
        Assert.Contains("新的问责线索", await commission.GetStringAsync("/api/notifications"), StringComparison.Ordinal);
        Assert.Contains(id.ToString(), await commission.GetStringAsync("/api/referrals"), StringComparison.Ordinal);
        await Problems.Json(await commission.GetAsync($"/api/referrals/{id}"), HttpStatusCode.OK);
        Assert.Contains(id.ToString(), await office.GetStringAsync("/api/referrals"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/referrals/{id}")).StatusCode);
        foreach (var user in new[] { "sx-police", "sx-patrol", "sx-resp", "hj-discipline", "hj-office" })
        {
            var c = await app.LoginAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/api/referrals/{id}")).StatusCode);
            var list = await c.GetAsync("/api/referrals");
            Assert.DoesNotContain(id.ToString(), await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsJsonAsync($"/api/referrals/{id}/decision", new { decision = "约谈" })).StatusCode);
            Assert.DoesNotContain("新的问责线索", await c.GetStringAsync("/api/notifications"), StringComparison.Ordinal);
        }

        // The page: the commission reads the facts and gets the decision form; the police officer gets 404.
        var page = await commission.GetStringAsync($"/referrals/{id}");
        Assert.Contains("巡查签到弄虚作假", page, StringComparison.Ordinal);
        Assert.Contains("记录处理决定", page, StringComparison.Ordinal);
        Assert.DoesNotContain("记录处理决定", await office.GetStringAsync($"/referrals/{id}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-police")).GetAsync($"/referrals/{id}")).StatusCode);

        // Only the commission decides, once; an empty decision is named.
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/referrals/{id}/decision", new { decision = "约谈" })).StatusCode);
        Assert.Contains("处理决定", await ErrorOf(await commission.PostAsJsonAsync($"/api/referrals/{id}/decision", new { decision = " " }), "decision"),
            StringComparison.Ordinal);
        var decided = await Problems.Json(await commission.PostAsJsonAsync($"/api/referrals/{id}/decision", new { decision = "对乡镇分管领导进行约谈" }), HttpStatusCode.OK);
        Assert.Equal("decided", decided.GetProperty("state").GetString());
        Assert.Equal("对乡镇分管领导进行约谈", decided.GetProperty("decision").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await commission.PostAsJsonAsync($"/api/referrals/{id}/decision", new { decision = "再次" })).StatusCode);
        Assert.Single((await Problems.Json(await commission.GetAsync("/api/referrals?state=decided"), HttpStatusCode.OK)).EnumerateArray());
        Assert.Contains("new", await ErrorOf(await commission.GetAsync("/api/referrals?state=bogus"), "state"), StringComparison.Ordinal);
        Assert.Contains("jilin", await ErrorOf(await commission.GetAsync("/api/referrals?rule=bogus"), "rule"), StringComparison.Ordinal);

        // Settings: the county office switches the faked check-in rule off; May's faked check-in is then not referred.
        var url = $"/api/referrals/settings/{Songxian}";
        Assert.Equal(7, (await Problems.Json(await office.GetAsync(url), HttpStatusCode.OK)).GetProperty("notStoppedDays").GetInt32());
        Assert.Contains("1 到 365", await ErrorOf(await office.PutAsJsonAsync(url, new { disabledRules = Array.Empty<string>(), notStoppedDays = 0, countyThreshold = 2 }),
            "notStoppedDays"), StringComparison.Ordinal);
        Assert.Contains("未知", await ErrorOf(await office.PutAsJsonAsync(url, new { disabledRules = new[] { "x" }, notStoppedDays = 7, countyThreshold = 2 }),
            "disabledRules"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/referrals/settings/{Hongjiang}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await commission.PutAsJsonAsync(url, new { disabledRules = new[] { ReferralRules.FakedCheckIns }, notStoppedDays = 7, countyThreshold = 2 })).StatusCode);
        var set = await Problems.Json(await office.PutAsJsonAsync(url, new { disabledRules = new[] { ReferralRules.FakedCheckIns }, notStoppedDays = 10, countyThreshold = 3 }),
            HttpStatusCode.OK);
        Assert.True(set.GetProperty("stored").GetBoolean());
        Assert.Equal(0, (await EvaluateAsync(office, "2025-05")).GetProperty("created").GetInt32());
    }
}
