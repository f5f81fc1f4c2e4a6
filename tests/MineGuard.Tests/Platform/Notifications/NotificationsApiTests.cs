using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Platform.Notifications;

/// <summary>My notifications: only my own, an unread count, marking read.</summary>
public sealed class NotificationsApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_person_reads_their_own_notifications_and_the_unread_count_follows(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications/unread-count")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/notifications/{Guid.NewGuid()}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/notifications/read-all", null)).StatusCode);

        var (office, _, integration, adit, camera) = await CameraAtSealedAditAsync(app, await UserIdAsync(app, "sx-resp"));
        await IngestAsync(integration, Event(EventTypes.Camera, camera, new { subject = "machine" }));
        await RunJobsAsync(app);

        var person = await app.LoginAsync("sx-resp");
        var list = await person.GetFromJsonAsync<JsonElement>("/api/notifications?unread=true");
        var unread = list.GetProperty("unread").GetInt32();
        Assert.True(unread >= 1);
        var mine = list.GetProperty("items").EnumerateArray().First(n => n.GetProperty("title").GetString()!.Contains(adit.Number, StringComparison.Ordinal));
        Assert.Contains("签收", mine.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains("class=\"badge text-bg-danger\" id=\"unread-count\"", await person.GetStringAsync("/notifications"), StringComparison.Ordinal);

        // Someone else's notification is not found, whoever asks.
        var id = mine.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsync($"/api/notifications/{id}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await person.PostAsync($"/api/notifications/{id}/read", null)).StatusCode);
        Assert.Equal(unread - 1, (await person.GetFromJsonAsync<JsonElement>("/api/notifications/unread-count")).GetProperty("unread").GetInt32());
        Assert.Equal(0, (await (await person.PostAsync("/api/notifications/read-all", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unread").GetInt32());
        Assert.Equal(0, (await person.GetFromJsonAsync<JsonElement>("/api/notifications/unread-count")).GetProperty("unread").GetInt32());
    }
}
