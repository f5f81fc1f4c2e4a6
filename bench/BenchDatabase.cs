using Npgsql;

/// <summary>
/// A fresh database for one benchmark run: a temporary SQLite file, or a new PostgreSQL database on the server named by
/// MINEGUARD_BENCH_POSTGRES (a user who may create databases); the returned action deletes or drops it.
/// </summary>
internal static class BenchDatabase
{
    /// <summary>
    /// The engines a benchmark runs on: <c>--engines sqlite,postgres</c> (the default), PostgreSQL only with
    /// MINEGUARD_BENCH_POSTGRES set.
    /// </summary>
    public static List<string> Engines(string[] args) =>
        (args.SkipWhile(a => a != "--engines").Skip(1).FirstOrDefault() ?? "sqlite,postgres").Split(',')
        .Where(e => e == "sqlite" || (e == "postgres" && Environment.GetEnvironmentVariable("MINEGUARD_BENCH_POSTGRES") is { Length: > 0 })).ToList();

    /// <summary>
    /// Audit checkpoint files of the run's own (a new temporary folder): a fresh database's chain does not match the
    /// checkpoints another run left in the default files, and the app would refuse it as tampered.
    /// </summary>
    public static Dictionary<string, string?> OwnAuditFiles()
    {
        var dir = Directory.CreateTempSubdirectory("mineguard-bench-audit-").FullName;
        return new()
        {
            ["Audit:CheckpointFile"] = Path.Combine(dir, "audit-checkpoints.jsonl"),
            ["Audit:CheckpointKeyFile"] = Path.Combine(dir, "audit-checkpoint.pem"),
        };
    }

    public static async Task<(string ConnectionString, Func<Task> Drop)> CreateAsync(string engine, string prefix)
    {
        if (engine == "sqlite")
        {
            var file = Path.Combine(Path.GetTempPath(), $"mineguard-{prefix}-{Guid.NewGuid():N}.db");
            return ($"Data Source={file}", () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                return Task.CompletedTask;
            });
        }

        var server = Environment.GetEnvironmentVariable("MINEGUARD_BENCH_POSTGRES")!;
        var name = $"mg_{prefix}_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        });
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
