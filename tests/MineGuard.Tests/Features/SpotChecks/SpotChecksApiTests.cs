using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.SpotChecks;

/// <summary>
/// 抽查 over HTTP: the city draws 30 % with a published seed over a county's closed rectification items; a small
/// independent re-implementation (plain SHA-256 and a sort, not the product's code) reproduces the sample from the seed and
/// the published list; the county sees no trace of the sample or the tasks before the check; a sampled item found not done
/// reopens and is counted against whoever signed it off; 401/403/404 and bad input.
/// </summary>
public sealed class SpotChecksApiTests
{
    private const string County = "410325";

    /// <summary>The published algorithm, written again from its description (docs/DEVELOPING.md, Spot checks), share mode.</summary>
    private static List<(string Kind, Guid Id)> IndependentDraw(string seed, string listText, int sharePercent)
    {
        var sample = new List<(string, Guid)>();
        var lines = listText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        foreach (var stratum in lines.GroupBy(l => l[2]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var n = stratum.Count();
            var take = (n * sharePercent + 99) / 100; // ceil(share × n / 100)
            var keyed = stratum.Select(l => (Kind: l[0], Id: Guid.Parse(l[1]),
                    Key: Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed + ":" + l[0] + ":" + l[1]))).ToLowerInvariant()))
                .OrderBy(x => x.Key, StringComparer.Ordinal).Take(take);
            sample.AddRange(keyed.Select(x => (x.Kind, x.Id)));
        }
        return sample;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_city_draws_a_reproducible_sample_the_county_cannot_see_and_a_false_closure_reopens_against_its_signer(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var today = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));
        // A township of the county where nothing was closed yet: its stratum holds only this test's items.
        var township = await app.WithDbAsync(async db =>
        {
            var busy = await db.Set<Assignment>().Where(a => a.Status == AssignmentStatus.Closed).Select(a => a.DivisionCode).ToListAsync();
            var codes = await db.Divisions.Where(d => d.ParentCode == County && d.Level == DivisionLevel.Township).Select(d => d.Code).ToListAsync();
            return codes.OrderBy(c => c, StringComparer.Ordinal).First(c => !busy.Any(b => b.StartsWith(c, StringComparison.Ordinal)));
        });
        var office = await app.LoginAsync("sx-office");
        var verifier = await app.LoginAsync("sx-admin");
        var verifierId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-admin").Select(u => u.Id).SingleAsync());
        var mine = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var a = await Problems.Json(await office.PostAsJsonAsync("/api/assignments",
                new { divisionCode = township, kind = "rectification", title = $"拆除洗选设备 {i}", dueOn = today.AddDays(5).ToString("yyyy-MM-dd") }), HttpStatusCode.Created);
            var id = a.GetProperty("id").GetGuid();
            await Problems.Json(await office.PostAsJsonAsync($"/api/assignments/{id}/complete", new { measures = "已拆除" }), HttpStatusCode.OK);
            await Problems.Json(await verifier.PostAsJsonAsync($"/api/assignments/{id}/verify", new { resolution = "现场核验，同意销号" }), HttpStatusCode.OK);
            mine.Add(id);
        }
        var itemBefore = await office.GetStringAsync($"/api/assignments/{mine[0]}");
        var countyPaths = new[] { "/api/assignments?status=all", "/api/inbox", "/api/notifications" };
        var countyBefore = new List<string>();
        foreach (var path in countyPaths) countyBefore.Add(await office.GetStringAsync(path));

        // Who may draw and read: the city's office; not anonymous, not the city's leader (read-only), not the county.
        var city = await app.LoginAsync("ly-office");
        var seed = "jincheng-2026-" + Guid.NewGuid().ToString("N")[..8];
        var body = new { counties = new[] { County }, kinds = new[] { "rectification" }, from = today.AddDays(-1).ToString("yyyy-MM-dd"),
            to = today.ToString("yyyy-MM-dd"), share = 30, byTownship = true, seed };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/spot-checks", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("ly-leader")).PostAsJsonAsync("/api/spot-checks", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync("/api/spot-checks", body)).StatusCode);
        var draw = await Problems.Json(await city.PostAsJsonAsync("/api/spot-checks", body), HttpStatusCode.Created);
        var drawId = draw.GetProperty("id").GetGuid();
        Assert.Equal(seed, draw.GetProperty("seed").GetString());
        Assert.Equal("sha256-v1", draw.GetProperty("algorithm").GetString());
        Assert.Equal(1, draw.GetProperty("round").GetInt32());
        var items = draw.GetProperty("items").EnumerateArray().ToList();

        // Anyone with the seed and the published list reproduces the sample.
        var listText = await city.GetStringAsync($"/api/spot-checks/{drawId}/list");
        Assert.Equal(draw.GetProperty("listCount").GetInt32(), listText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(draw.GetProperty("listHash").GetString(), Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(listText))).ToLowerInvariant());
        var expected = IndependentDraw(seed, listText, 30);
        Assert.Equal(expected, items.Select(i => (i.GetProperty("kind").GetString()!, i.GetProperty("itemId").GetGuid())).ToList());
        foreach (var id in mine) Assert.Contains($"rectification,{id:D},{township}\n", listText, StringComparison.Ordinal);
        var sampledMine = items.Where(i => mine.Contains(i.GetProperty("itemId").GetGuid())).ToList();
        Assert.Equal(2, sampledMine.Count); // ceil(30 % × 4) in the township's stratum
        var verify = await Problems.Json(await city.GetAsync($"/api/spot-checks/{drawId}/verify"), HttpStatusCode.OK);
        Assert.True(verify.GetProperty("sampleMatches").GetBoolean());
        var tasks = items.Select(i => i.GetProperty("assignmentId").GetGuid()).ToList();
        Assert.Contains(tasks[0].ToString(), await city.GetStringAsync("/api/assignments"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await (await app.LoginAsync("ly-discipline")).GetAsync($"/api/spot-checks/{drawId}")).StatusCode);

        // The county sees no trace: no draw, no task, no notification, no change on the item, in any list, page or export.
        foreach (var user in new[] { "sx-office", "sx-admin", "sx-leader", "sx-police", "sx-discipline", "sx-patrol", "sx-resp" })
        {
            var c = await app.LoginAsync(user);
            foreach (var path in new[] { "/api/spot-checks", $"/api/spot-checks/{drawId}", $"/api/spot-checks/{drawId}/list", $"/api/spot-checks/{drawId}/verify",
                         "/api/spot-checks/signers", "/api/spot-checks/settings" })
                Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync(path)).StatusCode);
            foreach (var path in new[] { "/api/assignments?status=all", "/api/assignments/mine", "/api/inbox", "/api/notifications",
                         "/api/assignments/export.xlsx?status=all&format=csv", "/my-work", "/assignments?status=all", "/" })
            {
                var r = await c.GetAsync(path);
                var text = await r.Content.ReadAsStringAsync();
                Assert.DoesNotContain("抽查核实", text, StringComparison.Ordinal);
                Assert.DoesNotContain(seed, text, StringComparison.Ordinal);
                foreach (var t in tasks) Assert.DoesNotContain(t.ToString(), text, StringComparison.Ordinal);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/api/assignments/{tasks[0]}")).StatusCode);
        }
        Assert.Equal(itemBefore, await office.GetStringAsync($"/api/assignments/{mine[0]}"));
        // Not even a count moves: the county's lists, inbox and notifications read exactly as before the draw.
        for (var i = 0; i < countyPaths.Length; i++) Assert.Equal(countyBefore[i], await office.GetStringAsync(countyPaths[i]));
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/api/spot-checks/{drawId}")).StatusCode);

        // Bad input: nothing is drawn.
        Assert.Contains("种子", await ErrorOf(await city.PostAsJsonAsync("/api/spot-checks", body), "seed"), StringComparison.Ordinal);
        Assert.Contains("0%", await ErrorOf(await city.PostAsJsonAsync("/api/spot-checks", body with { share = 150 }), "share"), StringComparison.Ordinal);
        Assert.Contains("0%", await ErrorOf(await city.PostAsJsonAsync("/api/spot-checks", body with { share = 0 }), "share"), StringComparison.Ordinal);
        Assert.Contains("抽查类型", await ErrorOf(await city.PostAsJsonAsync("/api/spot-checks", body with { kinds = new[] { "party" } }), "kinds"), StringComparison.Ordinal);
        Assert.Contains("管辖", await ErrorOf(await city.PostAsJsonAsync("/api/spot-checks", body with { counties = new[] { "431281" } }), "counties"), StringComparison.Ordinal);
        Assert.Single((await Problems.Json(await city.GetAsync("/api/spot-checks"), HttpStatusCode.OK)).EnumerateArray());

        // A second draw on the same list with a new seed is recorded beside the first, which stays as it was.
        var second = await Problems.Json(await city.PostAsJsonAsync("/api/spot-checks", body with { seed = seed + "-2" }), HttpStatusCode.Created);
        Assert.Equal(2, second.GetProperty("round").GetInt32());
        Assert.Equal(draw.GetProperty("listHash").GetString(), second.GetProperty("listHash").GetString());
        var first = await Problems.Json(await city.GetAsync($"/api/spot-checks/{drawId}"), HttpStatusCode.OK);
        Assert.Equal(items.Select(i => i.GetProperty("id").GetGuid()), first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));

        // By count, sent twice with the same client id: stored once (the second answer is the first draw), and it re-draws.
        var once = new { counties = new[] { County }, kinds = new[] { "rectification" }, from = body.from, to = body.to, count = 1, seed = seed + "-3",
            clientId = Guid.NewGuid() };
        var byCount = await Problems.Json(await city.PostAsJsonAsync("/api/spot-checks", once), HttpStatusCode.Created);
        Assert.Equal(1, byCount.GetProperty("sampleCount").GetInt32());
        var again = await Problems.Json(await city.PostAsJsonAsync("/api/spot-checks", once), HttpStatusCode.OK);
        Assert.Equal(byCount.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(3, (await Problems.Json(await city.GetAsync("/api/spot-checks"), HttpStatusCode.OK)).GetArrayLength());
        Assert.True((await Problems.Json(await city.GetAsync($"/api/spot-checks/{byCount.GetProperty("id").GetGuid()}/verify"), HttpStatusCode.OK))
            .GetProperty("sampleMatches").GetBoolean());
        Assert.Contains("数量", await ErrorOf(await city.PostAsJsonAsync("/api/spot-checks", once with { count = 0, clientId = Guid.NewGuid() }), "count"),
            StringComparison.Ordinal);

        // The check: one confirmed, one found not done → reopened (a repeat) and counted against its signer.
        var ok = sampledMine[0];
        var bad = sampledMine[1];
        var resultUrl = (JsonElement i) => $"/api/spot-checks/{drawId}/items/{i.GetProperty("id").GetGuid()}/result";
        Assert.Contains("核查结果", await ErrorOf(await city.PostAsJsonAsync(resultUrl(bad), new { result = "maybe" }), "result"), StringComparison.Ordinal);
        Assert.Contains("核查发现", await ErrorOf(await city.PostAsJsonAsync(resultUrl(bad), new { result = "not-confirmed" }), "note"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync(resultUrl(bad), new { result = "confirmed" })).StatusCode);
        await Problems.Json(await city.PostAsJsonAsync(resultUrl(ok), new { result = "confirmed" }), HttpStatusCode.OK);
        var recorded = await Problems.Json(await city.PostAsJsonAsync(resultUrl(bad), new { result = "not-confirmed", note = "设备仍在原处，未拆除" }), HttpStatusCode.OK);
        Assert.Equal("not-confirmed", recorded.GetProperty("result").GetString());
        Assert.Equal(verifierId, recorded.GetProperty("signerUserId").GetGuid());
        Assert.Equal(HttpStatusCode.Conflict, (await city.PostAsJsonAsync(resultUrl(bad), new { result = "confirmed" })).StatusCode);

        var reopened = await Problems.Json(await office.GetAsync($"/api/assignments/{bad.GetProperty("itemId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("open", reopened.GetProperty("status").GetString());
        Assert.Equal(1, reopened.GetProperty("reopens").GetInt32());
        Assert.Contains("抽查", reopened.GetProperty("resolution").GetString(), StringComparison.Ordinal);
        var confirmed = await Problems.Json(await office.GetAsync($"/api/assignments/{ok.GetProperty("itemId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("closed", confirmed.GetProperty("status").GetString());
        var signers = await Problems.Json(await (await app.LoginAsync("ly-discipline")).GetAsync("/api/spot-checks/signers"), HttpStatusCode.OK);
        var signer = signers.EnumerateArray().Single(s => s.TryGetProperty("signerUserId", out var u) && u.ValueKind == JsonValueKind.String && u.GetGuid() == verifierId);
        Assert.True(signer.GetProperty("notConfirmed").GetInt32() >= 1);
        var task = await Problems.Json(await city.GetAsync($"/api/assignments/{bad.GetProperty("assignmentId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("closed", task.GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_verified_true_found_false_is_overturned_against_its_verifier_and_drops_out_of_later_lists(string provider)
    {
        var app = await TestApp.Shared(provider);
        var today = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));
        var office = await app.LoginAsync("sx-office");
        var officeId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-office").Select(u => u.Id).SingleAsync());
        var recorded = await Problems.Json(await office.PostAsJsonAsync("/api/tips", new { channel = "Phone", divisionCode = "410325400", kinds = new[] { "transport" },
            description = "抽查 " + Guid.NewGuid().ToString("N")[..8] + " 夜间有车运矿" }), HttpStatusCode.Created);
        var tipId = recorded.GetProperty("tip").GetProperty("id").GetGuid();
        await Problems.Json(await office.PostAsJsonAsync($"/api/tips/{tipId}/verify", new { outcome = "属实", evidence = "现场查获运矿车辆" }), HttpStatusCode.OK);

        var city = await app.LoginAsync("ly-office");
        var body = new { counties = new[] { County }, kinds = new[] { "tip" }, from = today.ToString("yyyy-MM-dd"), to = today.ToString("yyyy-MM-dd"),
            share = 100, seed = "tip-" + Guid.NewGuid().ToString("N")[..12] };
        var draw = await Problems.Json(await city.PostAsJsonAsync("/api/spot-checks", body), HttpStatusCode.Created);
        var item = draw.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("itemId").GetGuid() == tipId);
        Assert.Equal(officeId, item.GetProperty("signerUserId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/spot-checks/{draw.GetProperty("id").GetGuid()}")).StatusCode);
        var result = await Problems.Json(await city.PostAsJsonAsync($"/api/spot-checks/{draw.GetProperty("id").GetGuid()}/items/{item.GetProperty("id").GetGuid()}/result",
            new { result = "not-confirmed", note = "现场无运矿痕迹，核查记录不实" }), HttpStatusCode.OK);
        Assert.Equal("not-confirmed", result.GetProperty("result").GetString());
        var overturned = await app.WithDbAsync(db => db.Set<MineGuard.Features.Tips.Tip>().Where(t => t.Id == tipId).Select(t => t.OverturnedUtc).SingleAsync());
        Assert.NotNull(overturned);
        // A later draw no longer lists it (or, when it was the only one, finds nothing to draw).
        var later = await city.PostAsJsonAsync("/api/spot-checks", body with { seed = body.seed + "-later" });
        if (later.StatusCode == HttpStatusCode.BadRequest) Assert.Contains("没有可抽查", await ErrorOf(later, "counties"), StringComparison.Ordinal);
        else Assert.DoesNotContain(tipId.ToString("D"),
            await city.GetStringAsync($"/api/spot-checks/{(await Problems.Json(later, HttpStatusCode.Created)).GetProperty("id").GetGuid()}/list"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_check_in_found_false_is_marked_faked_against_its_patrol_member(string provider)
    {
        var app = await TestApp.Shared(provider);
        var today = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));
        var kit = await MineGuard.Tests.Features.Patrols.FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        await kit.RunAsync(kit.GenuinePatrol(adit, out _, out var checkInId, seed: 11), checkInId);
        var memberId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == kit.UserName).Select(u => u.Id).SingleAsync());

        var city = await app.LoginAsync("ly-office");
        var draw = await Problems.Json(await city.PostAsJsonAsync("/api/spot-checks", new { counties = new[] { County }, kinds = new[] { "check-in" },
            from = today.AddDays(-1).ToString("yyyy-MM-dd"), to = today.ToString("yyyy-MM-dd"), share = 100, seed = "ci-" + Guid.NewGuid().ToString("N")[..12] }),
            HttpStatusCode.Created);
        var item = draw.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("itemId").GetGuid() == checkInId);
        Assert.Equal(memberId, item.GetProperty("signerUserId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Office.GetAsync($"/api/spot-checks/{draw.GetProperty("id").GetGuid()}")).StatusCode);
        await Problems.Json(await city.PostAsJsonAsync($"/api/spot-checks/{draw.GetProperty("id").GetGuid()}/items/{item.GetProperty("id").GetGuid()}/result",
            new { result = "not-confirmed", note = "巡查员当日未到现场" + new string('。', 1900) }), HttpStatusCode.OK);
        // The spot check's note may be 2,000 characters, the check-in's finding 500: cut there (before, refused naming "FakedNote").
        var faked = await app.WithDbAsync(db => db.Set<MineGuard.Features.Patrols.CheckIn>().Where(c => c.Id == checkInId).Select(c => new { c.FakedUtc, c.FakedNote }).SingleAsync());
        Assert.NotNull(faked.FakedUtc);
        Assert.StartsWith("上级抽查核查不属实：巡查员当日未到现场", faked.FakedNote, StringComparison.Ordinal);
        Assert.Equal((MineGuard.Features.Patrols.CheckIn.FakedNoteMax, '…'), (faked.FakedNote!.Length, faked.FakedNote[^1]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_default_share_is_a_setting_of_the_drawing_level(string provider)
    {
        var app = await TestApp.Shared(provider);
        var city = await app.LoginAsync("ly-office");
        var setting = await Problems.Json(await city.GetAsync("/api/spot-checks/settings"), HttpStatusCode.OK);
        Assert.Equal("4103", setting.GetProperty("divisionCode").GetString());
        Assert.Contains("0%", await ErrorOf(await city.PutAsJsonAsync("/api/spot-checks/settings", new { defaultShare = 101 }), "defaultShare"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("ly-discipline")).PutAsJsonAsync("/api/spot-checks/settings", new { defaultShare = 40 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-office")).PutAsJsonAsync("/api/spot-checks/settings", new { defaultShare = 40 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/spot-checks/settings")).StatusCode);
    }

    /// <summary>The worked example of docs/DEVELOPING.md (Spot checks), through the product's algorithm.</summary>
    [Fact]
    public void The_documented_worked_example_holds()
    {
        static MineGuard.Features.SpotChecks.SpotCheckAlgorithm.Entry E(string kind, int n, string stratum) =>
            new(kind, Guid.Parse($"0190a1b2-0000-7000-8000-{n:D12}"), stratum);
        var list = new[]
        {
            E("rectification", 1, "410325100"), E("rectification", 2, "410325100"), E("rectification", 3, "410325100"),
            E("rectification", 4, "410325100"), E("tip", 5, "410325200"), E("tip", 6, "410325200"),
        };
        Assert.Equal("5414224e09eb7ecf402419c2a113b244b028deed5aa72f01285f3d473f26fc61",
            MineGuard.Features.SpotChecks.SpotCheckAlgorithm.Key("jincheng-2026-12", "rectification", list[1].Id));
        var sample = MineGuard.Features.SpotChecks.SpotCheckAlgorithm.Draw("jincheng-2026-12", list, 30m, null);
        Assert.Equal([list[1], list[3], list[5]], sample.Select(p => p.Entry));
        // By count: 4 split 4 × 4/6 = 2.67 → 2 and 4 × 2/6 = 1.33 → 1, the one left to the larger remainder (410325100).
        Assert.Equal([3, 1], MineGuard.Features.SpotChecks.SpotCheckAlgorithm.Quotas([("410325100", 4), ("410325200", 2)], 6, null, 4));
    }
}
