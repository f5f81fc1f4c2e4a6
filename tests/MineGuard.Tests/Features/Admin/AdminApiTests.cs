using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Admin;

/// <summary>The admin API as sx-admin (嵩县) may use it and hj-admin (洪江市) may not, each test with its own data.</summary>
public sealed class AdminApiTests
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static object NewUser(string userName, string division = "410325100", string[]? roles = null) => new
    {
        userName, displayName = "测试用户", password = "test-pass-123", divisionCode = division,
        departmentCode = "natural-resources", roles = roles ?? ["patrol"], phoneNumber = "13800000000",
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Admin_endpoints_need_an_admin(string provider)
    {
        var app = await TestApp.Shared(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/admin/users")).StatusCode);
        var office = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync("/api/admin/users", NewUser(Unique("u")))).StatusCode);
        var leader = await app.LoginAsync("sx-leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync("/api/admin/api-keys")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Admin_creates_a_user_who_can_log_in_and_the_creation_is_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var name = Unique("patrol");
        var response = await admin.PostAsJsonAsync("/api/admin/users", NewUser(name, "410325400000"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("410325400", created.GetProperty("divisionCode").GetString());
        Assert.Equal(["patrol"], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var newcomer = await app.LoginAsync(name, "test-pass-123");
        var me = await newcomer.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("陶村林场", me.GetProperty("scope").GetProperty("name").GetString());

        var id = created.GetProperty("id").GetString();
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityType == "AppUser" && a.EntityId == id && a.Action == "create").ToListAsync());
        var record = Assert.Single(audit);
        Assert.Equal("sx-admin", record.ActorName);
        Assert.Equal("410325400", record.DivisionCode);
        Assert.Contains(name, record.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain("PasswordHash", record.Changes, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_user_input_is_refused_field_by_field_and_changes_nothing(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        // Every name tried starts with this tag, so users that tests beside it create do not change the count.
        var tag = Guid.NewGuid().ToString("N")[..6];

        var empty = await admin.PostAsJsonAsync("/api/admin/users", new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        var errors = (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "userName", "displayName", "password", "divisionCode", "departmentCode", "roles" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        Assert.Equal("请填写用户名", errors.GetProperty("userName")[0].GetString());

        await AssertFieldError(admin, NewUser(Unique(tag), "999999"), "divisionCode", "未知的行政区划代码");
        await AssertFieldError(admin, NewUser(Unique(tag), "431281"), "divisionCode", "超出您的管辖范围");
        await AssertFieldError(admin, NewUser(Unique(tag), "410325", ["emperor"]), "roles", "未知的角色");
        await AssertFieldError(admin, NewUser("sx-office"), "userName", "已被使用");
        await AssertFieldError(admin, new
        {
            userName = Unique(tag), displayName = "x", password = "short", divisionCode = "410325",
            departmentCode = "natural-resources", roles = new[] { "patrol" },
        }, "password", "至少需要 10 个字符");

        var malformed = await admin.PostAsync("/api/admin/users", new StringContent("{\"userName\": \"x\", \"roles\": 5}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var malformedProblem = await malformed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("“roles”的格式不正确", malformedProblem.GetProperty("errors").GetProperty("roles")[0].GetString());
        var notJson = await admin.PostAsync("/api/admin/users", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);

        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync(u => u.UserName!.StartsWith(tag))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Users_of_another_county_are_invisible(string provider)
    {
        var app = await TestApp.Shared(provider);
        var songxian = await app.LoginAsync("sx-admin");
        var hongjiang = await app.LoginAsync("hj-admin");
        var created = await (await songxian.PostAsJsonAsync("/api/admin/users", NewUser(Unique("u")))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/admin/users/{id}")).StatusCode);
        var update = new { displayName = "改名", divisionCode = "431281", departmentCode = "natural-resources", roles = new[] { "patrol" }, disabled = false };
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PutAsJsonAsync($"/api/admin/users/{id}", update)).StatusCode);
        var list = await hongjiang.GetFromJsonAsync<JsonElement[]>("/api/admin/users");
        Assert.DoesNotContain(list!, u => u.GetProperty("id").GetString() == id);
        Assert.All(list!, u => Assert.StartsWith("431281", u.GetProperty("divisionCode").GetString(), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await songxian.GetAsync($"/api/admin/users/{id}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Admin_moves_a_user_and_the_old_cookie_stops_working(string provider)
    {
        // Its own app: this test moves the clock.
        await using var app = await TestApp.StartAsync(provider);
        var admin = await app.LoginAsync("sx-admin");
        var name = Unique("mv");
        var created = await (await admin.PostAsJsonAsync("/api/admin/users", NewUser(name))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        var user = await app.LoginAsync(name, "test-pass-123");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);

        var outside = new { displayName = "x", divisionCode = "431281101", departmentCode = "forestry", roles = new[] { "patrol" }, disabled = false };
        var refused = await admin.PutAsJsonAsync($"/api/admin/users/{id}", outside);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var move = new { displayName = "新名字", divisionCode = "410325401", departmentCode = "forestry", roles = new[] { "patrol", "responsible" }, disabled = false };
        var moved = await admin.PutAsJsonAsync($"/api/admin/users/{id}", move);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var view = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("410325401", view.GetProperty("divisionCode").GetString());
        Assert.Equal(["patrol", "responsible"], view.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        // The scope changed, so did the security stamp: the old cookie is refused at its next check (every minute).
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/me")).StatusCode);
        var again = await app.LoginAsync(name, "test-pass-123");
        var me = await again.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("410325401", me.GetProperty("scope").GetProperty("code").GetString());

        // Disabled: cannot log in any more.
        var disable = new { displayName = "新名字", divisionCode = "410325401", departmentCode = "forestry", roles = new[] { "patrol" }, disabled = true };
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{id}", disable)).StatusCode);
        var login = await TestApp.PostLoginAsync(app.Anonymous(), name, "test-pass-123");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("账号已停用", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Admin_adds_grids_and_villages_below_a_township_in_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var gridName = Unique("网格");
        var grid = await admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = "410325108", kind = "grid", name = gridName });
        Assert.Equal(HttpStatusCode.Created, grid.StatusCode);
        var code = (await grid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        Assert.Matches("^410325108G\\d{3}$", code);

        var village = await admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = "410325108", kind = "village", name = Unique("村"), code = "410325108" + Random.Shared.Next(100, 999) });
        Assert.True(village.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest); // a random clash is a 400, never a 500
        await AssertFieldError(admin, new { parentCode = "410325108", kind = "grid", name = gridName }, "name", "同名", "/api/admin/divisions");
        await AssertFieldError(admin, new { parentCode = "410325108", kind = "village", name = Unique("村"), code = "410325109201" }, "code", "开头", "/api/admin/divisions");
        await AssertFieldError(admin, new { parentCode = "410325", kind = "grid", name = Unique("g") }, "parentCode", "乡镇", "/api/admin/divisions");
        await AssertFieldError(admin, new { parentCode = "431281101", kind = "grid", name = Unique("g") }, "parentCode", "超出您的管辖范围", "/api/admin/divisions");
        await AssertFieldError(admin, new { parentCode = "410325108", kind = "mine", name = Unique("g") }, "kind", "类型", "/api/admin/divisions");

        var children = await admin.GetFromJsonAsync<JsonElement[]>("/api/divisions/410325108/children");
        Assert.Contains(children!, c => c.GetProperty("code").GetString() == code);
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/divisions/{code}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Api_key_is_shown_once_works_and_can_be_revoked(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var name = Unique("卡口平台");
        var response = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name, divisionCode = "410325" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var plain = created.GetProperty("plainKey").GetString()!;
        var id = created.GetProperty("key").GetProperty("id").GetString();
        Assert.StartsWith("mg_", plain, StringComparison.Ordinal);

        var list = await admin.GetStringAsync("/api/admin/api-keys");
        Assert.Contains(name, list, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, list, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == name));
        Assert.DoesNotContain(MineGuard.Platform.Auth.ApiKey.Parse(plain)!.Value.Secret, stored.SecretHash, StringComparison.Ordinal);
        Assert.Equal(64, stored.SecretHash.Length);

        var integration = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync("/api/integration/whoami")).StatusCode);
        integration.DefaultRequestHeaders.Add("X-Api-Key", plain);
        var who = await integration.GetFromJsonAsync<JsonElement>("/api/integration/whoami");
        Assert.Equal(name, who.GetProperty("name").GetString());
        Assert.Equal("410325", who.GetProperty("scope").GetString());

        var wrong = app.Anonymous();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", plain[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/integration/whoami")).StatusCode);
        // A person's cookie is not an integration key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/integration/whoami")).StatusCode);

        var hongjiang = await app.LoginAsync("hj-admin");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.DeleteAsync($"/api/admin/api-keys/{id}")).StatusCode);
        Assert.DoesNotContain(name, await hongjiang.GetStringAsync("/api/admin/api-keys"), StringComparison.Ordinal);
        await AssertFieldError(hongjiang, new { name = "x", divisionCode = "410325" }, "divisionCode", "超出您的管辖范围", "/api/admin/api-keys");
        await AssertFieldError(hongjiang, new { name = "", divisionCode = "431281" }, "name", "请填写", "/api/admin/api-keys");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/api-keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync("/api/integration/whoami")).StatusCode);
    }

    private static async Task AssertFieldError(HttpClient client, object body, string field, string message, string url = "/api/admin/users")
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for {field}: {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
    }
}
