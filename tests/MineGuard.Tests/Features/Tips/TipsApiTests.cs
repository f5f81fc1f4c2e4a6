using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Tips;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>The office's inbox and the reward path, with the tipster on the other side of the receipt code.</summary>
public sealed class TipsApiTests
{
    private static async Task<(string Code, Guid Id)> TipAsync(TestApp app, string description, string division = "431281101",
        string? lon = null, string? lat = null, string? name = null, string? phone = null)
    {
        var sent = await SubmitAsync(app.Anonymous(), Fields(division: division, description: description, place: null, lon: lon, lat: lat, name: name, phone: phone), pow: true);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        return (sent.Code!, await TipIdAsync(app, sent.Code!));
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Tips_need_a_log_in_stay_in_their_county_and_name_bad_fields(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, id) = await TipAsync(app, "权限 " + Guid.NewGuid().ToString("N")[..6]);
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/tips")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/tips/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "属实", evidence = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/tips/{id}/tipster", new { })).StatusCode);

        var songxian = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.GetAsync($"/api/tips/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.PostAsJsonAsync($"/api/tips/{id}/triage", new { note = "x" })).StatusCode);
        Assert.DoesNotContain((await songxian.GetFromJsonAsync<JsonElement>("/api/tips")).EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);

        var office = await app.LoginAsync("hj-office");
        var bad = await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "也许", evidence = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("属实", problem.GetProperty("errors").GetProperty("outcome")[0].GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("evidence", out _));
        var badAssign = await office.PostAsJsonAsync($"/api/tips/{id}/assign", new { divisionCode = "410325100", dueOn = "明天" });
        Assert.Equal(HttpStatusCode.BadRequest, badAssign.StatusCode);
        var errors = (await badAssign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("divisionCode", out _));
        Assert.True(errors.TryGetProperty("dueOn", out _));
        var leader = await app.LoginAsync("hj-leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"/api/tips/{id}/triage", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/tips/{id}")).StatusCode);
        // Rewards and identities: not the office's.
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/tips/{id}/tipster", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/tips/rewards/{Guid.NewGuid()}/approve", new { })).StatusCode);
        var sxReward = await app.LoginAsync("sx-reward");
        Assert.Equal(HttpStatusCode.NotFound, (await sxReward.PostAsJsonAsync($"/api/tips/{id}/tipster", new { })).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_goes_from_inbox_to_verified_and_its_reward_is_proposed_approved_claimed_and_paid(string provider)
    {
        var app = await TestApp.Shared(provider);
        var marker = "全流程 " + Guid.NewGuid().ToString("N")[..6];
        var (code, id) = await TipAsync(app, marker + " 夜里有人在山后打洞，有发电机声音");
        var office = await app.LoginAsync("hj-office");
        var inbox = await office.GetFromJsonAsync<JsonElement>("/api/tips?status=New");
        Assert.Contains(inbox.EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/tips?status=Lost")).StatusCode);

        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/triage", new { note = "位置具体，需核查" }));
        var assigned = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/assign", new { divisionCode = "431281101", departmentCode = "natural-resources" }));
        Assert.Equal("核查中", assigned.GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow().AddHours(8).Date.AddDays(7).ToString("yyyy-MM-dd"), assigned.GetProperty("dueOn").GetString());
        Assert.Contains("黔城镇", assigned.GetProperty("assignedTo").GetString(), StringComparison.Ordinal);

        // A question through the receipt: the tipster reads and answers it; the office never learns who.
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/messages", new { text = "请问洞口大概在哪个山头？" }));
        var (_, page) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("请问洞口大概在哪个山头？", page, StringComparison.Ordinal);
        Assert.Contains("正在核查", page, StringComparison.Ordinal);
        var (answered, _) = await ReceiptAsync(app.Anonymous(), code, "answer", new() { ["text"] = "在老鸦岭北坡，电线杆旁边" });
        Assert.Equal(HttpStatusCode.OK, answered);
        var (emptyAnswer, emptyHtml) = await ReceiptAsync(app.Anonymous(), code, "answer", new() { ["text"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, emptyAnswer);
        Assert.Contains("data-for=\"Text\"", emptyHtml, StringComparison.Ordinal);
        var detail = await office.GetFromJsonAsync<JsonElement>($"/api/tips/{id}");
        Assert.Equal("在老鸦岭北坡，电线杆旁边", detail.GetProperty("messages")[1].GetProperty("text").GetString());
        Assert.False(detail.GetProperty("awaitingTipster").GetBoolean());

        // Verified true: Hongjiang's rule proposes 2,000 yuan, due within 30 days.
        var verified = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "属实", evidence = "现场发现新开硐口一处，发电机一台" }));
        var reward = verified.GetProperty("rewards")[0];
        Assert.Equal(2000, reward.GetProperty("amount").GetInt32());
        Assert.Equal("拟奖励", reward.GetProperty("status").GetString());
        Assert.Equal(0, reward.GetProperty("daysToPay").GetInt32());
        Assert.False(reward.GetProperty("overdue").GetBoolean());
        var rewardId = reward.GetProperty("id").GetGuid();
        var conflict = await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "不属实", evidence = "x" });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        // The reward officer was told.
        var told = await app.WithDbAsync(db => db.Set<MineGuard.Platform.Notifications.Notification>().CountAsync(n => n.SourceId == rewardId));
        Assert.True(told >= 1);

        // A case filed on it raises the proposal to the case tier.
        var filed = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/case", new { caseNumber = "洪自然资立〔2026〕" + marker[^6..], filedOn = "2026-11-02" }));
        Assert.Equal(20000, filed.GetProperty("rewards")[0].GetProperty("amount").GetInt32());
        Assert.Equal("立案奖励", filed.GetProperty("rewards")[0].GetProperty("tier").GetString());

        // The tipster sees it and claims it with a payout method of their choice.
        (_, page) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("20000 元", page, StringComparison.Ordinal);
        var (badClaim, badClaimHtml) = await ReceiptAsync(app.Anonymous(), code, "claim", new() { ["method"] = "微信" });
        Assert.Equal(HttpStatusCode.BadRequest, badClaim);
        Assert.Contains("data-for=\"Account\"", badClaimHtml, StringComparison.Ordinal);
        var (claimed, claimHtml) = await ReceiptAsync(app.Anonymous(), code, "claim", new() { ["method"] = "银行卡", ["account"] = "6222020200112233445", ["name"] = "李四" });
        Assert.Equal(HttpStatusCode.OK, claimed);
        Assert.Contains("已申领奖励", claimHtml, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Set<Reward>().SingleAsync(r => r.Id == rewardId));
        Assert.DoesNotContain("6222020200112233445", stored.ClaimProtected!, StringComparison.Ordinal);

        // Approval and payout: the reward officer only.
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { })).StatusCode);
        var officer = await app.LoginAsync("hj-reward");
        var early = await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", new { method = "银行转账" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        await OkAsync(await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { }));
        var claim = await OkAsync(await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/claim", new { }));
        Assert.Equal("6222020200112233445", claim.GetProperty("account").GetString());
        var badPay = await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", new { amount = -5, method = "" });
        Assert.Equal(HttpStatusCode.BadRequest, badPay.StatusCode);
        // The approver may not pay (three hands: verifier, approver, payer): a second reward officer does.
        var payment = new { amount = 20000, paidOn = "2026-11-02", method = "银行转账", reference = "HJ-2026-001" };
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", payment)).StatusCode);
        var paid = await OkAsync(await (await app.LoginAsync("hj-reward2")).PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", payment));
        var p = paid.GetProperty("rewards")[0];
        Assert.Equal("已兑现", p.GetProperty("status").GetString());
        Assert.Equal("2026-11-02", p.GetProperty("paidOn").GetString());
        Assert.Equal(0, p.GetProperty("daysToPay").GetInt32());
        (_, page) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("已兑现", page, StringComparison.Ordinal);
        var reads = await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.Action == "read" && a.EntityId == rewardId.ToString()));
        Assert.Equal(1, reads);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_named_tipster_is_seen_only_by_the_reward_officer_and_the_discipline_commission_each_view_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, id) = await TipAsync(app, "实名 " + Guid.NewGuid().ToString("N")[..6], name: "王五", phone: "13812345678");
        var raw = await app.WithDbAsync(db => db.Set<Tip>().SingleAsync(t => t.Id == id));
        Assert.DoesNotContain("王五", raw.TipsterProtected!, StringComparison.Ordinal);
        var office = await app.LoginAsync("hj-office");
        var detail = await office.GetStringAsync($"/api/tips/{id}");
        Assert.DoesNotContain("王五", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("hj-police")).PostAsJsonAsync($"/api/tips/{id}/tipster", new { })).StatusCode);
        // Departments see their share (docs/DEVELOPING.md): neither sees a tip not yet given to them.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-discipline")).PostAsJsonAsync($"/api/tips/{id}/tipster", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-reward")).PostAsJsonAsync($"/api/tips/{id}/tipster", new { })).StatusCode);
        // Handed to the discipline commission, it is theirs; verified, its reward (and tipster) is the reward officer's.
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(7)).ToString("yyyy-MM-dd");
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/assign", new { divisionCode = "431281101", departmentCode = "discipline", dueOn = due }));
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "属实", evidence = "核实属实" }));
        foreach (var who in new[] { "hj-reward", "hj-discipline" })
        {
            var seen = await OkAsync(await (await app.LoginAsync(who)).PostAsJsonAsync($"/api/tips/{id}/tipster", new { }));
            Assert.Equal("王五", seen.GetProperty("name").GetString());
            Assert.Equal("13812345678", seen.GetProperty("phone").GetString());
        }
        var reads = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.Action == "read" && a.EntityId == id.ToString()).Select(a => a.ActorName).ToListAsync());
        Assert.Equal(["hj-discipline", "hj-reward"], reads.Order(StringComparer.Ordinal));
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id.ToString()).Select(a => a.Changes ?? "").ToListAsync());
        Assert.All(audit, c => Assert.DoesNotContain(raw.TipsterProtected!, c, StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Probable_duplicates_are_proposed_and_merged(string provider)
    {
        var app = await TestApp.Shared(provider);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var lon = 110.2 + Random.Shared.Next(1000) / 10000.0;
        var (_, first) = await TipAsync(app, $"第一条 {tag} 有车拉矿石", lon: lon.ToString("F6"), lat: "27.200000");
        var (_, near) = await TipAsync(app, $"完全不同的描述 {tag}", lon: (lon + 0.002).ToString("F6"), lat: "27.200500");
        var (_, far) = await TipAsync(app, $"别处 {tag}", lon: (lon + 0.2).ToString("F6"), lat: "27.400000");
        var (_, alike) = await TipAsync(app, $"岩鹰坡半山腰废弃硐口{tag}又被人挖开了，晚上有灯光和发电机响");
        var (_, alike2) = await TipAsync(app, $"岩鹰坡半山腰废弃硐口{tag}被人挖开了，晚上有灯光、发电机响");
        var office = await app.LoginAsync("hj-office");
        var dups = await office.GetFromJsonAsync<JsonElement>($"/api/tips/{near}/duplicates");
        var ids = dups.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(first, ids);
        Assert.DoesNotContain(far, ids);
        Assert.Contains("米", dups.EnumerateArray().First(d => d.GetProperty("id").GetGuid() == first).GetProperty("reason").GetString(), StringComparison.Ordinal);
        var textDups = await office.GetFromJsonAsync<JsonElement>($"/api/tips/{alike2}/duplicates");
        Assert.Contains(textDups.EnumerateArray(), d => d.GetProperty("id").GetGuid() == alike && d.GetProperty("reason").GetString()!.StartsWith("内容相似", StringComparison.Ordinal));

        var merged = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{near}/merge", new { intoTipId = first }));
        Assert.Equal("已合并", merged.GetProperty("status").GetString());
        Assert.Equal(first, merged.GetProperty("mergedIntoId").GetGuid());
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/tips/{far}/merge", new { intoTipId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/tips/{near}/merge", new { intoTipId = far })).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_links_to_an_adit_of_its_county_only(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, id) = await TipAsync(app, "矿硐 " + Guid.NewGuid().ToString("N")[..6]);
        var numbers = await app.WithDbAsync(db => db.Set<MineGuard.Features.Adits.Adit>().Select(a => new { a.Number, a.CountyCode }).ToListAsync());
        var office = await app.LoginAsync("hj-office");
        if (numbers.FirstOrDefault(a => a.CountyCode == "410325") is { } other)
        {
            var refused = await office.PostAsJsonAsync($"/api/tips/{id}/adit", new { aditNumber = other.Number });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/tips/{id}/adit", new { aditNumber = "" })).StatusCode);
        if (numbers.FirstOrDefault(a => a.CountyCode == "431281") is { } own)
        {
            var linked = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/adit", new { aditNumber = own.Number }));
            Assert.Equal(own.Number, linked.GetProperty("aditNumber").GetString());
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Counties_configure_their_own_reward_rule(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var current = await sx.GetFromJsonAsync<JsonElement>("/api/tips/reward-rules/410325");
        Assert.True(current.GetProperty("verifiedAmount").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await sx.GetAsync("/api/tips/reward-rules/431281")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sx.PutAsJsonAsync("/api/tips/reward-rules/431281", new { verifiedAmount = 1, caseAmount = 2, payWithinDays = 3 })).StatusCode);
        var bad = await sx.PutAsJsonAsync("/api/tips/reward-rules/410325", new { verifiedAmount = 3000, caseAmount = 1000, payWithinDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("caseAmount", out _));
        Assert.True(errors.TryGetProperty("payWithinDays", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).PutAsJsonAsync("/api/tips/reward-rules/410325", new { verifiedAmount = 1000, caseAmount = 10000, payWithinDays = 15 })).StatusCode);
        var set = await OkAsync(await sx.PutAsJsonAsync("/api/tips/reward-rules/410325", new { verifiedAmount = 1000, caseAmount = 10000, payWithinDays = 15 }));
        Assert.Contains("1000 元", set.GetProperty("text").GetString(), StringComparison.Ordinal);
        var html = await app.Anonymous().GetStringAsync("/report");
        Assert.Contains("奖励 1000 元", html, StringComparison.Ordinal);
        Assert.Contains("15 日内兑现", html, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Statistics_count_tips_by_channel_township_and_outcome_and_export_to_excel(string provider)
    {
        var app = await TestApp.Shared(provider);
        await TipAsync(app, "统计 " + Guid.NewGuid().ToString("N")[..6], division: "431281102");
        var office = await app.LoginAsync("hj-office");
        var stats = await office.GetFromJsonAsync<JsonElement>("/api/tips/stats");
        var rows = stats.EnumerateArray().ToList();
        Assert.Equal("合计", rows[0].GetProperty("dimension").GetString());
        Assert.Contains(rows, r => r.GetProperty("dimension").GetString() == "渠道" && r.GetProperty("category").GetString() == "网上举报");
        Assert.Contains(rows, r => r.GetProperty("dimension").GetString() == "乡镇" && r.GetProperty("category").GetString() == "安江镇");
        Assert.Contains(rows, r => r.GetProperty("dimension").GetString() == "核查结果" && r.GetProperty("category").GetString() == "未核查");
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/tips/stats?from=昨天")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/tips/stats.xlsx")).StatusCode);
        var xlsx = await office.GetAsync("/api/tips/stats.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var sheet = SheetReader.Read(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), "s.xlsx").ToList();
        Assert.Equal("维度", sheet[0].Cell(0));
        Assert.Equal("合计", sheet[1].Cell(0));
        Assert.Contains(sheet, r => r.Cell(1) == "安江镇");
        // Songxian's statistics do not count Hongjiang's tips.
        var sx = await (await app.LoginAsync("sx-office")).GetFromJsonAsync<JsonElement>("/api/tips/stats");
        Assert.DoesNotContain(sx.EnumerateArray(), r => r.GetProperty("category").GetString() == "安江镇");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Days_to_pay_run_from_verification_and_a_reward_past_the_promise_is_flagged(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, id) = await TipAsync(app, "逾期 " + Guid.NewGuid().ToString("N")[..6]);
        var office = await app.LoginAsync("hj-office");
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "部分属实", evidence = "发现矿渣" }));
        app.Clock.Advance(TimeSpan.FromDays(31));
        office = await app.LoginAsync("hj-office");
        var inbox = await office.GetFromJsonAsync<JsonElement>("/api/tips?flag=pay-overdue");
        var item = Assert.Single(inbox.EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal(31, item.GetProperty("reward").GetProperty("daysToPay").GetInt32());
        Assert.True(item.GetProperty("reward").GetProperty("overdue").GetBoolean());
        var page = await office.GetStringAsync("/tips");
        Assert.Contains("pay-overdue", page, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Staff_record_a_hotline_tip_in_their_county_and_the_caller_follows_it_with_the_code(string provider)
    {
        var app = await TestApp.Shared(provider);
        var body = new { channel = "Phone", divisionCode = "431281103", kinds = new[] { "transport" }, description = "热线：托口镇夜间有车运矿 " + Guid.NewGuid().ToString("N")[..6] };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/tips", body)).StatusCode);
        var sx = await app.LoginAsync("sx-office");
        var outside = await sx.PostAsJsonAsync("/api/tips", body);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.True((await outside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("divisionCode", out _));
        var office = await app.LoginAsync("hj-office");
        var noChannel = await office.PostAsJsonAsync("/api/tips", new { divisionCode = "431281103", description = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, noChannel.StatusCode);
        Assert.True((await noChannel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("channel", out _));
        var created = await office.PostAsJsonAsync("/api/tips", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var recorded = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("电话", recorded.GetProperty("tip").GetProperty("channel").GetString());
        var code = recorded.GetProperty("receiptCode").GetString()!;
        var (status, page) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("已收到", page, StringComparison.Ordinal);
        var id = recorded.GetProperty("tip").GetProperty("id").GetString();
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.EntityId == id && a.Action == "create" && a.ActorName == "hj-office")));
    }
}
