using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>
/// The reward as an anonymous tipster reads it on the receipt page (/report/receipt): it says what happened, and never
/// 已兑现 for a tipster who gave no payout method (issue 11).
/// </summary>
public sealed class RewardStateTests
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string RewardBox(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("#reward")?.TextContent ?? "";

    [Theory, OnSqlite, OnPostgres]
    public async Task An_approved_reward_waits_for_the_anonymous_tipster_and_is_paid_only_to_the_method_they_chose(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: "奖励状态 " + Guid.NewGuid().ToString("N")[..6] + " 山后有人打洞", place: null), pow: true);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var code = sent.Code!;
        var id = await TipIdAsync(app, code);
        var office = await app.LoginAsync("hj-office");
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/triage", new { note = "需核查" }));
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/assign", new { divisionCode = "431281101", departmentCode = "natural-resources" }));
        var verified = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "属实", evidence = "现场发现新开硐口" }));
        var rewardId = verified.GetProperty("rewards")[0].GetProperty("id").GetGuid();

        var (_, html) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("拟奖励，正在审批", RewardBox(html), StringComparison.Ordinal);
        Assert.Contains("选择领取方式", RewardBox(html), StringComparison.Ordinal);

        var officer = await app.LoginAsync("hj-reward");
        await OkAsync(await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/approve", new { }));
        (_, html) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("已审批，等待您申领", RewardBox(html), StringComparison.Ordinal);
        Assert.DoesNotContain("已兑现", RewardBox(html), StringComparison.Ordinal);

        // No payout method from the tipster: the office cannot record a payout (it would show 已兑现 to someone unpaid).
        var refused = await officer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", new { method = "现金" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("RewardNotClaimed", problem.GetProperty("code").GetString());
        Assert.Contains("尚未凭查询码申领", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        (_, html) = await ReceiptAsync(app.Anonymous(), code);
        Assert.DoesNotContain("已兑现", RewardBox(html), StringComparison.Ordinal);
        Assert.NotNull(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("#claim-form"));

        // The tipster chooses to collect in person; the page says so; the payout is then recorded and shown as paid.
        var (claimed, _) = await ReceiptAsync(app.Anonymous(), code, "claim", new() { ["method"] = "现场领取" });
        Assert.Equal(HttpStatusCode.OK, claimed);
        (_, html) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("已审批，等待发放", RewardBox(html), StringComparison.Ordinal);
        Assert.Contains("您已提交领取方式", RewardBox(html), StringComparison.Ordinal);
        // Paid by a second reward officer: approval and payment are two people.
        var payer = await app.LoginAsync("hj-reward2");
        await OkAsync(await payer.PostAsJsonAsync($"/api/tips/rewards/{rewardId}/pay", new { method = "现场领取", reference = "HJ-XC-01" }));
        (_, html) = await ReceiptAsync(app.Anonymous(), code);
        Assert.Contains("已兑现", RewardBox(html), StringComparison.Ordinal);
        Assert.Contains("（现场领取）", RewardBox(html), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Paying_needs_a_log_in_and_the_reward_officer_of_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync($"/api/tips/rewards/{id}/pay", new { method = "现金" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync($"/api/tips/rewards/{id}/pay", new { method = "现金" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-reward")).PostAsJsonAsync($"/api/tips/rewards/{id}/pay", new { method = "现金" })).StatusCode);
    }
}
