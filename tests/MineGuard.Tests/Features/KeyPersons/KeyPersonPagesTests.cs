using MineGuard.Platform.People;
using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.KeyPersons.KeyPersonFixtures;

namespace MineGuard.Tests.Features.KeyPersons;

/// <summary>The key-person pages as the office uses them: real forms with their anti-forgery tokens.</summary>
public sealed class KeyPersonPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url) => Parser.ParseDocument(await client.GetStringAsync(url));

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Parser.ParseDocument(await response.Content.ReadAsStringAsync());

    private static string? ErrorFor(IHtmlDocument doc, string field) => doc.QuerySelector($"[data-for='{field}']")?.TextContent.Trim();

    private static KeyValuePair<string, string>[] Fields(string name, string idNumber, string division = Fanpo, string level = "重点", string phone = "13912345678") =>
    [
        new("Input.Name", name), new("Input.IdNumber", idNumber), new("Input.Division", division), new("Input.ControlLevel", level),
        new("Input.Phone", phone), new("Input.Address", "某村五组"), new("Input.History", "曾在金矿打工"), new("Input.PriorCases", ""),
    ];

    [Theory, OnSqlite, OnPostgres]
    public async Task The_form_shows_each_mistake_beside_its_field_and_keeps_what_was_typed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var badNumber = TestIds.WithWrongCheck(TestIds.Next());
        var response = await PostFormAsync(office, "/key-persons/new", Fields("", badNumber, "", phone: "电话"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await ParseAsync(response);
        Assert.Equal("请填写姓名", ErrorFor(doc, "Input.Name"));
        Assert.Equal("身份证号校验位不正确", ErrorFor(doc, "Input.IdNumber"));
        Assert.Equal("请选择户籍地（乡镇或村）", ErrorFor(doc, "Input.Division"));
        Assert.Contains("电话号码格式不正确", ErrorFor(doc, "Input.Phone"), StringComparison.Ordinal);
        Assert.Equal("", ErrorFor(doc, "Input.ControlLevel"));
        Assert.Equal("某村五组", ((IHtmlInputElement)doc.QuerySelector("#Input_Address")!).Value);
        Assert.Equal("重点", ((IHtmlSelectElement)doc.QuerySelector("#Input_ControlLevel")!).Value);

        var duplicate = TestIds.Next();
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(office, "/key-persons/new", Fields(UniqueName(), duplicate))).StatusCode);
        var again = await ParseAsync(await PostFormAsync(office, "/key-persons/new", Fields(UniqueName(), duplicate)));
        Assert.StartsWith("该身份证号已登记", ErrorFor(again, "Input.IdNumber"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Registered_through_the_form_the_person_is_masked_until_the_reveal_button_is_pressed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = UniqueName();
        var idNumber = TestIds.Next();
        var created = await PostFormAsync(office, "/key-persons/new", Fields(name, idNumber));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.OriginalString.Split('?')[0];
        var id = url.Split('/')[^1];

        var listHtml = await office.GetStringAsync("/key-persons?name=" + Uri.EscapeDataString(name));
        var detailHtml = await office.GetStringAsync(url);
        foreach (var html in new[] { listHtml, detailHtml })
        {
            Assert.Contains(name, html, StringComparison.Ordinal);
            Assert.DoesNotContain(idNumber, html, StringComparison.Ordinal);
            Assert.DoesNotContain(idNumber[..14], html, StringComparison.Ordinal);
        }
        var list = Parser.ParseDocument(listHtml);
        Assert.Contains("**************" + idNumber[14..], list.QuerySelector("#key-persons tbody")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("饭坡镇", list.QuerySelector("#key-persons tbody")!.TextContent, StringComparison.Ordinal);
        var detail = Parser.ParseDocument(detailHtml);
        Assert.Equal("**************" + idNumber[14..], detail.QuerySelector("#id-number-masked")!.TextContent);
        Assert.Null(detail.QuerySelector("#id-number"));

        var revealed = await PostFormAsync(office, url, [], url + "?handler=Reveal");
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Contains("no-store", revealed.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var shown = await ParseAsync(revealed);
        Assert.Equal(idNumber, shown.QuerySelector("#id-number")!.TextContent);
        var reads = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "read").ToListAsync());
        Assert.Equal("查看完整身份证号", Assert.Single(reads).Changes);

        // Loading the page again shows the masked number; the reveal needs its token.
        Assert.DoesNotContain(idNumber, await office.GetStringAsync(url), StringComparison.Ordinal);
        var forged = await office.PostAsync(url + "?handler=Reveal", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Single(await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "read").ToListAsync()));

        // The county's administrator finds the read in the audit log.
        var admin = await app.LoginAsync("sx-admin");
        var audit = await GetAsync(admin, "/admin/audit?action=read&entity=KeyPerson&actor=sx-office");
        var row = audit.QuerySelectorAll("#audit tbody tr").First(r => r.TextContent.Contains(id, StringComparison.Ordinal));
        Assert.Contains("查看敏感信息", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("查看完整身份证号", row.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Home_visits_and_adit_links_are_added_on_the_detail_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, _, name) = await CreateAsync(office);
        var url = $"/key-persons/{id}";

        var bad = await ParseAsync(await PostFormAsync(office, url, [new("Visit.VisitedOn", ""), new("Visit.VisitedBy", ""), new("Visit.Outcome", "")], url + "?handler=Visit"));
        Assert.Equal("请填写走访日期", ErrorFor(bad, "Visit.VisitedOn"));
        Assert.Equal("请填写走访人", ErrorFor(bad, "Visit.VisitedBy"));
        var visit = await PostFormAsync(office, url,
            [new("Visit.VisitedOn", "2026-10-28"), new("Visit.VisitedBy", "镇综治办 王五"), new("Visit.Outcome", "宣讲政策，签订承诺书")], url + "?handler=Visit");
        Assert.Equal(HttpStatusCode.Redirect, visit.StatusCode);

        var (_, number) = await AditAsync(app);
        var badLink = await ParseAsync(await PostFormAsync(office, url, [new("Link.AditNumber", "不存在的编号")], url + "?handler=Link"));
        Assert.Contains("在您的管辖范围内没有编号为", ErrorFor(badLink, "Link.AditNumber"), StringComparison.Ordinal);
        var link = await PostFormAsync(office, url, [new("Link.AditNumber", number), new("Link.Relation", "居住在附近")], url + "?handler=Link");
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);

        var page = await GetAsync(office, url);
        Assert.Contains("签订承诺书", page.QuerySelector("#home-visits")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("嵩县打非办 王敏", page.QuerySelector("#home-visits")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(number, page.QuerySelector("#linked-adits")!.TextContent, StringComparison.Ordinal);
        var listed = await GetAsync(office, "/key-persons?name=" + Uri.EscapeDataString(name));
        Assert.Contains("2026-10-28", listed.QuerySelector("#key-persons tbody")!.TextContent, StringComparison.Ordinal);

        var unlinkAction = page.QuerySelector("#linked-adits form")!.GetAttribute("action")!;
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(office, url, [], unlinkAction)).StatusCode);
        Assert.Empty((await GetAsync(office, url)).QuerySelectorAll("#linked-adits tbody tr"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_edit_form_keeps_the_number_unless_a_new_one_is_typed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, idNumber, name) = await CreateAsync(office);
        var edit = $"/key-persons/{id}/edit";
        var form = await GetAsync(office, edit);
        Assert.Equal(name, ((IHtmlInputElement)form.QuerySelector("#Input_Name")!).Value);
        Assert.Equal("", ((IHtmlInputElement)form.QuerySelector("#Input_IdNumber")!).Value);
        Assert.DoesNotContain(idNumber, form.Source.Text, StringComparison.Ordinal);

        var bad = await ParseAsync(await PostFormAsync(office, edit, Fields(name, "", Chengguan, "严管", phone: "x")));
        Assert.Contains("电话号码格式不正确", ErrorFor(bad, "Input.Phone"), StringComparison.Ordinal);
        var saved = await PostFormAsync(office, edit, Fields(name, "", Chengguan, "严管"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var detail = await GetAsync(office, $"/key-persons/{id}");
        Assert.Equal("严管", detail.QuerySelector("#control-level")!.TextContent);
        Assert.Contains("城关镇", detail.QuerySelector("#profile")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("**************" + idNumber[14..], detail.QuerySelector("#id-number-masked")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_pages_are_closed_to_everyone_but_the_office_and_police_of_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (id, _, _) = await CreateAsync(await app.LoginAsync("sx-office"));
        var anonymous = await app.Anonymous().GetAsync("/key-persons");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        foreach (var user in new[] { "sx-patrol", "sx-leader", "sx-admin" })
        {
            var client = await app.LoginAsync(user);
            foreach (var page in new[] { "/key-persons", "/key-persons/new", $"/key-persons/{id}", $"/key-persons/{id}/edit" })
            {
                var response = await client.GetAsync(page);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Contains("/denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            }
        }
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/key-persons/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/key-persons/{id}/edit")).StatusCode);
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync($"/key-persons/{id}")).StatusCode);
        Assert.NotNull((await GetAsync(police, "/key-persons")).QuerySelector("#new-person"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_administrator_who_is_not_office_staff_sees_that_key_persons_changed_but_not_their_data(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, _, name) = await CreateAsync(office);
        await office.PostAsJsonAsync($"/api/key-persons/{id}/home-visits", new { visitedOn = "2026-10-01", visitedBy = "王五", outcome = "秘密走访内容" + name });
        await office.PostAsync($"/api/key-persons/{id}/id-number", null);

        var admin = await app.LoginAsync("sx-admin");
        var audit = await GetAsync(admin, "/admin/audit?actor=sx-office");
        var rows = audit.QuerySelectorAll("#audit tbody tr").Where(r => r.TextContent.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.TextContent.Contains("新增", StringComparison.Ordinal) && r.TextContent.Contains("仅打非办和公安人员可见", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.TextContent.Contains("查看完整身份证号", StringComparison.Ordinal));
        Assert.DoesNotContain(name, audit.QuerySelector("#audit")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(name, (await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityId == id && a.Action == "create"))).Changes, StringComparison.Ordinal);
    }
}
