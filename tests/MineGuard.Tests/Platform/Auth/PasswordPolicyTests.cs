using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Demo;
using MineGuard.Platform.Auth;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Auth;

/// <summary>Common and user-derived passwords are refused wherever a password is set; length matters, not character classes.</summary>
public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("password12")]
    [InlineData("Password2026")]
    [InlineData("P@ssw0rd123")]
    [InlineData("qwertyuiop")]
    [InlineData("1qaz2wsx3edc")]
    [InlineData("1234567890")]
    [InlineData("5201314520")]
    [InlineData("a123456789")]
    [InlineData("woaini1314")]
    [InlineData("zhangwei@2026")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("abcabcabcabc")]
    [InlineData("1985061712")]
    public void Common_passwords_are_refused(string password) =>
        Assert.NotNull(PasswordPolicy.Problem("someone", password));

    [Theory]
    [InlineData("sx-office", "sx-office2026")]
    [InlineData("sx-office", "Office!2026x")]
    [InlineData("sx-office", "eciffo-xs99")]
    [InlineData("zhangsan", "ZhangSan_2026")]
    [InlineData("zhangsan", "nasgnahz2026")]
    [InlineData("wangfei", "w@ngfei-1987")]
    public void Passwords_built_from_the_user_name_are_refused(string user, string password) =>
        Assert.Equal("密码不能包含用户名或由用户名变化而来", PasswordPolicy.Problem(user, password));

    [Theory]
    [InlineData("sx-office", DemoData.Password)]
    [InlineData("hj-reward2", DemoData.Password)]
    [InlineData("chief", "river stones at dusk")]
    [InlineData("chief", "mg-3f9c0a7e51d2b486")]
    [InlineData("chief", "松树岭矿硐巡查很辛苦")]
    public void Long_uncommon_passwords_pass_without_any_character_class_rule(string user, string password) =>
        Assert.Null(PasswordPolicy.Problem(user, password));

    [Fact]
    public void The_list_holds_thousands_of_entries() => Assert.True(CommonPasswords.Count > 10_000, $"{CommonPasswords.Count}");

    [Theory, OnSqlite, OnPostgres]
    public async Task The_admin_pages_refuse_weak_passwords_with_a_Chinese_message_naming_the_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("hj-admin");
        // Letters first: "pw" with hex that happens to be nearly all digits, plus "2026", reads as a common digit password,
        // which the policy reports before the name (a failure of the last run).
        var name = "pwtest" + Guid.NewGuid().ToString("N")[..8];
        async Task<JsonElement> Refused(string password, string field = "password")
        {
            var response = await admin.PostAsJsonAsync("/api/admin/users", new
            {
                userName = name, displayName = "测试", password, divisionCode = "431281", departmentCode = "natural-resources", roles = new[] { "office" },
            });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
            return messages;
        }
        Assert.Contains("常见", (await Refused("password12"))[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("用户名", (await Refused(name + "2026"))[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("10", (await Refused("Ab1!x"))[0].GetString(), StringComparison.Ordinal);

        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "测试", password = "steady rain over hills", divisionCode = "431281", departmentCode = "natural-resources", roles = new[] { "office" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // A reset is held to the same rule.
        var reset = await admin.PutAsJsonAsync($"/api/admin/users/{id}", new
        {
            displayName = "测试", divisionCode = "431281", departmentCode = "natural-resources", roles = new[] { "office" }, disabled = false, newPassword = "iloveyou123",
        });
        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.True((await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("newPassword", out _));
        await app.LoginAsync(name, "steady rain over hills");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task User_add_admin_refuses_a_weak_password(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var weak = await Cli.RunAsync(provider, cs, "user", "add-admin", "--username", "chief", "--scope", "431281", "--password", "qwerty123456");
            Assert.NotEqual(0, weak.ExitCode);
            Assert.Contains("常见", weak.Output, StringComparison.Ordinal);
            var derived = await Cli.RunAsync(provider, cs, "user", "add-admin", "--username", "chief", "--scope", "431281", "--password", "chief-of-county");
            Assert.NotEqual(0, derived.ExitCode);
            Assert.Contains("用户名", derived.Output, StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }
}
