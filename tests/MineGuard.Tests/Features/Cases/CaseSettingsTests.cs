using System.Net;
using System.Net.Http.Json;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Cases;

/// <summary>
/// The county office sets its case-number pattern and letterhead (案件设置): through the API and the page, refused to others
/// and for bad patterns, and applied to the next case and the printed documents. On an app of its own: the county's
/// numbers change for every case filed after the change.
/// </summary>
public sealed class CaseSettingsTests
{
    private const string Url = "/api/cases/settings/410325";

    [PdfTheory, OnSqlite, OnPostgres]
    public async Task The_office_sets_the_number_pattern_and_letterhead_that_the_next_case_and_its_documents_use(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(Url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PutAsJsonAsync(Url, new { numberPattern = "{year}{seq}" })).StatusCode);
        var officer = await app.LoginAsync((await OfficersAsync(app, "natural-resources", 1))[0].UserName);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PutAsJsonAsync(Url, new { numberPattern = "{year}{seq}" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PutAsJsonAsync(Url, new { numberPattern = "{year}{seq}" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync("/api/cases/settings/410325400")).StatusCode);

        var before = await OkAsync(office.GetAsync(Url));
        Assert.Equal("嵩县自然资源局", before.GetProperty("letterheadInForce").GetString());
        Assert.Contains("嵩自然资立〔", before.GetProperty("nextNumberExample").GetString(), StringComparison.Ordinal);

        Assert.Contains("{seq}", await ErrorOf(await office.PutAsJsonAsync(Url, new { numberPattern = "嵩自然资立〔{year}〕号" }), "numberPattern"), StringComparison.Ordinal);
        Assert.Contains("只能使用", await ErrorOf(await office.PutAsJsonAsync(Url, new { numberPattern = "嵩〔{year}〕{month}{seq}号" }), "numberPattern"),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PutAsJsonAsync(Url, new { letterhead = new string('局', 51) })).StatusCode);
        Assert.Equal(before.GetProperty("patternInForce").GetString(), (await OkAsync(office.GetAsync(Url))).GetProperty("patternInForce").GetString());

        var set = await OkAsync(office.PutAsJsonAsync(Url, new { numberPattern = "{county}自然资罚立〔{year}〕第{seq}号", letterhead = "嵩县自然资源局执法监察大队" }));
        Assert.Equal("{county}自然资罚立〔{year}〕第{seq}号", set.GetProperty("patternInForce").GetString());
        var expected = set.GetProperty("nextNumberExample").GetString()!;
        Assert.Matches(@"^嵩自然资罚立〔\d{4}〕第\d+号$", expected);

        var officers = await OfficersAsync(app, "natural-resources");
        var created = await DirectCaseAsync(office, "natural-resources", officers.Select(o => o.Id));
        Assert.Equal(expected, created.GetProperty("number").GetString());
        var filing = await CaseDocumentsTests.PdfTextAsync(office, created.GetProperty("id").GetGuid(), "filing-approval");
        Assert.Contains("嵩县自然资源局执法监察大队", filing, StringComparison.Ordinal);

        // Blank again: the default in force.
        var cleared = await OkAsync(office.PutAsJsonAsync(Url, new { numberPattern = "", letterhead = "" }));
        Assert.Equal("嵩县自然资源局", cleared.GetProperty("letterheadInForce").GetString());
        Assert.Contains("嵩自然资立〔", cleared.GetProperty("nextNumberExample").GetString(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite]
    public async Task The_settings_page_saves_and_says_what_was_refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var officer = await app.LoginAsync((await OfficersAsync(app, "natural-resources", 1))[0].UserName);
        Assert.NotEqual(HttpStatusCode.OK, (await officer.GetAsync("/cases/settings")).StatusCode);
        Assert.Contains("案件设置", await office.GetStringAsync("/"), StringComparison.Ordinal);

        var page = await office.GetStringAsync("/cases/settings");
        Assert.Contains("嵩县自然资源局", page, StringComparison.Ordinal);
        var token = await TestApp.AntiForgeryTokenAsync(office, "/cases/settings");
        var refused = await office.PostAsync("/cases/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["County"] = "410325", ["NumberPattern"] = "嵩立字第{seq}号", ["Letterhead"] = "", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("{year}", body, StringComparison.Ordinal);
        Assert.Contains("嵩立字第{seq}号", body, StringComparison.Ordinal);

        var saved = await office.PostAsync("/cases/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["County"] = "410325", ["NumberPattern"] = "嵩立〔{year}〕{seq}号", ["Letterhead"] = "", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await office.GetStringAsync(saved.Headers.Location!.ToString());
        Assert.Contains("已保存", after, StringComparison.Ordinal);
        Assert.Matches(@"嵩立〔\d{4}〕\d+号", after);
    }
}
