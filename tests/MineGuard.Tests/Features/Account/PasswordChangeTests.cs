using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using MineGuard.Platform.Auth;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Account;

/// <summary>
/// 自助修改密码 (issue 11): every role changes their own password through /account/password or the API; bad input is a
/// Chinese 400 naming the field, a wrong current password too (never a 500); afterwards only the new password logs in.
/// Each test makes its own user, so no demo user's password ever changes.
/// </summary>
public sealed partial class PasswordChangeTests
{
    private const string First = "steady rain over hills";
    private const string Second = "quiet river at dawn 7";

    /// <summary>A new patrol member of 嵩县 made by the county's administrator; returns the user name.</summary>
    private static async Task<string> NewUserAsync(TestApp app)
    {
        var admin = await app.LoginAsync("sx-admin");
        // Not "pw" + hex: "pwd757202724" (a "d" then nine digits, ~1 name in 1,100) makes the password
        // "pwd7572027242026", which the common-password check refuses first ("pwd" and digits), so the test's
        // "built from the user name" message did not come. With "pwuser": 0 of 200,000 random names.
        var name = "pwuser" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "改密测试", password = First, divisionCode = "410325", departmentCode = "natural-resources",
            roles = new[] { "patrol" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return name;
    }

    /// <summary>A browser from its own address, so wrong passwords here never slow another test's log-in.</summary>
    private static HttpClient Browser(TestApp app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", NewSource());
        return client;
    }

    private static async Task<HttpClient> LoginAsync(TestApp app, string name, string password)
    {
        var client = Browser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.PostLoginAsync(client, name, password)).StatusCode);
        return client;
    }

    private static async Task<JsonElement> RefusedAsync(HttpClient client, object body, string field)
    {
        var response = await client.PostAsJsonAsync("/api/account/password", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
        return messages;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Anonymous_callers_and_API_keys_may_not_change_a_password(string provider)
    {
        var app = await TestApp.Shared(provider);
        var body = new { currentPassword = First, newPassword = Second, confirmPassword = Second };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/account/password", body)).StatusCode);
        var page = await app.Anonymous().GetAsync("/account/password");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var admin = await app.LoginAsync("sx-admin");
        var key = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "改密测试接入方", divisionCode = "410325" });
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        var plain = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plainKey").GetString()!;
        var integration = app.Anonymous();
        integration.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, plain);
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.PostAsJsonAsync("/api/account/password", body)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_is_a_Chinese_400_naming_the_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var name = await NewUserAsync(app);
        var client = await LoginAsync(app, name, First);

        Assert.Equal("当前密码不正确", (await RefusedAsync(client,
            new { currentPassword = "not the password 1", newPassword = Second, confirmPassword = Second }, "currentPassword"))[0].GetString());
        Assert.Equal("两次输入的新密码不一致", (await RefusedAsync(client,
            new { currentPassword = First, newPassword = Second, confirmPassword = Second + "x" }, "confirmPassword"))[0].GetString());
        Assert.Contains("10", (await RefusedAsync(client,
            new { currentPassword = First, newPassword = "short1", confirmPassword = "short1" }, "newPassword"))[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("常见", (await RefusedAsync(client,
            new { currentPassword = First, newPassword = "password12", confirmPassword = "password12" }, "newPassword"))[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("用户名", (await RefusedAsync(client,
            new { currentPassword = First, newPassword = name + "2026", confirmPassword = name + "2026" }, "newPassword"))[0].GetString(), StringComparison.Ordinal);
        await RefusedAsync(client, new { }, "currentPassword");
        await RefusedAsync(client, "not an object", "body");

        // Nothing changed: the first password still logs in.
        await LoginAsync(app, name, First);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task After_a_change_only_the_new_password_logs_in_and_the_change_is_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var name = await NewUserAsync(app);
        var client = await LoginAsync(app, name, First);
        var response = await client.PostAsJsonAsync("/api/account/password", new { currentPassword = First, newPassword = Second, confirmPassword = Second });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        // The caller stays signed in (a fresh cookie); the old password no longer logs in, the new one does.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        var old = await TestApp.PostLoginAsync(Browser(app), name, First);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains("用户名或密码不正确", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await LoginAsync(app, name, Second);

        var actions = await app.WithDbAsync(async db =>
        {
            var id = db.Users.Single(u => u.UserName == name).Id.ToString();
            return db.AuditRecords.Where(r => r.EntityId == id).Select(r => r.Action).ToList();
        });
        Assert.Contains("password-change", actions);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_shows_errors_beside_the_fields_and_then_密码已修改(string provider)
    {
        var app = await TestApp.Shared(provider);
        var name = await NewUserAsync(app);
        var client = await LoginAsync(app, name, First);
        var token = await TestApp.AntiForgeryTokenAsync(client, "/account/password");
        async Task<HttpResponseMessage> PostAsync(string current, string next, string confirm) =>
            await client.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["CurrentPassword"] = current, ["NewPassword"] = next, ["ConfirmPassword"] = confirm, ["__RequestVerificationToken"] = token,
            }));

        var mismatch = await PostAsync(First, Second, Second + "x");
        Assert.Equal(HttpStatusCode.OK, mismatch.StatusCode);
        var html = await mismatch.Content.ReadAsStringAsync();
        Assert.Matches(FieldMessage("ConfirmPassword", "两次输入的新密码不一致"), html);
        var wrong = await (await PostAsync("not the password 1", Second, Second)).Content.ReadAsStringAsync();
        Assert.Matches(FieldMessage("CurrentPassword", "当前密码不正确"), wrong);

        var done = await PostAsync(First, Second, Second);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/account/password?done=true", done.Headers.Location!.OriginalString);
        Assert.Contains("密码已修改", await client.GetStringAsync(done.Headers.Location!.OriginalString), StringComparison.Ordinal);
        await LoginAsync(app, name, Second);
    }

    private static Regex FieldMessage(string field, string message) =>
        new($"data-valmsg-for=\"{field}\"[^>]*>{Regex.Escape(message)}<");
}
