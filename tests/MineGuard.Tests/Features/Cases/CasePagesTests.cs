using System.Net.Http.Json;
using System.Net;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;

namespace MineGuard.Tests.Features.Cases;

/// <summary>The case pages over HTTP: behind the log-in, in scope and department, filing from a clue's 立案 button, forms refusing bad input.</summary>
public sealed class CasePagesTests
{
    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TestApp.AntiForgeryTokenAsync(client, "/cases");
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_verified_clue_is_filed_from_its_page_and_the_case_page_refuses_bad_input_then_acts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var officers = await OfficersAsync(app, "natural-resources");
        var clue = await NewVerifiedClueAsync(app, office, "周八");
        Assert.Contains($"/cases/new?clue={clue}", await office.GetStringAsync($"/clues/{clue}"), StringComparison.Ordinal);
        Assert.Contains("来源线索", await office.GetStringAsync($"/cases/new?clue={clue}"), StringComparison.Ordinal);

        // One officer: the form again with the reason, nothing filed.
        var form = new Dictionary<string, string>
        {
            ["Input.Type"] = "reopened-adit", ["Input.Title"] = "页面立案测试", ["Input.DivisionCode"] = "410325400", ["Input.DepartmentCode"] = "natural-resources",
            ["Input.OfficerIds"] = officers[0].Id.ToString(),
        };
        var refused = await PostAsync(office, $"/cases/new?clue={clue}", new(form));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("至少两名", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ClueState.Verified, await ClueStateAsync(app, clue));

        var content = new List<KeyValuePair<string, string>>(form.Where(f => f.Key != "Input.OfficerIds"))
        {
            new("Input.OfficerIds", officers[0].Id.ToString()), new("Input.OfficerIds", officers[1].Id.ToString()),
            new("__RequestVerificationToken", await TestApp.AntiForgeryTokenAsync(office, "/cases")),
        };
        var filed = await office.PostAsync($"/cases/new?clue={clue}", new FormUrlEncodedContent(content));
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var url = filed.Headers.Location!.OriginalString;
        Assert.Matches("^/cases/[0-9a-f-]{36}\\?done=filed$", url);
        var id = Guid.Parse(url[7..43]);
        Assert.Equal(ClueState.Closed, await ClueStateAsync(app, clue));
        var page = await office.GetStringAsync(url);
        Assert.Contains("已立案", page, StringComparison.Ordinal);
        Assert.Contains("data-print", page, StringComparison.Ordinal);
        Assert.Contains("/help/cases", page, StringComparison.Ordinal);

        // The list finds it; others do not reach it.
        var number = await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == id).Select(c => c.Number).SingleAsync());
        Assert.Contains(id.ToString(), await office.GetStringAsync($"/cases?q={Uri.EscapeDataString(number)}"), StringComparison.Ordinal);
        Assert.Contains("暂无", await office.GetStringAsync($"/cases?q={Guid.NewGuid():N}"), StringComparison.Ordinal);
        var anonymous = await app.Anonymous().GetAsync($"/cases/{id}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-patrol")).GetAsync($"/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-police")).GetAsync($"/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(await app.LoginAsync("hj-office"), $"/cases/{id}?handler=Party", new() { ["Name"] = "周八" })).StatusCode);

        // A bad ID number: shown beside the field, nothing added; then the party, and the gap is closed.
        var bad = await PostAsync(office, $"/cases/{id}?handler=Party", new() { ["Kind"] = "person", ["Name"] = "周八", ["IdNumber"] = TestIds.WithWrongCheck(TestIds.Next()) });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("身份证号校验位不正确", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<CaseParty>().CountAsync(p => p.CaseId == id)));
        var added = await PostAsync(office, $"/cases/{id}?handler=Party", new() { ["Kind"] = "person", ["Name"] = "周八", ["IdNumber"] = TestIds.Next() });
        Assert.Equal($"/cases/{id}?done=party", added.Headers.Location!.OriginalString);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<CaseParty>().CountAsync(p => p.CaseId == id)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Only_the_head_is_offered_and_may_use_the_transfer_decision_on_the_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var id = (await DirectCaseAsync(office, "natural-resources", (await OfficersAsync(app, "natural-resources")).Select(o => o.Id))).GetProperty("id").GetGuid();
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/report", new { reason = "盗采金矿石 30 吨，涉嫌非法采矿罪" }));

        // The office sees the case waiting for the head, without the form; its post is refused and changes nothing.
        Assert.DoesNotContain("负责人审批</button>", await office.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
        var refused = await PostAsync(office, $"/cases/{id}?handler=TransferDecision", new() { ["Approved"] = "true" });
        Assert.Contains("只有机关负责人可以审批", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CaseStage.TransferReported, await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == id).Select(c => c.Stage).SingleAsync()));

        var head = await app.LoginAsync("sx-head");
        Assert.Contains("/cases", await head.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Contains("负责人审批</button>", await head.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
        var approved = await PostAsync(head, $"/cases/{id}?handler=TransferDecision", new() { ["Approved"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(CaseStage.TransferApproved, await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == id).Select(c => c.Stage).SingleAsync()));
    }
}
