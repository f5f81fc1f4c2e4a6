using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace MineGuard.Data;

/// <summary>
/// Applies the versioned SQL scripts under Data/Migrations/{Sqlite,Postgres} in order, each once, recorded in
/// __schema_versions with a checksum. EF's design-time migrations do not restore here; <c>mineguard schema script</c>
/// prints what the model wants, and SchemaDriftTests fail when a script is missing.
/// </summary>
public static class SchemaMigrator
{
    public sealed record Script(int Version, string Name, string Sql)
    {
        public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
    }

    public static IReadOnlyList<Script> Scripts(bool postgres)
    {
        var folder = postgres ? "migrations/Postgres/" : "migrations/Sqlite/";
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[folder.Length..^4];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Script(int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file, reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToList();
    }

    /// <summary>Applies what is missing; returns the names applied. Safe to call from several nodes at once.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(AppDbContext db, CancellationToken ct = default)
    {
        var postgres = db.IsPostgres;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (!postgres)
            {
                // WAL lets readers carry on while one writer writes; it is a property of the file, set once.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct);
            }
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (postgres) await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({(long)LockKey.Schema});", ct);
            await ExecuteAsync(connection, tx, postgres
                ? "CREATE TABLE IF NOT EXISTS __schema_versions (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_utc timestamptz NOT NULL);"
                : "CREATE TABLE IF NOT EXISTS __schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_utc TEXT NOT NULL);", ct);

            var applied = new Dictionary<int, string>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "SELECT version, checksum FROM __schema_versions";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) applied[reader.GetInt32(0)] = reader.GetString(1);
            }

            var done = new List<string>();
            foreach (var script in Scripts(postgres))
            {
                if (applied.TryGetValue(script.Version, out var checksum))
                {
                    if (checksum != script.Checksum)
                        throw new InvalidOperationException($"Migration {script.Name} was changed after it was applied; add a new script instead.");
                    continue;
                }
                await ExecuteAsync(connection, tx, script.Sql, ct);
                await using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO __schema_versions (version, name, checksum, applied_utc) VALUES (@v, @n, @c, @t)";
                AddParameter(insert, "@v", script.Version);
                AddParameter(insert, "@n", script.Name);
                AddParameter(insert, "@c", script.Checksum);
                AddParameter(insert, "@t", postgres ? DateTime.UtcNow : DateTime.UtcNow.ToString("O"));
                await insert.ExecuteNonQueryAsync(ct);
                done.Add(script.Name);
            }
            await tx.CommitAsync(ct);
            return done;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
