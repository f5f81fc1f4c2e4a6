using System.Reflection;
using Npgsql;
using Xunit.Sdk;

namespace MineGuard.Tests.Infrastructure;

/// <summary>The database engines a test runs on; PostgreSQL when MINEGUARD_TEST_POSTGRES holds a connection string.</summary>
public static class Databases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? PostgresServer => Environment.GetEnvironmentVariable("MINEGUARD_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    /// <summary>A new, empty database: its connection string and a clean-up.</summary>
    public static async Task<(string ConnectionString, Func<Task> Drop)> CreateAsync(string provider)
    {
        if (provider == Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "mineguard-tests");
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, $"{Guid.NewGuid():N}.db");
            return ($"Data Source={file}", () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                return Task.CompletedTask;
            });
        }
        var server = PostgresServer ?? throw new InvalidOperationException("MINEGUARD_TEST_POSTGRES is not set");
        var name = $"mg_test_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return (cs, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        });
    }
}

/// <summary>Runs a theory on SQLite (always).</summary>
public sealed class OnSqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Databases.Sqlite]];
}

/// <summary>Runs a theory on PostgreSQL; reported as skipped when MINEGUARD_TEST_POSTGRES is not set.</summary>
public sealed class OnPostgresAttribute : DataAttribute
{
    public OnPostgresAttribute()
    {
        if (Databases.PostgresServer is null) Skip = "PostgreSQL not configured (set MINEGUARD_TEST_POSTGRES)";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Databases.Postgres]];
}
