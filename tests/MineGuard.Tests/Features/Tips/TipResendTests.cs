using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>A tip sent twice (a double tap, the back button, a client's retry) is stored once.</summary>
public sealed class TipResendTests
{
    private static Task<int> CountAsync(TestApp app, string description) =>
        app.WithDbAsync(db => db.Set<Tip>().CountAsync(t => t.Description == description));

    [Theory, OnSqlite, OnPostgres]
    public async Task The_public_form_sent_twice_is_stored_once_and_says_so(string provider)
    {
        var app = await TestApp.Shared(provider);
        var page = await app.Anonymous().GetStringAsync("/report");
        Assert.Matches("name=\"Input.ClientId\" value=\"[0-9a-f-]{36}\"", page);

        var description = "重复提交 " + Guid.NewGuid().ToString("N")[..8];
        var fields = Fields(description: description);
        fields["Input.ClientId"] = Guid.NewGuid().ToString();
        var first = await SubmitAsync(app.Anonymous(), fields, pow: true);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.Code);

        var again = await SubmitAsync(app.Anonymous(), fields, pow: true);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Null(again.Code);
        Assert.Contains("这份举报已经收到", again.Html, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(app, description));

        // Sent at the same moment: still one.
        var both = Fields(description: description + " 同时");
        both["Input.ClientId"] = Guid.NewGuid().ToString();
        var raced = await Task.WhenAll(SubmitAsync(app.Anonymous(), both, pow: true), SubmitAsync(app.Anonymous(), both, pow: true));
        Assert.All(raced, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(raced, r => r.Code is not null);
        Assert.Equal(1, await CountAsync(app, description + " 同时"));

        // Without an id (an old page in a phone's cache): stored as before.
        var plain = Fields(description: description + " 无编号");
        Assert.NotNull((await SubmitAsync(app.Anonymous(), plain, pow: true)).Code);
        Assert.NotNull((await SubmitAsync(app.Anonymous(), plain, pow: true)).Code);
        Assert.Equal(2, await CountAsync(app, description + " 无编号"));

        // A mangled id (the field is hidden: a broken page or client) loses nothing: the tip is stored as without one.
        var bad = Fields(description: description + " 坏编号");
        bad["Input.ClientId"] = "不是编号";
        Assert.NotNull((await SubmitAsync(app.Anonymous(), bad, pow: true)).Code);
        Assert.Equal(1, await CountAsync(app, description + " 坏编号"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_staff_record_sent_twice_is_stored_once_and_another_countys_id_is_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var description = "电话举报重发 " + Guid.NewGuid().ToString("N")[..8];
        var clientId = Guid.NewGuid();
        object Body(string text, Guid id, string division = "431281101") =>
            new { channel = "Phone", divisionCode = division, kinds = new[] { "digging" }, description = text, clientId = id };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/tips", Body(description, clientId))).StatusCode);
        var office = await app.LoginAsync("hj-office");
        var created = await office.PostAsJsonAsync("/api/tips", Body(description, clientId));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(first.GetProperty("receiptCode").GetString()));

        var again = await office.PostAsJsonAsync("/api/tips", Body(description, clientId));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, second.GetProperty("receiptCode").ValueKind);
        Assert.Equal(first.GetProperty("tip").GetProperty("id").GetGuid(), second.GetProperty("tip").GetProperty("id").GetGuid());
        Assert.Equal(1, await CountAsync(app, description));

        // 嵩县's office using 洪江's id learns nothing about that tip: a named field error, nothing stored.
        var songxian = await app.LoginAsync("sx-office");
        var foreign = await songxian.PostAsJsonAsync("/api/tips", Body(description + " 他县", clientId, "410325100"));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        var problem = await foreign.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("clientId", out _));
        Assert.DoesNotContain(description, await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(app, description + " 他县"));
    }
}
