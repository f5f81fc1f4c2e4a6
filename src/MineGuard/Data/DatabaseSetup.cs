using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;

namespace MineGuard.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// SQLite file by default (zero set-up); PostgreSQL when Database:Provider is "Postgres". The settings are read
    /// when the first context is built, so configuration added late (tests, environment) is honoured.
    /// </summary>
    public static IServiceCollection AddMineGuardDatabase(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseSettings>();
        // Pooled: building a context resolved EF's own services through DI on every request (pooling took 12-16 % of the
        // CPU off a small authenticated field request). Each unit of work (a DI scope) rents one and binds it to its user
        // and clock; the scope's end returns it.
        services.AddPooledDbContextFactory<AppDbContext>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Apply(o));
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
            db.Bind(sp.GetRequiredService<CurrentUser>(), sp.GetRequiredService<TimeProvider>());
            return db;
        });
        return services;
    }
}

public sealed class DatabaseSettings
{
    private readonly bool postgres;
    private readonly string connectionString;
    private readonly bool strict;

    public DatabaseSettings(IConfiguration config, IHostEnvironment env)
    {
        var provider = config["Database:Provider"] ?? "Sqlite";
        strict = config.GetValue<bool>("Database:StrictQueries");
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            postgres = true;
            connectionString = config.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.");
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            connectionString = EnsureDirectory(config.GetConnectionString("Sqlite") ?? "Data Source=data/mineguard.db", env.ContentRootPath);
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}' (use Sqlite or Postgres).");
        }
    }

    public void Apply(DbContextOptionsBuilder options)
    {
        // A list in a query (ids.Contains(x.Id)) goes as ONE parameter: on PostgreSQL an array (= ANY(@ids)), as Npgsql
        // always did (EF 10's default of one parameter per element made the clock's batch of 2,000 ids 30x slower to
        // plan); on SQLite a JSON array read with json_each, as EF 8 and 9 did: the SQL no longer depends on the list's
        // length, so EF builds it once per query instead of per call (the patrol sync's SQL generation 321 -> 56 ms of
        // samples; compliance for a county 151 -> 42 ms in the patrol benchmark).
        if (postgres) options.UseNpgsql(connectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        else options.UseSqlite(connectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).AddInterceptors(SqliteBusyWait.Instance);
        options.AddInterceptors(StoredValues);
        // A failed statement or save is an exception its caller handles (a unique key lost to a race, a busy SQLite
        // writer waited for) or lets through to the error handler and the job loops, which log it once as an error. EF's
        // own error lines for it said "error" for every handled race; they are kept, one level down.
        // Tests and benchmarks (Database:StrictQueries): a LIMIT without ORDER BY takes whichever rows the plan meets
        // first (different on SQLite and PostgreSQL, on two nodes, after a VACUUM), so it fails there instead of being
        // logged as a warning in production.
        options.ConfigureWarnings(w =>
        {
            w.Log((Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Information),
                (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Information));
            if (strict) w.Throw(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning);
        });
    }

    /// <summary>Text beyond a column's length and NaN are refused as a 400 on both engines (Platform/Web/StoredValueLimits).</summary>
    private static readonly Platform.Web.StoredValueLimits StoredValues = new();

    /// <summary>Resolves a relative SQLite path against the content root and creates its folder.</summary>
    private static string EnsureDirectory(string connectionString, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && !path.StartsWith("file:", StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(path, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}

/// <summary>
/// A SQLite connection waits for the one write lock inside SQLite (<c>sqlite3_busy_timeout</c>, the same 30 s as
/// <c>DefaultTimeout</c>), which retries after 1, 2, 5, 10, 15, 20, 25… ms. Left to Microsoft.Data.Sqlite, a writer that
/// finds the lock taken sleeps 150 ms before it tries again: an ingest batch arriving while the SMS sender commits lost
/// 150–300 ms that way (22 % of the SQLite ingestion's time in the alert benchmark), for a lock held a few milliseconds.
/// </summary>
public sealed class SqliteBusyWait : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqliteBusyWait Instance = new();

    public const int Milliseconds = 30_000;

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
        Apply(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the wait on an open connection (a call into SQLite, no statement).</summary>
    public static void Apply(System.Data.Common.DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle }) SQLitePCL.raw.sqlite3_busy_timeout(handle, Milliseconds);
    }
}

/// <summary>
/// A write that lost a contest for a lock and was rolled back whole: SQLite's "database is locked" (a writer waited
/// <c>DefaultTimeout</c>, 30 s, for the one write lock and gave up), PostgreSQL's deadlock victim (40P01) or
/// serialization failure (40001). The transaction it was in rolled back, so a background job that meets it has lost
/// nothing: it waits and runs the round again at its next tick instead of logging a failure (imports commit in chunks,
/// so the wait is rare and short).
/// </summary>
public static class DatabaseBusy
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>Whether the exception, or one it wraps (EF's DbUpdateException, a retry strategy's), is one of those.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }
                or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure })
                return true;
        }
        return false;
    }
}

/// <summary>
/// A write refused because another one stored the same key first (a record sent twice at once): SQLite's
/// UNIQUE or PRIMARY KEY constraint, PostgreSQL's 23505. EF wraps it in a DbUpdateException; a bulk insert
/// (<see cref="BulkInsert"/>) throws the provider's own.
/// </summary>
public static class UniqueViolation
{
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: SqlitePrimaryKey or SqliteUnique }
                or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }) return true;
        }
        return false;
    }
}
