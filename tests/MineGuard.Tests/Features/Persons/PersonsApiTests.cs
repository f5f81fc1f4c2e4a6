using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Platform.People;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Persons;

/// <summary>责任人 without accounts: added, found, masked, edited and merged by the office of their county only.</summary>
public sealed class PersonsApiTests
{
    private static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object Body(string phone, string name = "黄庄村支书", string division = "410325100") =>
        new { divisionCode = division, name, phone, unit = "黄庄村村委会", post = "村支部书记" };

    [Theory, OnSqlite, OnPostgres]
    public async Task The_office_adds_a_cadre_without_an_account_and_others_see_the_phone_masked(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var phone = NewPhone();
        var name = "张" + Guid.NewGuid().ToString("N")[..4];
        // Typed as people type it: full-width digits, spaces and a +86 prefix.
        var typed = "+86 " + string.Concat(phone.Select(c => (char)(c - '0' + '０'))).Insert(3, " ");
        var created = await office.PostAsJsonAsync("/api/persons", Body(typed, name));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var person = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(phone, person.GetProperty("phone").GetString());
        Assert.False(person.GetProperty("hasAccount").GetBoolean());
        var id = person.GetProperty("id").GetGuid();

        // Found by name and by phone; a leader of the county reads the phone masked.
        var byName = await office.GetFromJsonAsync<JsonElement>($"/api/persons?q={Uri.EscapeDataString(name)}");
        Assert.Contains(byName.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);
        var byPhone = await office.GetFromJsonAsync<JsonElement>($"/api/persons?q={phone}");
        Assert.Single(byPhone.GetProperty("items").EnumerateArray());
        var leader = await app.LoginAsync("sx-leader");
        var seen = await leader.GetFromJsonAsync<JsonElement>($"/api/persons/{id}");
        Assert.Equal(phone[..3] + "****" + phone[^4..], seen.GetProperty("phone").GetString());
        Assert.True(seen.GetProperty("phoneMasked").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/persons", Body(NewPhone()))).StatusCode);

        // Edited by the office.
        var edited = await office.PutAsJsonAsync($"/api/persons/{id}", new { divisionCode = "410325100", name, phone, unit = "黄庄村", post = "包村干部" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("包村干部", (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("post").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Anonymous_another_county_and_bad_input_are_refused_and_nothing_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var phone = NewPhone();
        var id = (await (await office.PostAsJsonAsync("/api/persons", Body(phone))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/persons")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/persons", Body(NewPhone()))).StatusCode);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/persons/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PutAsJsonAsync($"/api/persons/{id}", Body(phone, division: "431281101"))).StatusCode);
        Assert.DoesNotContain((await hongjiang.GetFromJsonAsync<JsonElement>($"/api/persons?q={phone}")).GetProperty("items").EnumerateArray(), _ => true);
        // Another county's division is not the caller's to file people under.
        var foreign = await hongjiang.PostAsJsonAsync("/api/persons", Body(NewPhone(), division: "410325100"));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.True((await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("divisionCode", out _));

        var bad = await office.PostAsJsonAsync("/api/persons", new { divisionCode = "", name = "", phone = "12345" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("手机号", errors.GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("divisionCode", out _));

        // The same phone twice in a county is the same person: refused, pointing at the first record.
        var twice = await office.PostAsJsonAsync("/api/persons", Body(phone, "另一人"));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("黄庄村支书", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => Task.FromResult(db.Set<Person>().Count(p => p.Phone == phone))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Two_records_of_one_person_are_merged_within_the_county_only(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var phone = NewPhone();
        // A ledger import (issue 13) may store a person twice; the office merges them.
        var (first, second) = await app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var a = Person.Create("410325100", "李四", phone, null, null, null, null, now);
            var b = Person.Create("410325100", "李四（网格员）", phone, "黄庄村", "网格员", null, null, now);
            db.AddRange(a, b);
            await db.SaveChangesAsync();
            return (a.Id, b.Id);
        });
        var groups = await office.GetFromJsonAsync<JsonElement>("/api/persons/duplicates");
        Assert.Contains(groups.EnumerateArray(), g => g.GetProperty("phone").GetString() == phone && g.GetProperty("persons").GetArrayLength() == 2);

        var hjPerson = await (await (await app.LoginAsync("hj-office")).PostAsJsonAsync("/api/persons", Body(NewPhone(), division: "431281101")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var across = await office.PostAsJsonAsync($"/api/persons/{second}/merge", new { into = hjPerson.GetProperty("id").GetGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, across.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/persons/{second}/merge", new { })).StatusCode);

        var merged = await office.PostAsJsonAsync($"/api/persons/{second}/merge", new { into = first });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var self = await office.PostAsJsonAsync($"/api/persons/{first}/merge", new { into = first });
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        var list = await office.GetFromJsonAsync<JsonElement>($"/api/persons?q={phone}");
        Assert.Equal(first, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(first, await app.WithDbAsync(db => Task.FromResult(db.Set<Person>().Single(p => p.Id == second).MergedIntoId)));
    }

    [Fact]
    public void Phones_are_normalised_and_masked()
    {
        Assert.True(PhoneNumber.TryNormalize("0086-138 0013 8000", out var m));
        Assert.Equal("13800138000", m);
        Assert.True(PhoneNumber.TryNormalize("（0379）6612 3456", out var l));
        Assert.Equal("037966123456", l);
        Assert.False(PhoneNumber.TryNormalize("12800138000", out _));
        Assert.False(PhoneNumber.TryNormalize("138001380OO", out _));
        Assert.Equal("138****8000", PhoneNumber.Mask("13800138000"));
    }
}
