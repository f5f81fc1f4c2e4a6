using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Clues;

/// <summary>
/// The forms of the clue and assignment pages over HTTP: behind the log-in, in scope and department, refusing bad input
/// beside the field with nothing changed, and back to the page by a GET after a step (the browser walk is
/// <c>CluePathTests</c> in the browser tests).
/// </summary>
public sealed class CluePagesTests
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TestApp.AntiForgeryTokenAsync(client, "/clues");
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    private static Task<ClueState> StateAsync(TestApp app, Guid id) => app.WithDbAsync(db => db.Set<Clue>().Where(c => c.Id == id).Select(c => c.State).SingleAsync());

    [Theory, OnSqlite, OnPostgres]
    public async Task Clue_page_forms_refuse_the_anonymous_other_counties_other_departments_readers_and_bad_input_then_act(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = Guid.NewGuid().ToString("N")[..8];
        var id = await CluesApiTests.ClueAsync(office, "410325400", $"媒体报道 {mark}：陶村林场后山有人打洞");
        var other = await CluesApiTests.ClueAsync(office, "410325400", $"上级交办 {mark}：陶村林场后山有人打洞", type: "superior");
        var (cadre, phone) = await CluesApiTests.CadreAsync(app);
        var assign = new Dictionary<string, string> { ["VerifierPersonId"] = cadre.ToString() };

        var anonymous = app.Anonymous();
        var page = await anonymous.GetAsync($"/clues/{id}");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.PostAsync($"/clues/{id}?handler=Assign", new FormUrlEncodedContent(assign))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(await app.LoginAsync("hj-office"), $"/clues/{id}?handler=Assign", new(assign))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(await app.LoginAsync("sx-police"), $"/clues/{id}?handler=Assign", new(assign))).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await PostAsync(await app.LoginAsync("sx-leader"), $"/clues/{id}?handler=Assign", new(assign))).StatusCode);
        Assert.Equal(ClueState.Received, await StateAsync(app, id));

        // The people offered can be narrowed to a name (a county names thousands).
        var (bystander, _) = await CluesApiTests.CadreAsync(app);
        var found = await office.GetStringAsync($"/clues/{id}?who={phone}");
        Assert.Contains(cadre.ToString(), found, StringComparison.Ordinal);
        Assert.DoesNotContain(bystander.ToString(), found, StringComparison.Ordinal);

        // Bad input: shown beside the field, what was typed kept, nothing changed.
        var noOne = await PostAsync(office, $"/clues/{id}?handler=Assign", new() { ["VerifierPersonId"] = "", ["DueOn"] = "2020-01-01" });
        Assert.Equal(HttpStatusCode.OK, noOne.StatusCode);
        var html = await noOne.Content.ReadAsStringAsync();
        Assert.Contains("请选择核查人", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2020-01-01\"", html, StringComparison.Ordinal);
        var noOutcome = await PostAsync(office, $"/clues/{id}?handler=Close", new() { ["Outcome"] = "", ["Note"] = "看看" });
        Assert.Contains("请选择办结方式", await noOutcome.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ClueState.Received, await StateAsync(app, id));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<SmsMessage>().CountAsync(m => m.SourceId == id)));

        // Success: back to the page by a GET, the cadre told by SMS.
        var assigned = await PostAsync(office, $"/clues/{id}?handler=Assign", assign);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal($"/clues/{id}?done=assigned", assigned.Headers.Location!.OriginalString);
        Assert.Contains("已指定核查人", await office.GetStringAsync(assigned.Headers.Location.OriginalString), StringComparison.Ordinal);
        Assert.Equal(ClueState.Verifying, await StateAsync(app, id));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<SmsMessage>().CountAsync(m => m.SourceId == id && m.Phone == phone)));

        // A photo that is not a photo is refused with its name, and the verification is not recorded.
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent(await TestApp.AntiForgeryTokenAsync(office, "/clues")), "__RequestVerificationToken");
            form.Add(new StringContent("true"), "Finding");
            form.Add(new StringContent("现场有新渣"), "Evidence");
            form.Add(new ByteArrayContent("not a photo"u8.ToArray()) { Headers = { ContentType = new("image/jpeg") } }, "Photos", "假照片.jpg");
            var refused = await office.PostAsync($"/clues/{id}?handler=Verify", form);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("假照片.jpg：只能上传照片", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(ClueState.Verifying, await StateAsync(app, id));

        // Merging goes on to the clue that now holds the sources.
        var merged = await PostAsync(office, $"/clues/{other}?handler=Merge", new() { ["IntoClueId"] = id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        Assert.Equal($"/clues/{id}?done=merged", merged.Headers.Location!.OriginalString);
        Assert.Equal(ClueState.Merged, await StateAsync(app, other));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Assignment_page_forms_refuse_other_counties_bad_input_and_the_same_person_verifying_then_act(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var id = await CluesApiTests.ClueAsync(office, "410325400", $"媒体报道 {Guid.NewGuid():N}"[..20]);
        var (cadre, _) = await CluesApiTests.CadreAsync(app);
        Assert.True((await office.PostAsJsonAsync($"/api/clues/{id}/assign", new { verifierPersonId = cadre })).IsSuccessStatusCode);
        Assert.True((await office.PostAsJsonAsync($"/api/clues/{id}/verify", new { finding = "true", evidence = "属实" })).IsSuccessStatusCode);
        var closed = await office.PostAsJsonAsync($"/api/clues/{id}/close", new { outcome = "rectification", responsiblePersonId = cadre });
        var assignment = (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignmentId").GetGuid();
        var url = $"/assignments/{assignment}";
        Task<AssignmentStatus> Status() => app.WithDbAsync(db => db.Set<Assignment>().Where(a => a.Id == assignment).Select(a => a.Status).SingleAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await app.Anonymous().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(await app.LoginAsync("hj-office"), $"{url}?handler=Complete", new() { ["Measures"] = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(await app.LoginAsync("sx-police"), $"{url}?handler=Complete", new() { ["Measures"] = "x" })).StatusCode);
        var empty = await PostAsync(office, $"{url}?handler=Complete", new() { ["Measures"] = " " });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("请填写采取的措施", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Open, await Status());

        var done = await PostAsync(office, $"{url}?handler=Complete", new() { ["Measures"] = "已回填" });
        Assert.Equal($"{url}?done=completed", done.Headers.Location!.OriginalString);
        var same = await PostAsync(office, $"{url}?handler=Verify", new() { ["Resolution"] = "同意销号" });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        var body = await same.Content.ReadAsStringAsync();
        Assert.Contains("验收销号须由完成人以外的另一人进行", body, StringComparison.Ordinal);
        Assert.Contains("同意销号</textarea>", body, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Completed, await Status());
        var second = await PostAsync(await app.LoginAsync("sx-admin"), $"{url}?handler=Verify", new() { ["Resolution"] = "同意销号" });
        Assert.Equal($"{url}?done=verified", second.Headers.Location!.OriginalString);
        Assert.Equal(AssignmentStatus.Closed, await Status());
    }
}
