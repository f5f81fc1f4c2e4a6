using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Cases;
using MineGuard.Features.KeyPersons;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Cases;

/// <summary>Parties become key persons, the office confirming (案不漏人), through the API and the case page.</summary>
public sealed class CaseKeyPersonTests
{
    private static string Url(Guid id, Guid party) => $"/api/cases/{id}/parties/{party}/key-person";

    private static async Task<(HttpClient Office, Guid Case, string Number)> CaseAsync(TestApp app)
    {
        var office = await app.LoginAsync("sx-office");
        var officers = await OfficersAsync(app, "natural-resources");
        var created = await DirectCaseAsync(office, "natural-resources", officers.Select(o => o.Id));
        return (office, created.GetProperty("id").GetGuid(), created.GetProperty("number").GetString()!);
    }

    private static async Task<Guid> PartyAsync(HttpClient office, Guid id, object body)
    {
        var view = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/parties", body));
        return view.GetProperty("parties").EnumerateArray().Last().GetProperty("id").GetGuid();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_office_puts_a_party_on_the_ledger_once_and_a_second_case_links_the_same_entry(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, id, number) = await CaseAsync(app);
        var name = "赵六" + Guid.NewGuid().ToString("N")[..4];
        var idNumber = TestIds.Next();
        var person = await PartyAsync(office, id, new { kind = "person", name, idNumber, role = "实际控制人" });
        var unit = await PartyAsync(office, id, new { kind = "unit", name = "某某矿业有限公司", creditCode = CreditCode.Complete("91410325MA44X7YB1"), role = "单位" });
        var noId = await PartyAsync(office, id, new { kind = "person", name = "无证人" + Guid.NewGuid().ToString("N")[..4] });

        // Not logged in, another county's office, a department officer or an administrator (not the office), the wrong party:
        // nothing changes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync(Url(id, person), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync(Url(id, person), new { })).StatusCode);
        var officer = await app.LoginAsync((await OfficersAsync(app, "natural-resources", 1))[0].UserName);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync(Url(id, person), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-admin")).PostAsJsonAsync(Url(id, person), new { })).StatusCode);
        Assert.Contains("单位", await ErrorOf(await office.PostAsJsonAsync(Url(id, unit), new { }), "partyId"), StringComparison.Ordinal);
        Assert.Contains("身份证号", await ErrorOf(await office.PostAsJsonAsync(Url(id, noId), new { }), "partyId"), StringComparison.Ordinal);
        Assert.Contains("本案没有", await ErrorOf(await office.PostAsJsonAsync(Url(id, Guid.NewGuid()), new { }), "partyId"), StringComparison.Ordinal);
        Assert.Contains("管控等级", await ErrorOf(await office.PostAsJsonAsync(Url(id, person), new { controlLevel = "特级" }), "controlLevel"),
            StringComparison.Ordinal);
        var last4 = idNumber[^4..];
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<KeyPerson>().IgnoreQueryFilters().CountAsync(p => p.Name == name)));

        // The office confirms: a new ledger entry under the case's township, the case as its prior case; the party is linked.
        var view = await OkAsync(office.PostAsJsonAsync(Url(id, person), new { controlLevel = "严管" }));
        var party = view.GetProperty("parties").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == person);
        var keyPerson = party.GetProperty("keyPersonId").GetGuid();
        Assert.Contains(view.GetProperty("entries").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains($"将当事人 {name} 列入重点人员台账（严管）"));
        var entry = await OkAsync(office.GetAsync($"/api/key-persons/{keyPerson}"));
        Assert.Equal(name, entry.GetProperty("name").GetString());
        Assert.Equal("严管", entry.GetProperty("controlLevel").GetString());
        Assert.Equal("410325400", entry.GetProperty("divisionCode").GetString());
        Assert.Equal(number, entry.GetProperty("priorCases").GetString());
        Assert.EndsWith(last4, entry.GetProperty("idNumberMasked").GetString());

        // Sent again: refused, still one entry.
        Assert.Contains("已在重点人员台账", await ErrorOf(await office.PostAsJsonAsync(Url(id, person), new { }), "partyId"), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<KeyPerson>().IgnoreQueryFilters().CountAsync(p => p.Name == name)));

        // The same person in a second case: linked to the entry that has the number, no second entry.
        var (_, second, _) = await CaseAsync(app);
        var again = await PartyAsync(office, second, new { kind = "person", name, idNumber });
        var linked = await OkAsync(office.PostAsJsonAsync(Url(second, again), new { }));
        Assert.Equal(keyPerson, linked.GetProperty("parties").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == again).GetProperty("keyPersonId").GetGuid());
        Assert.Contains(linked.GetProperty("entries").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains("已在重点人员台账，与台账关联"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<KeyPerson>().IgnoreQueryFilters().CountAsync(p => p.Name == name)));
    }

    [Theory, OnSqlite]
    public async Task The_case_page_offers_the_ledger_to_the_office_only_and_says_what_was_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, id, _) = await CaseAsync(app);
        var name = "钱七" + Guid.NewGuid().ToString("N")[..4];
        var person = await PartyAsync(office, id, new { kind = "person", name, idNumber = TestIds.Next() });

        var page = await office.GetStringAsync($"/cases/{id}");
        Assert.Contains("列入重点人员台账", page, StringComparison.Ordinal);
        var officer = await app.LoginAsync((await OfficersAsync(app, "natural-resources", 1))[0].UserName);
        var officerPage = await officer.GetAsync($"/cases/{id}");
        if (officerPage.StatusCode == HttpStatusCode.OK) Assert.DoesNotContain("列入重点人员台账", await officerPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An administrator writes on the case but is not the office: no button, and the step itself is refused (the page's
        // 403 is the redirect to /denied), the party left off the ledger.
        var admin = await app.LoginAsync("sx-admin");
        Assert.DoesNotContain("列入重点人员台账", await admin.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
        var denied = await CasePagesTests.PostAsync(admin, $"/cases/{id}?handler=KeyPerson", new() { ["PartyId"] = person.ToString(), ["ControlLevel"] = "重点" });
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/denied", denied.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Null(await app.WithDbAsync(db => db.Set<CaseParty>().IgnoreQueryFilters().Where(p => p.Id == person).Select(p => p.KeyPersonId).SingleAsync()));

        var refused = await CasePagesTests.PostAsync(office, $"/cases/{id}?handler=KeyPerson", new() { ["PartyId"] = person.ToString(), ["ControlLevel"] = "特级" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("管控等级", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var done = await CasePagesTests.PostAsync(office, $"/cases/{id}?handler=KeyPerson", new() { ["PartyId"] = person.ToString(), ["ControlLevel"] = "重点" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var after = await office.GetStringAsync(done.Headers.Location!.ToString());
        Assert.Contains("已列入重点人员台账", after, StringComparison.Ordinal);
        Assert.Contains("已在台账", after, StringComparison.Ordinal);
        Assert.NotNull(await app.WithDbAsync(db => db.Set<CaseParty>().IgnoreQueryFilters().Where(p => p.Id == person).Select(p => p.KeyPersonId).SingleAsync()));
    }
}
