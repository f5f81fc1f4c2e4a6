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
}
