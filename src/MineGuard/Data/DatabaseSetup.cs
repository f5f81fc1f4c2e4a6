using Microsoft.EntityFrameworkCore;

namespace MineGuard.Data;

public static class DatabaseSetup
{
    /// <summary>SQLite file by default (zero set-up); PostgreSQL when Database:Provider is "Postgres".</summary>
    public static IServiceCollection AddMineGuardDatabase(this IServiceCollection services, IConfiguration config, string contentRoot)
    {
        var provider = config["Database:Provider"] ?? "Sqlite";
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            var cs = config.GetConnectionString("Postgres")
                     ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.");
            services.AddDbContext<AppDbContext>(o => o.UseNpgsql(cs));
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var cs = config.GetConnectionString("Sqlite") ?? "Data Source=data/mineguard.db";
            services.AddDbContext<AppDbContext>(o => o.UseSqlite(EnsureDirectory(cs, contentRoot)));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}' (use Sqlite or Postgres).");
        }
        return services;
    }

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
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
