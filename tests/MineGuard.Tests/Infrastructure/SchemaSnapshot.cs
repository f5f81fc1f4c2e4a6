using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Tests.Infrastructure;

/// <summary>A database's schema as comparable lines: columns, indexes, keys. Triggers and functions are left out.</summary>
public static class SchemaSnapshot
{
    public static AppDbContext Context(string provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        if (provider == Databases.Postgres) builder.UseNpgsql(connectionString);
        else builder.UseSqlite(connectionString);
        var db = new AppDbContext(builder.Options);
        db.Bind(new CurrentUser(new HttpContextAccessor()), TimeProvider.System);
        return db;
    }

    public static async Task<SortedSet<string>> ReadAsync(AppDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            return db.IsPostgres ? await PostgresAsync(connection) : await SqliteAsync(connection);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<SortedSet<string>> SqliteAsync(DbConnection c)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        var tables = await RowsAsync(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__schema_versions'");
        foreach (var t in tables.Select(r => r[0]))
        {
            foreach (var r in await RowsAsync(c, $"PRAGMA table_info('{t}')"))
                lines.Add($"column {t}.{r[1]} {r[2]} notnull={r[3]} pk={r[5]}");
            foreach (var r in await RowsAsync(c, $"PRAGMA index_list('{t}')"))
            {
                if (r[3] == "pk") continue;
                var cols = (await RowsAsync(c, $"PRAGMA index_info('{r[1]}')")).Select(x => x[2]);
                lines.Add($"index {t}.{r[1]} unique={r[2]} ({string.Join(",", cols)})");
            }
            foreach (var r in await RowsAsync(c, $"PRAGMA foreign_key_list('{t}')"))
                lines.Add($"fk {t}.{r[3]} -> {r[2]}.{r[4]} on delete {r[6]}");
        }
        return lines;
    }

    private static async Task<SortedSet<string>> PostgresAsync(DbConnection c)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in await RowsAsync(c, """
            SELECT table_name, column_name, data_type, is_nullable, coalesce(character_maximum_length::text, ''),
                   coalesce(collation_name, ''), coalesce(is_identity, '')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__schema_versions'
              AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition)
            """))
            lines.Add($"column {r[0]}.{r[1]} {r[2]}({r[4]}) nullable={r[3]} collation={r[5]} identity={r[6]}");
        // A partitioned table (MeterReadings) is compared as its parent: its partitions are left out, and its indexes
        // ("ON ONLY") read as a plain table's.
        foreach (var r in await RowsAsync(c, """
            SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__schema_versions'
              AND tablename NOT IN (SELECT relname FROM pg_class WHERE relispartition)
            """))
            lines.Add("index " + r[0].Replace(" ON ONLY ", " ON ", StringComparison.Ordinal));
        foreach (var r in await RowsAsync(c, """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND contype IN ('f', 'p', 'u', 'c')
              AND conrelid NOT IN (SELECT oid FROM pg_class WHERE relispartition)
            """))
        {
            if (r[0] != "__schema_versions") lines.Add($"constraint {r[0]}.{r[1]} {r[2]}");
        }
        return lines;
    }

    private static async Task<List<string[]>> RowsAsync(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }
        return rows;
    }
}
