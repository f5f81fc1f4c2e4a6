using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Shared;

/// <summary>
/// Issue 11, "day one in a county office": what a person reads is Chinese in their own words — codes only beside names,
/// divisions picked by name, lists that say 暂无, required fields marked — through the pages and the API.
/// </summary>
public sealed partial class PlainWordsTests
{
    private static async Task<IHtmlDocument> PageAsync(HttpClient client, string url) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(url));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();

    [Theory, OnSqlite, OnPostgres]
    public async Task Closing_an_alert_without_a_known_outcome_names_the_outcomes_in_Chinese_on_the_page_and_in_the_api(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (_, id) = await TamperedSealAlertAsync(app, office);

        var errors = await ProblemAsync(await office.PostAsJsonAsync($"/api/alerts/{id}/close", new { outcome = "maybe" }));
        var message = errors.GetProperty("outcome")[0].GetString()!;
        Assert.StartsWith("请选择核实结果：误报（false-alarm）或属实（confirmed）", message, StringComparison.Ordinal);
        errors = await ProblemAsync(await office.PostAsJsonAsync($"/api/alerts/{id}/close", new { outcome = "误报" }));
        Assert.StartsWith("误报须选择原因：动物（animal）", errors.GetProperty("reason")[0].GetString()!, StringComparison.Ordinal);

        var token = await TestApp.AntiForgeryTokenAsync(office, $"/alerts/{id}");
        var posted = await office.PostAsync($"/alerts/{id}?handler=Close", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Outcome"] = "",
        }));
        var page = new HtmlParser().ParseDocument(await posted.Content.ReadAsStringAsync());
        var beside = page.QuerySelector("[data-for='Input.Outcome']")!.TextContent.Trim();
        Assert.StartsWith("请选择核实结果：误报", beside, StringComparison.Ordinal);
        var choices = page.QuerySelectorAll("#close-form input[name='Input.Outcome']").Select(i => i.ParentElement!.TextContent.Trim()).ToList();
        Assert.Equal(["误报", "属实"], choices);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Alert_rules_show_what_a_camera_saw_by_its_Chinese_name_on_the_page_and_in_the_api(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = $"人车-{Guid.NewGuid():N}"[..12];
        var created = await office.PostAsJsonAsync("/api/alert-rules", new
        {
            name, eventTypes = new[] { EventTypes.Camera }, subjects = new[] { "person", "machine" }, severity = "low", enabled = false,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["人员", "机械"], view.GetProperty("subjectNames").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("人员、机械", view.GetProperty("conditions").GetString());
        Assert.Equal(["视频监控发现"], view.GetProperty("eventTypeNames").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("一般", view.GetProperty("severityName").GetString());

        var page = await PageAsync(office, "/alert-rules");
        var row = page.QuerySelector($"#rules tr[data-key='{view.GetProperty("key").GetString()}']")!;
        Assert.Contains("人员、机械", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("person", row.TextContent, StringComparison.Ordinal);
        var defaults = page.QuerySelector("#rules tr[data-key='default:sealed-adit-camera']")!;
        Assert.Contains("人员、车辆、机械", defaults.TextContent, StringComparison.Ordinal);

        var errors = await ProblemAsync(await office.PostAsJsonAsync("/api/alert-rules", new
        {
            name, eventTypes = new[] { EventTypes.Camera }, subjects = new[] { "dog" }, severity = "low", enabled = false,
        }));
        Assert.Equal("发现对象只能是人员（person）、车辆（vehicle）或机械（machine）", errors.GetProperty("subjects")[0].GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_label_of_the_devices_page_is_Chinese_and_the_place_is_picked_by_name(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var page = await PageAsync(office, "/devices");
        var labels = page.QuerySelectorAll("#device-form label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Contains("设备编号", labels);
        Assert.All(labels, l => Assert.DoesNotMatch(LatinWord(), l));
        Assert.Null(page.QuerySelector("input[name='Input.DivisionCode']"));
        var place = (IHtmlSelectElement)page.QuerySelector("select[name='Input.DivisionCode']")!;
        Assert.Contains(place.Options, o => o.Value == "410325" && o.Text.Trim() == "嵩县（410325）");
        Assert.DoesNotContain(place.Options, o => o.Value.StartsWith("431281", StringComparison.Ordinal));
        Assert.Contains("required", page.QuerySelector("label[for='Input_Code']")!.ClassList);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_from_the_public_page_reads_as_an_online_report_and_is_handed_to_a_township_by_name(string provider)
    {
        var app = await TestApp.Shared(provider);
        var text = "后山有人夜里挖洞 " + Guid.NewGuid().ToString("N")[..8];
        var sent = await TipClient.SubmitAsync(app.Anonymous(), TipClient.Fields(division: "431281102", description: text), pow: true);
        var tipId = await TipClient.TipIdAsync(app, sent.Code!);
        var office = await app.LoginAsync("hj-office");

        var inbox = await PageAsync(office, "/tips?township=431281102");
        var row = inbox.QuerySelectorAll("#tips tbody tr").Single(r => r.TextContent.Contains(text[..8], StringComparison.Ordinal)
            && r.QuerySelector($"a[href*='{tipId}']") is not null);
        Assert.Equal("网上举报", row.QuerySelectorAll("td")[1].TextContent.Trim());

        var detail = await PageAsync(office, $"/tips/{tipId}");
        Assert.Null(detail.QuerySelector("input[name='DivisionCode']"));
        var township = (IHtmlSelectElement)detail.QuerySelector("select#assign-division")!;
        Assert.Equal("431281102", township.Value);
        Assert.EndsWith("（431281102）", township.SelectedOptions.Single().Text.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(township.Options, o => o.Value.StartsWith("410325", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_patrol_rules_page_names_where_its_defaults_come_from_for_the_users_own_province(string provider)
    {
        var app = await TestApp.Shared(provider);
        var songxian = (await PageAsync(await app.LoginAsync("sx-office"), "/patrols/rules")).QuerySelector("#rules-source")!.TextContent;
        Assert.DoesNotContain("默认值取自", songxian, StringComparison.Ordinal);
        Assert.Contains("参照《洪江市非煤矿山领域", songxian, StringComparison.Ordinal);
        Assert.Contains("不是河南省或本地的规定", songxian, StringComparison.Ordinal);

        var hongjiang = (await PageAsync(await app.LoginAsync("hj-office"), "/patrols/rules")).QuerySelector("#rules-source")!.TextContent;
        Assert.Contains("取自本市的《洪江市非煤矿山领域", hongjiang, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_users_scope_is_picked_by_name_among_the_admins_own_divisions(string provider)
    {
        var app = await TestApp.Shared(provider);
        var page = await PageAsync(await app.LoginAsync("sx-admin"), "/admin/users");
        Assert.Null(page.QuerySelector("input[name='Input.DivisionCode']"));
        var scope = (IHtmlSelectElement)page.QuerySelector("select#Input_DivisionCode")!;
        Assert.Contains(scope.Options, o => o.Value == "410325" && o.Text.Trim() == "嵩县（410325）");
        Assert.DoesNotContain(scope.Options, o => o.Value.StartsWith("431281", StringComparison.Ordinal));
        Assert.Contains("required", page.QuerySelector("label[for='Input_DivisionCode']")!.ClassList);
        Assert.Contains("required", page.QuerySelector("label[for='Input_UserName']")!.ClassList);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Empty_lists_say_so(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var nobody = Guid.NewGuid().ToString("N");
        foreach (var (url, table, columns) in new[]
        {
            ($"/key-persons?name={nobody}", "#key-persons", 7), ($"/persons?q={nobody}", "#persons", 7), ("/patrols?month=2001-01", "#patrols", 8),
        })
        {
            var rows = (await PageAsync(office, url)).QuerySelectorAll($"{table} tbody tr");
            var only = Assert.Single(rows);
            Assert.Contains("empty", only.ClassList);
            Assert.Equal("暂无", only.TextContent.Trim());
            Assert.Equal(columns.ToString(System.Globalization.CultureInfo.InvariantCulture), only.QuerySelector("td")!.GetAttribute("colspan"));
        }
        // A list with rows (the default alert rules are always there) has no such row.
        var rules = await PageAsync(office, "/alert-rules");
        Assert.NotEmpty(rules.QuerySelectorAll("#rules tbody tr"));
        Assert.Empty(rules.QuerySelectorAll("#rules tbody tr.empty"));
    }
}
