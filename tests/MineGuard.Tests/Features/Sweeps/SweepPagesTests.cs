using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Features.Clues;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Sweeps;

/// <summary>The sweep and ledger pages (issue 17): lists with coverage and export links, the problem page's forms, scope.</summary>
public sealed class SweepPagesTests
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TestApp.AntiForgeryTokenAsync(client, "/sweeps");
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_sees_coverage_and_ledgers_and_lists_a_problem_for_rectification_on_its_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = "P" + Guid.NewGuid().ToString("N")[..8];
        var sweep = (await SweepsApiTests.SweepAsync(office, $"{mark} 大排查")).GetProperty("id").GetGuid();
        var created = await office.PostAsJsonAsync("/api/inspections", new
        {
            sweepId = sweep, placeKind = "coal-yard", placeName = $"{mark} 煤场", divisionCode = "410325400",
            problems = new object[] { new { classification = "transport", description = $"{mark} 无证堆放矿石" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var problem = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems")[0].GetProperty("id").GetGuid();

        Assert.Contains($"/sweeps/{sweep}", await office.GetStringAsync($"/sweeps?q={mark}"), StringComparison.Ordinal);
        var detail = await office.GetStringAsync($"/sweeps/{sweep}");
        Assert.Contains("已上报", detail, StringComparison.Ordinal);
        Assert.Contains("未上报", detail, StringComparison.Ordinal);
        var problems = await office.GetStringAsync($"/rectifications/problems?q={mark}");
        Assert.Contains($"/rectifications/problems/{problem}", problems, StringComparison.Ordinal);
        Assert.Contains("ledger=problems", problems, StringComparison.Ordinal);
        Assert.Contains("暂无", await office.GetStringAsync($"/rectifications?q={mark}"), StringComparison.Ordinal);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/sweeps/{sweep}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/rectifications/problems/{problem}")).StatusCode);
        Assert.DoesNotContain($"/rectifications/problems/{problem}", await hongjiang.GetStringAsync($"/rectifications/problems?q={mark}"), StringComparison.Ordinal);
        Assert.DoesNotContain($"/sweeps/{sweep}", await hongjiang.GetStringAsync($"/sweeps?q={mark}"), StringComparison.Ordinal);

        // Bad input beside the field, nothing changed; then listed for rectification.
        var bad = await PostAsync(office, $"/rectifications/problems/{problem}?handler=Rectify", new() { ["Requirement"] = "", ["DueOn"] = "2020-01-01" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("请填写整改要求", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (_, phone) = await CluesApiTests.CadreAsync(app);
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(10)).ToString("yyyy-MM-dd");
        var ok = await PostAsync(office, $"/rectifications/problems/{problem}?handler=Rectify", new()
        {
            ["Requirement"] = "清运矿石", ["ResponsibleUnit"] = "陶村林场", ["Responsible"] = phone, ["DueOn"] = due, ["Measures"] = "没收清运",
        });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains(mark, await office.GetStringAsync($"/rectifications?q={mark}"), StringComparison.Ordinal);

        // Reported done without evidence: refused on the page.
        var noEvidence = await PostAsync(office, $"/rectifications/problems/{problem}?handler=Complete", new() { ["Completion"] = "已清运" });
        Assert.Equal(HttpStatusCode.OK, noEvidence.StatusCode);
        Assert.Contains("佐证", await noEvidence.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("rectifying", (await office.GetFromJsonAsync<JsonElement>($"/api/rectifications/problems/{problem}")).GetProperty("status").GetString());
    }

    /// <summary>The message shown beside a form field (its validation span), or "" when none.</summary>
    internal static string Beside(string html, string field)
    {
        var m = System.Text.RegularExpressions.Regex.Match(html, $"<span[^>]*data-valmsg-for=\"{System.Text.RegularExpressions.Regex.Escape(field)}\"[^>]*>([^<]*)</span>");
        return m.Success ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : "";
    }

    private static Dictionary<string, string> SweepForm(Guid clientId, string name, string from = "2026-12-01", string to = "2026-12-31",
        string areas = "陶村林场 陶村林场巡查队\n410325400G001，赵刚", string? division = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.ClientId"] = clientId.ToString(), ["Form.Name"] = name, ["Form.Kind"] = "sweep", ["Form.From"] = from, ["Form.To"] = to,
            ["Form.TemplateId"] = "00000000-0000-0000-0000-000000000008", ["Form.Areas"] = areas,
        };
        if (division is not null) fields["Form.DivisionCode"] = division;
        return fields;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_creates_a_sweep_on_the_page_once_with_errors_beside_the_fields(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = "N" + Guid.NewGuid().ToString("N")[..8];
        Assert.Contains("id=\"sweep-form\"", await office.GetStringAsync("/sweeps"), StringComparison.Ordinal);

        // Bad input: each reason beside its field, nothing stored.
        var bad = await PostAsync(office, "/sweeps", SweepForm(Guid.NewGuid(), "", to: "2026-11-01", areas: "不存在镇 某队"));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Equal("请填写排查行动名称", Beside(html, "Form.Name"));
        Assert.Equal("结束日期不能早于开始日期", Beside(html, "Form.To"));
        Assert.Contains("不在排查区划内", Beside(html, "Form.Areas"), StringComparison.Ordinal);

        // Created through the API's desk; the same form submitted twice is stored once.
        var clientId = Guid.NewGuid();
        var first = await PostAsync(office, "/sweeps", SweepForm(clientId, $"{mark} 大排查"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal($"/sweeps/{clientId}", first.Headers.Location?.OriginalString);
        var second = await PostAsync(office, "/sweeps", SweepForm(clientId, $"{mark} 大排查"));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal($"/sweeps/{clientId}", second.Headers.Location?.OriginalString);
        var listed = await office.GetFromJsonAsync<JsonElement>($"/api/sweeps?q={mark}");
        Assert.Equal(clientId, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());
        var view = await office.GetFromJsonAsync<JsonElement>($"/api/sweeps/{clientId}");
        Assert.Equal(["410325400", "410325400G001"], view.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("code").GetString()));
        Assert.Equal("赵刚", view.GetProperty("areas")[1].GetProperty("assignees").GetString());
        // The API answers the same request id with the sweep already stored.
        var again = await office.PostAsJsonAsync("/api/sweeps", new { clientId, name = $"{mark} 大排查", from = "2026-12-01", to = "2026-12-31",
            areas = new object[] { new { code = "410325400" } } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // Another county: its own scope only, and not another's request id; it sees nothing of 嵩县's sweep.
        var hongjiang = await app.LoginAsync("hj-office");
        var outside = await PostAsync(hongjiang, "/sweeps", SweepForm(Guid.NewGuid(), $"{mark} 越界", division: "410325"));
        Assert.Equal("排查区划不在您的管辖范围内", Beside(await outside.Content.ReadAsStringAsync(), "Form.DivisionCode"));
        var taken = await PostAsync(hongjiang, "/sweeps", SweepForm(clientId, $"{mark} 冒用"));
        Assert.Equal("该请求编号已被使用", Beside(await taken.Content.ReadAsStringAsync(), "Form.ClientId"));
        Assert.DoesNotContain($"/sweeps/{clientId}", await hongjiang.GetStringAsync($"/sweeps?q={mark}"), StringComparison.Ordinal);

        // A reader has no form and may not post; nobody unauthenticated may.
        var leader = await app.LoginAsync("sx-leader");
        Assert.DoesNotContain("id=\"sweep-form\"", await leader.GetStringAsync("/sweeps"), StringComparison.Ordinal);
        // A reader's post is refused: the page's Forbid sends them to the denied page.
        var refused = await PostAsync(leader, "/sweeps", SweepForm(Guid.NewGuid(), $"{mark} 读者"));
        Assert.Contains("denied", refused.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        var anonymous = await app.Anonymous().PostAsync("/sweeps", new FormUrlEncodedContent(SweepForm(Guid.NewGuid(), $"{mark} 匿名")));
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Single((await office.GetFromJsonAsync<JsonElement>($"/api/sweeps?q={mark}")).EnumerateArray());
    }
}
