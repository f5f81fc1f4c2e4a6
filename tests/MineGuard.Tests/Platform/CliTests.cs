using Microsoft.EntityFrameworkCore;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform;

/// <summary>The operator verbs of the same executable, run as a process the way an operator runs them.</summary>
public sealed class CliTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Add_admin_on_an_empty_database_applies_the_schema_and_creates_a_working_admin(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var result = await Cli.RunAsync(provider, cs, "user", "add-admin", "--username", "chief", "--scope", "431281000000", "--name", "洪江管理员");
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("created admin 'chief' for 431281", result.Output, StringComparison.Ordinal);
            var password = result.Output.Split('\n').Single(l => l.Contains("shown once", StringComparison.Ordinal)).Split(": ")[1].Trim();

            var again = await Cli.RunAsync(provider, cs, "user", "add-admin", "--username", "chief", "--scope", "431281");
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("已被使用", again.Output, StringComparison.Ordinal);
            var unknown = await Cli.RunAsync(provider, cs, "user", "add-admin", "--username", "other", "--scope", "999999");
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("未知的行政区划代码", unknown.Output, StringComparison.Ordinal);
            var missing = await Cli.RunAsync(provider, cs, "user", "add-admin", "--username", "other");
            Assert.NotEqual(0, missing.ExitCode);

            // The server started on that database (no demo) lets the new admin in.
            await using var app = await TestAppOn(provider, cs);
            var client = await app.LoginAsync("chief", password);
            var me = await client.GetStringAsync("/api/me");
            Assert.Contains("洪江市", me, StringComparison.Ordinal);
            Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync()));
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Db_migrate_reports_the_schema_version(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var result = await Cli.RunAsync(provider, cs, "db", "migrate");
            Assert.True(result.ExitCode == 0, result.Output);
            var latest = MineGuard.Data.SchemaMigrator.Scripts(provider == Databases.Postgres).Max(s => s.Version);
            Assert.Contains($"schema up to date at version {latest} ", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }

    private static Task<TestApp> TestAppOn(string provider, string cs) => TestApp.StartOnAsync(provider, cs, demo: false);
}
