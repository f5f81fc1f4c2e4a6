using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Persons;

/// <summary>
/// Who answers (issue 12): routing reaches persons with or without accounts, falls back up the chain, copies the
/// department, follows merges; the 包保责任人 reads the adit they answer for outside their scope.
/// </summary>
public sealed class ResponsibilityTests
{
    private static string NewPhone() => "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Task<Person> PersonAsync(TestApp app, string division, Guid? userId = null, string? phone = null) =>
        app.WithDbAsync(async db =>
        {
            var person = Person.Create(division, "测试责任人" + Guid.NewGuid().ToString("N")[..4], phone ?? NewPhone(), "测试村委会", "包村干部", null, userId,
                db.Clock.GetUtcNow().UtcDateTime);
            db.Add(person);
            await db.SaveChangesAsync();
            return person;
        });

    private static Task<Adit> AditOfPersonAsync(TestApp app, Guid? personId, string? grid, string township = Township) =>
        app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var adit = Adit.Register($"RSP-{Guid.NewGuid():N}"[..20], new Adit.Place(township[..6], township, null, grid), 111.95, 34.05,
                new Adit.Details("责任测试矿硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null, personId), now);
            adit.Seal(new Adit.SealWork(new DateOnly(2026, 10, 1), SealMethod.Concrete, null, "施工队", null, null), null, now);
            db.Add(adit);
            await db.SaveChangesAsync();
            return adit;
        });

    /// <summary>A camera at the adit sees a person; the alert jobs route it.</summary>
    private static async Task<Alert> AlertAtAsync(TestApp app, Guid aditId)
    {
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var camera = (await DeviceAsync(office, "camera", keyId, aditId)).GetProperty("code").GetString()!;
        await IngestAsync(integration, Event(EventTypes.Camera, camera, new { subject = "person" }));
        await RunJobsAsync(app);
        return await AlertOfAsync(app, aditId);
    }

    private static Task<List<Notification>> NotesAsync(TestApp app, Guid alertId) =>
        app.WithDbAsync(db => db.Set<Notification>().Beyond(ScopeExit.SystemJudgement).Where(n => n.SourceId == alertId).ToListAsync());

