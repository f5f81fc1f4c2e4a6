using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Campaigns;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Campaigns;

/// <summary>
/// The campaign pages as the office uses them (real forms with their anti-forgery tokens): 专项行动 links to the other
/// three; a bad publicity post keeps what was typed and names the field in Chinese; a good one moves a village to 已覆盖;
/// the home page counts the counties breaching the joint-operation rule.
/// </summary>
public sealed class CampaignPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url) => Parser.ParseDocument(await client.GetStringAsync(url));

    private static async Task<IHtmlDocument> PostFormAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        var r = await client.PostAsync(page, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return Parser.ParseDocument(await r.Content.ReadAsStringAsync());
    }

    private static string? ErrorFor(IHtmlDocument doc, string field) => doc.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim();

    [Theory, OnSqlite, OnPostgres]
    public async Task The_office_records_publicity_on_the_page_and_sees_a_village_reached(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        Assert.NotEqual(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/publicity")).StatusCode);
        var hub = await GetAsync(office, "/campaigns");
        foreach (var link in new[] { "/joint-operations", "/meetings", "/publicity" })
            Assert.NotNull(hub.QuerySelector($"#campaign-links a[href='{link}']"));
        Assert.NotNull((await GetAsync(office, "/joint-operations")).QuerySelector("#joint-rule"));
        Assert.NotNull((await GetAsync(office, "/meetings")).QuerySelector("#meeting-form"));

        var page = await GetAsync(office, "/publicity");
        var village = page.QuerySelectorAll("#coverage .badge").First(b => b.TextContent.Contains("未覆盖"));
        var code = village.Id![2..];
        var mark = "PP" + Guid.NewGuid().ToString("N")[..8];
        List<KeyValuePair<string, string>> Form(string people) =>
        [
            new("Input.ClientId", Guid.NewGuid().ToString()), new("Input.Kind", "leaflet"), new("Input.DivisionCode", code[..9]),
            new("Input.Date", DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)).ToString("yyyy-MM-dd")), new("Input.Place", mark),
            new("Input.PeopleReached", people), new("Input.Villages", code), new("Input.Departments", "natural-resources"),
        ];
        var bad = await PostFormAsync(office, "/publicity", Form("很多"));
        Assert.Contains("整数", ErrorFor(bad, "Input.PeopleReached"), StringComparison.Ordinal);
        Assert.Equal(mark, bad.QuerySelector<IHtmlInputElement>("#Input_Place")!.Value);
        Assert.True(bad.QuerySelector<IHtmlInputElement>($"input[name='Input.Villages'][value='{code}']")!.IsChecked);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PublicityActivity>().CountAsync(a => a.Place == mark)));

        var good = await PostFormAsync(office, "/publicity", Form("80"));
        Assert.NotNull(good.QuerySelector("#publicity-message"));
        Assert.Contains("已覆盖", good.QuerySelector($"#v-{code}")!.TextContent, StringComparison.Ordinal);

        var home = await GetAsync(office, "/");
        Assert.NotNull(home.QuerySelector("#joint-operation-breaches"));
        var police = await app.LoginAsync("sx-police");
        var token = await TestApp.AntiForgeryTokenAsync(police, "/publicity");
        // A department officer may not record: the page's Forbid sends them to the denied page, and nothing more is stored.
        var refused = await police.PostAsync("/publicity", new FormUrlEncodedContent(Form("1").Append(new("__RequestVerificationToken", token))));
        Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
        Assert.Contains("denied", refused.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<PublicityActivity>().CountAsync(a => a.Place == mark)));
    }
}
