using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Tests.Features.Mines;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Divisions;

/// <summary>
/// 责任分工: the office names who answers for a grid, village or township and the level's leader (people with or
/// without accounts), over the API and the page; a mine names its safety officer in its form. What the escalation
/// reads (<c>Responsibility</c>) is what was named here.
/// </summary>
public sealed class DivisionPeopleTests
{
    private const string Township = "410325400";

    private static string NewPhone() => "137" + Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Task<Person> PersonAsync(TestApp app, string division) =>
        app.WithDbAsync(async db =>
        {
            var person = Person.Create(division, "分工测试" + Guid.NewGuid().ToString("N")[..6], NewPhone(), "陶村林场", "包村干部", null, null,
                db.Clock.GetUtcNow().UtcDateTime);
            db.Add(person);
            await db.SaveChangesAsync();
            return person;
        });

    private static Task<string> GridAsync(TestApp app) =>
        app.WithDbAsync(async db =>
        {
            var township = await db.Divisions.SingleAsync(d => d.Code == Township);
            var serial = Random.Shared.Next(500, 999);
            while (await db.Divisions.AnyAsync(d => d.Code == Division.GridCode(Township, serial))) serial = Random.Shared.Next(500, 999);
            var grid = Division.Grid(township, serial, "分工测试网格" + serial, false, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(grid);
            await db.SaveChangesAsync();
            return grid.Code;
        });

    private static Task<(Guid? Responsible, Guid? Leader)> StoredAsync(TestApp app, string code) =>
        app.WithDbAsync(db => db.Divisions.Where(d => d.Code == code).Select(d => new ValueTuple<Guid?, Guid?>(d.ResponsiblePersonId, d.LeaderPersonId)).SingleAsync());

    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_office_names_a_grid_s_person_and_leader_and_others_cannot(string provider)
    {
        var app = await TestApp.Shared(provider);
        var grid = await GridAsync(app);
        var cadre = await PersonAsync(app, Township);
        var leader = await PersonAsync(app, Township);
        var body = new { responsible = cadre.Phone, leader = $"{leader.Name}（{leader.Phone}）" };
        var url = $"/api/divisions/{grid}/people";

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PutAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).PutAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).PutAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PutAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync(url)).StatusCode);
        Assert.Equal((null, null), await StoredAsync(app, grid));

        // A name nobody in the county has, and a person of another county: refused by field, nothing changed.
        var office = await app.LoginAsync("sx-office");
        var stranger = await PersonAsync(app, "431281101");
        var errors = await ErrorsAsync(await office.PutAsJsonAsync(url, new { responsible = "查无此人" + Guid.NewGuid().ToString("N")[..4], leader = stranger.Phone }));
        Assert.Contains("不是本县责任人名录中的人员", errors["responsible"][0], StringComparison.Ordinal);
        Assert.Contains(stranger.Phone, errors["leader"][0], StringComparison.Ordinal);
        Assert.Equal((null, null), await StoredAsync(app, grid));
        errors = await ErrorsAsync(await office.PutAsJsonAsync(url, new { responsible = new string('长', 101) }));
        Assert.True(errors.ContainsKey("responsible") || errors.ContainsKey("Responsible"));

        var named = await office.PutAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        var view = await named.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(cadre.Id, view.GetProperty("responsiblePersonId").GetGuid());
        Assert.StartsWith(cadre.Name, view.GetProperty("responsibleName").GetString(), StringComparison.Ordinal);
        Assert.Equal((cadre.Id, leader.Id), await StoredAsync(app, grid));

        // The township's list shows the grid's people; the escalation reads them.
        var people = await office.GetFromJsonAsync<JsonElement[]>($"/api/divisions/{Township}/people");
        var row = Assert.Single(people!, p => p.GetProperty("code").GetString() == grid);
        Assert.Equal(leader.Id, row.GetProperty("leaderPersonId").GetGuid());
        Assert.DoesNotContain(cadre.Phone, JsonSerializer.Serialize(people), StringComparison.Ordinal);
        using (var scope = app.Services.CreateScope())
        {
            var chain = await scope.ServiceProvider.GetRequiredService<Responsibility>().WhoAnswersAsync(new Place(grid), AnswerLevel.Grid, null, default);
            Assert.Equal([cadre.Id, leader.Id], chain.Select(a => a.PersonId));
        }

        // Blank clears.
        Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync(url, new { responsible = "", leader = leader.Id.ToString() })).StatusCode);
        Assert.Equal((null, leader.Id), await StoredAsync(app, grid));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_divisions_page_names_people_and_shows_errors_beside_the_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var grid = await GridAsync(app);
        var cadre = await PersonAsync(app, Township);
        var office = await app.LoginAsync("sx-office");
        var token = await TestApp.AntiForgeryTokenAsync(office, $"/admin/divisions?code={grid}");

        var bad = await office.PostAsync($"/admin/divisions?handler=People&code={grid}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["People.Responsible"] = "查无此人", ["People.Leader"] = cadre.Phone, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("责任人“查无此人”不是本县责任人名录中的人员", html, StringComparison.Ordinal);
        Assert.Contains("value=\"查无此人\"", html, StringComparison.Ordinal);
        Assert.Equal((null, null), await StoredAsync(app, grid));

        var good = await office.PostAsync($"/admin/divisions?handler=People&code={grid}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["People.Responsible"] = cadre.Phone, ["People.Leader"] = "", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal((cadre.Id, null), await StoredAsync(app, grid));
        var township = await office.GetStringAsync($"/admin/divisions?code={Township}");
        Assert.Contains(cadre.Name, township, StringComparison.Ordinal);

        // The office may name people but not add grids; other counties and readers get nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/admin/divisions?code={grid}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await (await app.LoginAsync("sx-leader")).GetAsync($"/admin/divisions?code={grid}")).StatusCode);
        var add = await office.PostAsync("/admin/divisions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.ParentCode"] = Township, ["Input.Kind"] = "grid", ["Input.Name"] = "办公室不能加的网格", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        Assert.Contains("denied", add.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.False(await app.WithDbAsync(db => db.Divisions.AnyAsync(d => d.Name == "办公室不能加的网格")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_mine_names_its_safety_officer_from_the_county_s_people(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var officer = await PersonAsync(app, Township);
        var stranger = await PersonAsync(app, "431281101");

        var body = MineData.Body();
        body["responsible"] = stranger.Phone;
        var errors = await ErrorsAsync(await office.PostAsJsonAsync("/api/mines", body));
        Assert.Contains("不是本县责任人名录中的人员", errors["responsible"][0], StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().CountAsync(m => m.LicenceNumber == (string)body["licenceNumber"]!)));

        body["responsible"] = $"{officer.Name}（{officer.Phone}）";
        var mine = await MineData.CreateAsync(office, body);
        Assert.Equal(officer.Id, mine.GetProperty("responsiblePersonId").GetGuid());
        Assert.StartsWith(officer.Name, mine.GetProperty("responsibleName").GetString(), StringComparison.Ordinal);
        var id = mine.GetProperty("id").GetGuid();
        Assert.Contains(officer.Name, await office.GetStringAsync($"/mines/{id}"), StringComparison.Ordinal);
        // The edit form shows the person as it reads them back.
        Assert.Contains($"value=\"{officer.Name}（{officer.Phone}）\"", await office.GetStringAsync($"/mines/{id}/edit"), StringComparison.Ordinal);

        // A round trip through GET keeps the person; leaving the field out clears it.
        var again = MineData.Body(licence: mine.GetProperty("licenceNumber").GetString());
        again["responsible"] = mine.GetProperty("responsiblePersonId").GetGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync($"/api/mines/{id}", again)).StatusCode);
        Assert.Equal(officer.Id, await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().Where(m => m.Id == id).Select(m => m.ResponsiblePersonId).SingleAsync()));
        again.Remove("responsible");
        Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync($"/api/mines/{id}", again)).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().Where(m => m.Id == id).Select(m => m.ResponsiblePersonId).SingleAsync()));
    }
}
