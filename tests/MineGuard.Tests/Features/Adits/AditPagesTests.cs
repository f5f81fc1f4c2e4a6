using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Adits;

/// <summary>The adit pages as the office uses them: the form, the list with its filters and counts, the detail page.</summary>
public sealed class AditPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    private static string? ErrorFor(IHtmlDocument doc, string field) => doc.QuerySelector($"[data-for='{field}']")?.TextContent.Trim();

    [Theory, OnSqlite, OnPostgres]
    public async Task New_adit_form_explains_each_bad_field_and_asks_to_confirm_a_near_duplicate(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var bad = await PostFormAsync(office, "/adits/new",
            [new("Input.Township", "410325400"), new("Input.Lon", "116.39"), new("Input.Lat", "39.9"), new("Input.Crs", "wgs84"), new("Input.Elevation", "很高")]);
        var doc = Parser.ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Contains("不在嵩县境内", ErrorFor(doc, "Input.Lon"), StringComparison.Ordinal);
        Assert.Contains("不是有效的米数", ErrorFor(doc, "Input.Elevation"), StringComparison.Ordinal);
        Assert.Equal("116.39", ((IHtmlInputElement)doc.QuerySelector("#Input_Lon")!).Value);

        var (lon, lat) = Spots.Songxian();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.Township", "410325400"), new("Input.Lon", lon.ToString("F6")), new("Input.Lat", lat.ToString("F6")),
            new("Input.Crs", "wgs84"), new("Input.Mineral", "金"), new("Input.Origin", "盗采点"), new("Input.SealState", "未封堵"),
        };
        var first = await PostFormAsync(office, "/adits/new", fields);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        var again = await PostFormAsync(office, "/adits/new", fields);
        var nearby = Parser.ParseDocument(await again.Content.ReadAsStringAsync());
        Assert.Contains("疑似重复", nearby.QuerySelector("#nearby")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(nearby.QuerySelector("#Input_ConfirmNearby"));
        var confirmed = await PostFormAsync(office, "/adits/new", fields.Append(new("Input.ConfirmNearby", "true")));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var detail = Parser.ParseDocument(await office.GetStringAsync(confirmed.Headers.Location!.OriginalString));
        Assert.Contains("陶村林场人民政府", detail.QuerySelector("#sealing-party")!.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Ledger_list_filters_to_weak_seals_and_counts_by_township(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var doc = Parser.ParseDocument(await office.GetStringAsync("/adits?state=weak"));
        var rows = doc.QuerySelectorAll("#adits tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("石块堆砌", r.TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(doc.QuerySelectorAll("#counts tbody tr"));
        Assert.Contains("石块堆砌（弱封堵）", doc.QuerySelector("#flags")!.TextContent, StringComparison.Ordinal);

        var bad = Parser.ParseDocument(await office.GetStringAsync("/adits?mineral=钻石"));
        Assert.Contains("未知的矿种", bad.QuerySelector("#filters")!.TextContent, StringComparison.Ordinal);

        // 洪江市's ledger never lists 嵩县's adits.
        var hongjiang = Parser.ParseDocument(await (await app.LoginAsync("hj-office")).GetStringAsync("/adits?q=410325-"));
        Assert.Equal(MineGuard.Platform.Web.EmptyRowTagHelper.Text, Assert.Single(hongjiang.QuerySelectorAll("#adits tbody tr")).TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Detail_page_refuses_accepting_your_own_seal_with_the_rule_in_Chinese(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var created = await AditsApiTests.CreateAsync(office, AditsApiTests.NewAdit(Spots.Songxian()));
        var id = created.GetProperty("adit").GetProperty("id").GetString();
        var page = $"/adits/{id}";
        var sealedResponse = await PostFormAsync(office, page, [new("On", "2025-04-01"), new("Method", "浆砌石")], $"{page}?handler=Seal");
        Assert.Equal(HttpStatusCode.Redirect, sealedResponse.StatusCode);
        var refused = await PostFormAsync(office, page, [new("On", "2025-04-02")], $"{page}?handler=Accept");
        var doc = Parser.ParseDocument(await refused.Content.ReadAsStringAsync());
        Assert.Contains("验收必须由封堵人以外的另一人进行", doc.QuerySelector("#rule-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync(page)).StatusCode);
        var leader = await app.LoginAsync("sx-leader");
        var leaderPage = Parser.ParseDocument(await leader.GetStringAsync(page));
        Assert.Null(leaderPage.QuerySelector("#form-accept"));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.GetAsync($"/adits/{id}/edit")).StatusCode);
    }
}
