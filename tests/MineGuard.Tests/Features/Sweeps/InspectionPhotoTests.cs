using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Features.Sweeps;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Sweeps.SweepsApiTests;

namespace MineGuard.Tests.Features.Sweeps;

/// <summary>
/// Photos taken with an offline inspection (issue 17): the field app queues them in its one outbox after the inspection and
/// sends each under the phone's id (PUT /api/inspections/{id}/photos/{photoId}, raw bytes). Stored once however often,
/// also when two sends race; before the inspection arrives 404 (kept in the queue); not an image names the field;
/// anonymous 401, another county 404.
/// </summary>
public sealed class InspectionPhotoTests
{
    internal static HttpRequestMessage Photo(Guid inspection, Guid photoId, byte[] bytes) =>
        new(HttpMethod.Put, $"/api/inspections/{inspection}/photos/{photoId}") { Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("image/jpeg") } } };

    private static async Task<Guid> InspectionAsync(TestApp app, HttpClient patrol, string mark)
    {
        var id = Guid.NewGuid();
        await OkJson(patrol.PutAsJsonAsync($"/api/inspections/{id}", new
        {
            placeKind = "coal-yard", placeName = $"{mark} 煤场", divisionCode = "410325400G001", at = app.Clock.GetUtcNow().AddHours(-1).ToString("o"),
            answers = new Dictionary<string, bool> { ["spoil"] = true },
        }), HttpStatusCode.Created);
        return id;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_photo_sent_after_its_offline_inspection_is_stored_once_in_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        var patrol = await app.LoginAsync("sx-patrol");
        var mark = "P" + Guid.NewGuid().ToString("N")[..8];
        var early = Guid.NewGuid();
        var photoId = Guid.NewGuid();
        var bytes = ExifJpeg.Create(new DateTime(2026, 12, 1, 9, 30, 0), 111.95, 34.10, Random.Shared.Next(1, 1_000_000));

        // Queued before its inspection arrived: 404, nothing stored (the outbox keeps it and tries again).
        Assert.Equal(HttpStatusCode.NotFound, (await patrol.SendAsync(Photo(early, photoId, bytes))).StatusCode);
        var id = await InspectionAsync(app, patrol, mark);

        // Anonymous: 401. Another county (洪江市's office and patrol): the inspection is not theirs, 404, nothing stored.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().SendAsync(Photo(id, photoId, bytes))).StatusCode);
        foreach (var user in new[] { "hj-office", "hj-patrol" })
            Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync(user)).SendAsync(Photo(id, Guid.NewGuid(), bytes))).StatusCode);
        // Read-only users do not add photos.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).SendAsync(Photo(id, Guid.NewGuid(), bytes))).StatusCode);

        // Not an image, or nothing: 400 naming the file, nothing stored.
        var bad = await patrol.SendAsync(Photo(id, Guid.NewGuid(), "not an image"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("照片", (await bad.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await patrol.SendAsync(Photo(id, Guid.NewGuid(), []))).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectType == Inspection.FileSubject && f.SubjectId == id)));

        // Sent, then sent again by the outbox (the answer was lost): stored once, the same file answered.
        var first = await OkJson(patrol.SendAsync(Photo(id, photoId, bytes)), HttpStatusCode.Created);
        var again = await OkJson(patrol.SendAsync(Photo(id, photoId, bytes)));
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectType == Inspection.FileSubject && f.SubjectId == id)));

        // The inspection shows it, and the office of the county (and the city) can fetch the bytes.
        var office = await app.LoginAsync("sx-office");
        var view = await OkJson(office.GetAsync($"/api/inspections/{id}"));
        var url = view.GetProperty("photos")[0].GetProperty("url").GetString()!;
        Assert.Equal(bytes, await office.GetByteArrayAsync(url));
        Assert.Equal(HttpStatusCode.OK, (await (await app.LoginAsync("ly-leader")).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync(url)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_photo_sent_concurrently_is_stored_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var patrol = await app.LoginAsync("sx-patrol");
        var id = await InspectionAsync(app, patrol, "C" + Guid.NewGuid().ToString("N")[..8]);
        var photoId = Guid.NewGuid();
        // New bytes: the stored file itself is raced for too (its hash is unique as well).
        var bytes = ExifJpeg.Create(new DateTime(2026, 12, 2, 10, 0, 0), 111.96, 34.11, Random.Shared.Next(1, 1_000_000));
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.LoginAsync("sx-patrol")));

        var answers = await Task.WhenAll(clients.Select(c => c.SendAsync(Photo(id, photoId, bytes))));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectType == Inspection.FileSubject && f.SubjectId == id)));
    }
}
