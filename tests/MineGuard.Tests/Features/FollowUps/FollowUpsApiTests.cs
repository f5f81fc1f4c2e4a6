using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.FollowUps;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.FollowUps;

/// <summary>待办事项 over HTTP: listed by scope and source, closed once with what was done.</summary>
public sealed class FollowUpsApiTests
{
    private static Task<Guid> OpenAsync(TestApp app, string division, string sourceType = "patrol-finding") =>
        app.WithDbAsync(async db =>
        {
            var f = FollowUp.Open(division, null, sourceType, Guid.NewGuid(), $"测试待办 {Guid.NewGuid():N}"[..16], "洞口有新脚印", null,
                new DateOnly(2026, 11, 9), null, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(f);
            await db.SaveChangesAsync();
            return f.Id;
        });

    [Theory, OnSqlite, OnPostgres]
    public async Task Follow_ups_are_listed_in_scope_and_closed_once_with_a_resolution(string provider)
    {
        var app = await TestApp.Shared(provider);
        var id = await OpenAsync(app, "410325400");
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/follow-ups")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/follow-ups/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "x" })).StatusCode);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/follow-ups/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "x" })).StatusCode);
        Assert.DoesNotContain(id.ToString(), await hongjiang.GetStringAsync("/api/follow-ups?status=all"), StringComparison.Ordinal);

        var office = await app.LoginAsync("sx-office");
        var list = await office.GetFromJsonAsync<JsonElement[]>("/api/follow-ups?sourceType=patrol-finding");
        var item = list!.Single(f => f.GetProperty("id").GetGuid() == id);
        Assert.Equal("巡查发现", item.GetProperty("sourceName").GetString());
        Assert.Equal("open", item.GetProperty("status").GetString());
        var badStatus = await office.GetAsync("/api/follow-ups?status=someday");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);

        var empty = await office.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("办理结果", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("resolution")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "x" })).StatusCode);

        var closed = await office.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "已回填封堵" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("done", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var again = await office.PostAsJsonAsync($"/api/follow-ups/{id}/close", new { resolution = "再次" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("已回填封堵", await app.WithDbAsync(db => db.Set<FollowUp>().Where(f => f.Id == id).Select(f => f.Resolution).SingleAsync()));
        Assert.DoesNotContain(id.ToString(), await office.GetStringAsync("/api/follow-ups"), StringComparison.Ordinal);
        Assert.Contains(id.ToString(), await office.GetStringAsync("/api/follow-ups?status=done"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_follow_up_page_closes_an_item_and_explains_a_missing_resolution(string provider)
    {
        var app = await TestApp.Shared(provider);
        var id = await OpenAsync(app, "410325400", "alert");
        var office = await app.LoginAsync("sx-office");
        var page = await office.GetStringAsync("/follow-ups?source=alert");
        Assert.Contains($"id=\"f-{id}\"", page, StringComparison.Ordinal);
        var token = await TestApp.AntiForgeryTokenAsync(office, "/follow-ups");
        var empty = await office.PostAsync($"/follow-ups?handler=Close&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Resolution"] = "", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("请填写办理结果", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var done = await office.PostAsync($"/follow-ups?handler=Close&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Resolution"] = "已处理", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("已办结", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
