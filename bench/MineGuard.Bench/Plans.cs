using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;

namespace MineGuard.Bench;

/// <summary>`--plan`: the SQL of the map's queries and how the engine runs them, to see which index is used.</summary>
public static class Plans
{
    public static async Task<int> PrintAsync(AppDbContext db, AditMapFilter filter)
    {
        var queries = new List<(string Name, IQueryable Query)>
        {
            ("clusters", AditMapQuery.ClusterQuery(db, filter)),
            ("points", AditMapQuery.PointQuery(db, filter, AditMapQuery.MaxPoints + 1)),
        };
        foreach (var (name, query) in queries)
        {
            await using var cmd = query.CreateDbCommand();
            Console.WriteLine($"--- {name} at zoom {filter.Zoom}");
            Console.WriteLine(cmd.CommandText);
            cmd.CommandText = (db.IsPostgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + cmd.CommandText;
            await cmd.Connection!.OpenAsync();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) Console.WriteLine("  " + reader.GetValue(reader.FieldCount - 1));
            }
            await cmd.Connection.CloseAsync();
        }
        return 0;
    }
}
