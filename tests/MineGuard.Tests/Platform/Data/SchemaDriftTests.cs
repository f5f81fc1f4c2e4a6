using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Data;

/// <summary>The hand-written schema scripts and the EF model must describe the same database, on both engines.</summary>
public sealed class SchemaDriftTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Migrated_schema_matches_the_EF_model(string provider)
    {
        var (migratedCs, dropMigrated) = await Databases.CreateAsync(provider);
        var (modelCs, dropModel) = await Databases.CreateAsync(provider);
        try
        {
            await using var migrated = SchemaSnapshot.Context(provider, migratedCs);
            await SchemaMigrator.MigrateAsync(migrated);
            await using var model = SchemaSnapshot.Context(provider, modelCs);
            await model.Database.EnsureCreatedAsync();

            var fromScripts = await SchemaSnapshot.ReadAsync(migrated);
            var fromModel = await SchemaSnapshot.ReadAsync(model);
            var missing = fromModel.Except(fromScripts).ToList();
            var extra = fromScripts.Except(fromModel).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                "Schema drift: write a new script in Data/Migrations/" + (provider == Databases.Postgres ? "Postgres" : "Sqlite") +
                " (see 'mineguard schema script').\nModel has, scripts lack:\n  " + string.Join("\n  ", missing) +
                "\nScripts have, model lacks:\n  " + string.Join("\n  ", extra));
            Assert.Contains(fromModel, l => l.Contains("Divisions", StringComparison.Ordinal));
        }
        finally
        {
            await dropMigrated();
            await dropModel();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Migrating_twice_applies_nothing_the_second_time(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            await using var db = SchemaSnapshot.Context(provider, cs);
            var first = await SchemaMigrator.MigrateAsync(db);
            var second = await SchemaMigrator.MigrateAsync(db);
            Assert.Equal(SchemaMigrator.Scripts(db.IsPostgres).Select(s => s.Name), first);
            Assert.Empty(second);
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_script_changed_after_it_was_applied_is_refused(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            await using var db = SchemaSnapshot.Context(provider, cs);
            await SchemaMigrator.MigrateAsync(db);
            await db.Database.ExecuteSqlRawAsync("UPDATE __schema_versions SET checksum = 'tampered' WHERE version = 1");
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SchemaMigrator.MigrateAsync(db));
            Assert.Contains("0001_initial", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    public async Task Sqlite_database_runs_in_WAL_mode()
    {
        var (cs, drop) = await Databases.CreateAsync(Databases.Sqlite);
        try
        {
            await using var db = SchemaSnapshot.Context(Databases.Sqlite, cs);
            await SchemaMigrator.MigrateAsync(db);
            var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode()").SingleAsync();
            Assert.Equal("wal", mode);
        }
        finally
        {
            await drop();
        }
    }
}
