using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Assignments;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Assignments;

/// <summary>
/// The old follow-up items' addresses after their retirement (migration 0019): pages redirect to the assignments (office,
/// leaders, administrators) or 我的待办 (everyone else); the API answers 410 with a Chinese problem naming the new address.
/// </summary>
public sealed class FollowUpsMovedTests
{
    /// <summary>An assignment copied from a follow-up keeps its id: one in 嵩县 with a due date.</summary>
    private static Task<Guid> AssignmentAsync(TestApp app) => app.WithDbAsync(async db =>
    {
        var a = AssignmentDesk.Open(db, "410325400", null, AssignmentKinds.FollowUp, "test", null, $"旧待办 {Guid.NewGuid():N}"[..16], null, null, null, null,
            null, new DateOnly(2026, 11, 20));
        await db.SaveChangesAsync();
        return a.Id;
    });

    [Theory, OnSqlite, OnPostgres]
    public async Task The_old_pages_send_office_users_to_the_assignments_and_others_to_their_own_work(string provider)
    {
        var app = await TestApp.Shared(provider);
        var id = await AssignmentAsync(app);

        var anonymous = app.Anonymous();
        var toLogin = await anonymous.GetAsync("/follow-ups");
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.Contains("/login", toLogin.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);

        var office = await app.LoginAsync("sx-office");
        async Task<string> Target(HttpClient c, string path)
        {
            var r = await c.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            return r.Headers.Location!.OriginalString;
        }
        Assert.Equal("/assignments", await Target(office, "/follow-ups"));
        Assert.Equal("/assignments?status=closed", await Target(office, "/follow-ups?status=done&source=alert"));
        Assert.Equal("/assignments", await Target(await app.LoginAsync("sx-leader"), "/follow-ups"));
        Assert.Equal("/my-work", await Target(await app.LoginAsync("sx-patrol"), "/follow-ups"));
        Assert.Equal("/my-work", await Target(await app.LoginAsync("sx-resp"), "/follow-ups?mine=true"));
        Assert.Equal($"/assignments/{id}", await Target(office, $"/follow-ups/{id}"));
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/assignments/{id}")).StatusCode);

        // Another county is sent along like anyone, and the assignment itself stays out of its reach.
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal($"/assignments/{id}", await Target(hongjiang, $"/follow-ups/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/assignments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/follow-ups/not-an-id")).StatusCode);

        // The menu no longer offers the old list; its successors are there.
        var home = await office.GetStringAsync("/");
        Assert.DoesNotContain("href=\"/follow-ups\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("跟进事项", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/my-work\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/assignments\"", home, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_old_api_is_gone_with_a_chinese_problem_naming_the_new_address(string provider)
    {
        var app = await TestApp.Shared(provider);
        var id = await AssignmentAsync(app);

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/follow-ups")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/follow-ups/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "x" })).StatusCode);

        async Task<JsonElement> Gone(HttpResponseMessage r, string movedTo)
        {
            Assert.Equal(HttpStatusCode.Gone, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(FollowUpsMoved.Code, problem.GetProperty("code").GetString());
            Assert.Equal(movedTo, problem.GetProperty("movedTo").GetString());
            Assert.Contains("督办事项", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains(movedTo, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            return problem;
        }

        var office = await app.LoginAsync("sx-office");
        await Gone(await office.GetAsync("/api/follow-ups?status=done"), "/api/assignments");
        await Gone(await office.GetAsync($"/api/follow-ups/{id}"), $"/api/assignments/{id}");
        await Gone(await office.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "已回填封堵" }), $"/api/assignments/{id}");
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/assignments/{id}")).StatusCode);

        // Another county learns nothing from the old address: the same answer as for a random id, and 404 at the new one.
        var hongjiang = await app.LoginAsync("hj-office");
        var mine = await Gone(await hongjiang.GetAsync($"/api/follow-ups/{id}"), $"/api/assignments/{id}");
        var random = Guid.NewGuid();
        var other = await Gone(await hongjiang.GetAsync($"/api/follow-ups/{random}"), $"/api/assignments/{random}");
        Assert.Equal(mine.GetProperty("title").GetString(), other.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/assignments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync("/api/follow-ups/not-an-id")).StatusCode);
    }
}