    [Theory, OnSqlite, OnPostgres]
    public async Task A_cadre_without_an_account_gets_the_sms_only_and_the_police_get_their_copy(string provider)
    {
        var app = await TestApp.Shared(provider);
        var cadre = await PersonAsync(app, Township);
        var adit = await AditOfPersonAsync(app, cadre.Id, Grid);

        var alert = await AlertAtAsync(app, adit.Id);
        Assert.NotNull(alert.RoutedUtc);
        Assert.Null(alert.AssigneeUserId); // nobody with an account answers first: the desk assigns
        var sms = await SmsForAsync(app, alert.Id);
        Assert.Contains(sms, s => s.Phone == cadre.Phone && s.UserId == null);
        // The grid's own people (sx-resp) are not told: the adit names its person.
        var resp = await UserIdAsync(app, "sx-resp");
        Assert.DoesNotContain(sms, s => s.UserId == resp);
        // Department copy: the rule tells the police (public-security) of the county, in-app and by SMS.
        var police = await UserIdAsync(app, "sx-police");
        Assert.Contains(sms, s => s.UserId == police);
        var notes = await NotesAsync(app, alert.Id);
        Assert.Contains(notes, n => n.UserId == police);
        Assert.DoesNotContain(notes, n => n.UserId == resp);
        var timeline = await app.WithDbAsync(db => db.AlertEntries().Where(e => e.AlertId == alert.Id && e.Kind == "routed").Select(e => e.Text).SingleAsync());
        Assert.Contains(cadre.Name, timeline, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_person_with_an_account_named_through_the_adit_api_is_told_in_app_and_by_sms(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var patrol = await UserIdAsync(app, "sx-patrol");
        // The office names the person by log-in: the adit points at the person linked to that account (made if needed).
        var spot = Spots.Songxian();
        var created = await office.PostAsJsonAsync("/api/adits", new
        {
            township = "陶村林场", lon = spot.Lon.ToString("F6"), lat = spot.Lat.ToString("F6"), responsible = "sx-patrol", sealState = "已封堵", sealMethod = "混凝土浇筑", sealedOn = "2026-10-01",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var aditId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adit").GetProperty("id").GetGuid();
        var named = await app.WithDbAsync(db => db.Adits().Where(a => a.Id == aditId).Select(a => new { a.ResponsiblePersonId, a.ResponsibleUserId }).SingleAsync());
        Assert.Equal(patrol, named.ResponsibleUserId);
        var person = await app.WithDbAsync(db => db.Set<Person>().SingleAsync(p => p.Id == named.ResponsiblePersonId));
        Assert.Equal(patrol, person.UserId);

        // An unknown name is refused, naming the field, in Chinese.
        var bad = await office.PostAsJsonAsync("/api/adits", new { township = "陶村林场", lon = "112.0", lat = "34.0", responsible = "查无此人" + Guid.NewGuid().ToString("N")[..4] });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("责任人名录", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("responsible")[0].GetString(), StringComparison.Ordinal);

        var adit = await app.WithDbAsync(db => db.Adits().SingleAsync(a => a.Id == aditId));
        Assert.Equal(SealState.Sealed, adit.State);
        var alert = await AlertAtAsync(app, aditId);
        Assert.Equal(patrol, alert.AssigneeUserId);
        Assert.Contains(await NotesAsync(app, alert.Id), n => n.UserId == patrol);
        Assert.Contains(await SmsForAsync(app, alert.Id), s => s.UserId == patrol && s.Phone == "13800000003");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Without_a_person_on_the_adit_the_grid_s_named_person_and_leader_answer(string provider)
    {
        var app = await TestApp.Shared(provider);
        var answerer = await PersonAsync(app, Township);
        var leader = await PersonAsync(app, Township);
        var grid = await app.WithDbAsync(async db =>
        {
            var township = await db.Divisions.SingleAsync(d => d.Code == Township);
            var serial = Random.Shared.Next(500, 999);
            while (await db.Divisions.AnyAsync(d => d.Code == Division.GridCode(Township, serial))) serial = Random.Shared.Next(500, 999);
            var g = Division.Grid(township, serial, "责任测试网格" + serial, false, db.Clock.GetUtcNow().UtcDateTime);
            g.NameResponsible(answerer.Id, leader.Id);
            db.Add(g);
            await db.SaveChangesAsync();
            return g.Code;
        });
        var adit = await AditOfPersonAsync(app, null, grid);
        var alert = await AlertAtAsync(app, adit.Id);
        var sms = await SmsForAsync(app, alert.Id);
        Assert.Contains(sms, s => s.Phone == answerer.Phone);
        Assert.Contains(sms, s => s.Phone == leader.Phone);

        // Asked directly: from the grid up, and one level up the township's office users.
        using var scope = app.Services.CreateScope();
        var responsibility = scope.ServiceProvider.GetRequiredService<Responsibility>();
        var atGrid = await responsibility.WhoAnswersAsync(new Place(grid, adit.Id), AnswerLevel.Person, null, default);
        Assert.Equal([answerer.Id, leader.Id], atGrid.Select(a => a.PersonId!.Value));
        Assert.All(atGrid, a => Assert.Equal(AnswerLevel.Grid, a.Level));
        var county = await responsibility.WhoAnswersAsync(new Place(grid), AnswerLevel.County, null, default);
        Assert.Contains(county, a => a.UserId is not null && a.Level == AnswerLevel.County);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_person_merged_into_another_resolves_to_the_survivor(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var duplicate = await PersonAsync(app, Township);
        var survivor = await PersonAsync(app, Township);
        var adit = await AditOfPersonAsync(app, duplicate.Id, Grid);
        var merged = await office.PostAsJsonAsync($"/api/persons/{duplicate.Id}/merge", new { into = survivor.Id });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);

        var alert = await AlertAtAsync(app, adit.Id);
        var sms = await SmsForAsync(app, alert.Id);
        Assert.Contains(sms, s => s.Phone == survivor.Phone);
        Assert.DoesNotContain(sms, s => s.Phone == duplicate.Phone);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_responsible_person_reads_an_adit_assigned_to_them_outside_their_scope_read_only(string provider)
    {
        var app = await TestApp.Shared(provider);
        var resp = await UserIdAsync(app, "sx-resp"); // scope: 陶村林场 first grid
        var person = await app.WithDbAsync(async db =>
        {
            var id = await db.PersonForUserAsync(resp, default);
            await db.SaveChangesAsync();
            return id!.Value;
        });
        // An adit in another township (城关镇 410325100), outside sx-resp's grid, names them.
        var adit = await AditOfPersonAsync(app, person, null, "410325100");
        var other = await AditOfPersonAsync(app, null, null, "410325100");

        var client = await app.LoginAsync("sx-resp");
        var detail = await client.GetAsync($"/api/adits/{adit.Id}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var body = await detail.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(body.GetProperty("allowedActions").EnumerateArray()); // read-only
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/adits/{adit.Id}")).StatusCode);
        // Not any adit outside the scope: only the one assigned.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/adits/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/adits/{other.Id}")).StatusCode);
        // Another county and anonymous callers do not see it either.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/api/adits/{adit.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/adits/{adit.Id}")).StatusCode);
    }
}
