using System.Net;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>The office's tip pages: behind the log-in, scoped, and their forms act.</summary>
public sealed class TipsPagesTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Office_pages_need_a_log_in_stay_in_scope_and_act_through_their_forms(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: "页面 " + Guid.NewGuid().ToString("N")[..6]));
        var id = await TipIdAsync(app, sent.Code!);
        foreach (var path in new[] { "/tips", $"/tips/{id}", "/tips/stats", "/petitions" })
        {
            var anonymous = await app.Anonymous().GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Contains("/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        var office = await app.LoginAsync("hj-office");
        Assert.Contains(id.ToString(), await office.GetStringAsync("/tips"), StringComparison.Ordinal);
        Assert.Contains("分派核查", await office.GetStringAsync($"/tips/{id}"), StringComparison.Ordinal);
        Assert.Contains("合计", await office.GetStringAsync("/tips/stats"), StringComparison.Ordinal);
        Assert.Contains("登记并转办", await office.GetStringAsync("/petitions"), StringComparison.Ordinal);
        var songxian = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.GetAsync($"/tips/{id}")).StatusCode);
        Assert.DoesNotContain(id.ToString(), await songxian.GetStringAsync("/tips"), StringComparison.Ordinal);

        // A form post: a question to the tipster, then a verification without a result (refused beside the form).
        var token = await TestApp.AntiForgeryTokenAsync(office, $"/tips/{id}");
        var asked = await office.PostAsync($"/tips/{id}?handler=Message", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Text"] = "请问是白天还是夜里？", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var (_, receipt) = await ReceiptAsync(app.Anonymous(), sent.Code!);
        Assert.Contains("请问是白天还是夜里？", receipt, StringComparison.Ordinal);
        var refused = await office.PostAsync($"/tips/{id}?handler=Verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Outcome"] = "", ["Evidence"] = "", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("请选择核查结果", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Only the reward officer and the discipline commission may reveal a tipster.
        var reveal = await office.PostAsync($"/tips/{id}?handler=Tipster", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.NotEqual(HttpStatusCode.OK, reveal.StatusCode);
    }
}
