using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using MineGuard.Features.Demo;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>举报奖励: verification, approval and payment are three different people (approval and payment may merge by setting).</summary>
public sealed class RewardSeparationTests
{
    private static async Task<(Guid TipId, Guid RewardId)> VerifiedTipAsync(TestApp app, HttpClient verifier, bool named = false)
    {
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: "分离 " + Guid.NewGuid().ToString("N")[..8],
            name: named ? "实名举报人" : null, phone: named ? "13900001111" : null), pow: true);
        var tipId = await TipIdAsync(app, sent.Code!);
        var verified = await verifier.PostAsJsonAsync($"/api/tips/{tipId}/verify", new { outcome = "属实", evidence = "现场发现新挖矿硐" });
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        var detail = await verified.Content.ReadFromJsonAsync<JsonElement>();
        return (tipId, detail.GetProperty("rewards")[0].GetProperty("id").GetGuid());
    }

    private static async Task AssertRule(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString()!);
    }

    /// <summary>
    /// A user of the office who is also a reward officer: the office may verify any tip of the county (a reward officer
    /// alone sees only verified ones), so this is the one person who could verify and then decide the reward.
    /// </summary>
    private static async Task<HttpClient> OfficeAndRewardAsync(TestApp app, Func<string, Task<HttpClient>>? login = null)
    {
        var admin = await app.LoginAsync("hj-admin");
        var name = "dual" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "兼任奖励经办人", password = DemoData.Password, divisionCode = "431281",
            departmentCode = "natural-resources", roles = new[] { "office", "reward" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return login is null ? await app.LoginAsync(name) : await login(name);
    }

    private static readonly object Payment = new { amount = 2000, method = "银行转账", reference = "HJ-SEP-1" };

    [Theory, OnSqlite, OnPostgres]
    public async Task One_reward_officer_cannot_verify_approve_and_pay_alone(string provider)
    {
        var app = await TestApp.Shared(provider);
        var first = await OfficeAndRewardAsync(app);
        var second = await app.LoginAsync("hj-reward2");
        // A reward officer who also works in the office may verify a tip, and then may not decide its reward.
        var (_, rewardId) = await VerifiedTipAsync(app, first, named: true);
        await AssertRule(await first.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { }), "RewardDecidedByVerifier");
        await AssertRule(await first.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/refuse", new { reason = "不发" }), "RewardDecidedByVerifier");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-reward")).PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { })).StatusCode);

        // Neither the approver nor the verifier may pay.
        await AssertRule(await second.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", Payment), "RewardPayerIsApprover");
        await AssertRule(await first.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", Payment), "RewardDecidedByVerifier");
        var bad = await second.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", new { amount = -1, method = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_county_may_merge_approval_and_payment_but_never_verification(string provider)
    {
        var app = await TestApp.Shared(provider);
        await using var merged = app.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["Tips:MergeApprovalAndPayment"] = "true" })));
        async Task<HttpClient> Login(string user)
        {
            var client = merged.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            Assert.Equal(HttpStatusCode.Redirect, (await TestApp.PostLoginAsync(client, user, DemoData.Password)).StatusCode);
            return client;
        }
        var office = await Login("hj-office");
        var officer = await Login("hj-reward");
        var (_, rewardId) = await VerifiedTipAsync(app, office, named: true);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { })).StatusCode);
        var paid = await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", Payment);
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());

        // Even merged, the verifier may not approve.
        var dual = await OfficeAndRewardAsync(app, Login);
        var (_, other) = await VerifiedTipAsync(app, dual);
        await AssertRule(await dual.PostAsJsonAsync($"/api/tips/rewards/{other}/approve", new { }), "RewardDecidedByVerifier");
    }
}
