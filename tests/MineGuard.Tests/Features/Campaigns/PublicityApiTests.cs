using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Campaigns;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Campaigns.CampaignsApiTests;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Campaigns;

/// <summary>
/// Issue 19 (publicity) through HTTP: an activity reaching a village of a mining township moves it from not reached to
/// reached in the coverage; a resend is stored once; materials are photos or PDF; bad input named per field; other
/// counties, departments that did not take part and anonymous callers refused.
/// </summary>
public sealed class PublicityApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task An_activity_reaches_a_village_of_a_mining_township_and_the_coverage_shows_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var mark = "P" + Guid.NewGuid().ToString("N")[..8];
        var office = await app.LoginAsync("sx-office");
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/publicity")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/publicity/coverage")).StatusCode);

        var coverage = await OkJson(office.GetAsync("/api/publicity/coverage?county=410325"));
        Assert.Equal("410325", coverage.GetProperty("countyCode").GetString());
        var townships = coverage.GetProperty("townships").EnumerateArray().ToList();
        Assert.NotEmpty(townships);
        Assert.All(townships, t => Assert.True(t.GetProperty("adits").GetInt32() + t.GetProperty("mines").GetInt32() > 0));
        var (township, village) = townships.SelectMany(t => t.GetProperty("villageList").EnumerateArray().Select(v => (t, v)))
            .First(x => !x.v.GetProperty("reached").GetBoolean());
        var villageCode = village.GetProperty("code").GetString()!;
        var townshipCode = township.GetProperty("code").GetString()!;

        object Body(Guid? clientId = null, string? date = null, string kind = "warning-education", object? villages = null, object? people = null,
            string[]? departments = null, string? division = null) => new
        {
            clientId, divisionCode = division ?? townshipCode, kind, date = date ?? today.ToString("yyyy-MM-dd"), place = $"{mark} 村委会广场",
            topic = "盲目施救的危害", peopleReached = people ?? 120, villages = villages ?? new[] { villageCode },
            departments = departments ?? ["natural-resources", "public-security"],
        };
        Assert.Contains("不能晚于今天", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(date: today.AddDays(1).ToString("yyyy-MM-dd"))), "date"),
            StringComparison.Ordinal);
        Assert.Contains("宣传形式", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(kind: "parade")), "kind"), StringComparison.Ordinal);
        Assert.Contains("受众人数", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(people: -1)), "peopleReached"), StringComparison.Ordinal);
        Assert.Contains("431281", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(villages: new[] { "431281100201" })), "villages"),
            StringComparison.Ordinal);
        Assert.Contains("部门", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(departments: ["nobody"])), "departments"), StringComparison.Ordinal);
        Assert.Contains("管辖范围", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(division: "431281")), "divisionCode"), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PublicityActivity>().CountAsync(a => a.Place.StartsWith(mark))));

        // Recorded, then sent again: stored once.
        var clientId = Guid.NewGuid();
        var activity = await OkJson(office.PostAsJsonAsync("/api/publicity", Body(clientId)), HttpStatusCode.Created);
        Assert.Equal("警示教育会", activity.GetProperty("kindName").GetString());
        Assert.Equal(villageCode, Assert.Single(activity.GetProperty("villages").EnumerateArray()).GetProperty("code").GetString());
        var id = activity.GetProperty("id").GetGuid();
        Assert.Equal(id, (await OkJson(office.PostAsJsonAsync("/api/publicity", Body(clientId)))).GetProperty("id").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<PublicityActivity>().CountAsync(a => a.Place.StartsWith(mark))));

        // The village is reached now, on the activity's day.
        var after = (await OkJson(office.GetAsync("/api/publicity/coverage?county=410325"))).GetProperty("townships").EnumerateArray()
            .Single(t => t.GetProperty("code").GetString() == townshipCode).GetProperty("villageList").EnumerateArray()
            .Single(v => v.GetProperty("code").GetString() == villageCode);
        Assert.True(after.GetProperty("reached").GetBoolean());
        Assert.Equal(today.ToString("yyyy-MM-dd"), after.GetProperty("lastReachedOn").GetString());

        // Materials: a PDF is kept, a text file refused by field.
        var pdf = new MultipartFormDataContent();
        pdf.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n% leaflet " + mark + "\n%%EOF\n")) { Headers = { ContentType = new("application/pdf") } },
            "file", "宣传单.pdf");
        var material = await OkJson(office.PostAsync($"/api/publicity/{id}/materials", pdf), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(material.GetProperty("url").GetString())).StatusCode);
        var text = new MultipartFormDataContent { { new ByteArrayContent("hello"u8.ToArray()), "file", "a.txt" } };
        Assert.Contains("PDF", await ErrorOf(office.PostAsync($"/api/publicity/{id}/materials", text), "file"), StringComparison.Ordinal);
        Assert.Single((await OkJson(office.GetAsync($"/api/publicity/{id}"))).GetProperty("materials").EnumerateArray());

        // Another county sees none of it and may not ask for this county's coverage.
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/publicity/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync(material.GetProperty("url").GetString())).StatusCode);
        Assert.DoesNotContain(mark, await hj.GetStringAsync("/api/publicity"), StringComparison.Ordinal);
        Assert.Contains("管辖范围", await ErrorOf(hj.GetAsync("/api/publicity/coverage?county=410325"), "county"), StringComparison.Ordinal);
        Assert.Equal("431281", (await OkJson(hj.GetAsync("/api/publicity/coverage"))).GetProperty("countyCode").GetString());
        Assert.Contains("县", await ErrorOf(office.GetAsync("/api/publicity/coverage?county=41"), "county"), StringComparison.Ordinal);
        var again = new MultipartFormDataContent();
        again.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")) { Headers = { ContentType = new("application/pdf") } }, "file", "x.pdf");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.PostAsync($"/api/publicity/{id}/materials", again)).StatusCode);

        // The police took part: they read it but may not record; a department that did not take part does not see it.
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync($"/api/publicity/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsJsonAsync("/api/publicity", Body())).StatusCode);
        var forestry = (await MineGuard.Tests.Features.Cases.CaseFixtures.OfficersAsync(app, "forestry", 1))[0].UserName;
        var other = await app.LoginAsync(forestry);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/publicity/{id}")).StatusCode);
        Assert.DoesNotContain(mark, await other.GetStringAsync("/api/publicity"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_activity_may_name_the_campaign_it_serves(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)).ToString("yyyy-MM-dd");
        object Body(Guid campaignId) => new { divisionCode = "410325", kind = "村村响广播", date = today, place = "全县", peopleReached = 5000, campaignId };
        Assert.Contains("专项行动", await ErrorOf(office.PostAsJsonAsync("/api/publicity", Body(Guid.NewGuid())), "campaignId"), StringComparison.Ordinal);
        var campaign = await OkJson(office.PostAsJsonAsync("/api/campaigns", new
        {
            title = "宣传月 " + Guid.NewGuid().ToString("N")[..6], divisionCode = "410325",
            phases = new[] { new { name = "宣传发动", startsOn = today, endsOn = today, reportDueOn = today } },
        }), HttpStatusCode.Created);
        var a = await OkJson(office.PostAsJsonAsync("/api/publicity", Body(campaign.GetProperty("id").GetGuid())), HttpStatusCode.Created);
        Assert.Equal(campaign.GetProperty("id").GetGuid(), a.GetProperty("campaignId").GetGuid());
        Assert.Equal("village-broadcast", a.GetProperty("kind").GetString());
        Assert.Empty(a.GetProperty("villages").EnumerateArray());
    }
}
