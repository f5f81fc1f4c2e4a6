using Microsoft.Data.Sqlite;
using SkiaSharp;

namespace MineGuard.Tests.Infrastructure;

/// <summary>Small MBTiles files for the offline base map's tests: a few real PNG tiles in a temporary directory.</summary>
public static class TilePackages
{
    /// <summary>One tile of the package: z/x/y as the map asks (y from the north) and its colour.</summary>
    public sealed record Tile(int Z, int X, int Y, SKColor Colour)
    {
        public byte[] Png { get; } = Png(Colour);
    }

    /// <summary>Writes the package and returns its path; the caller deletes the directory (<see cref="Delete"/>).</summary>
    public static string Create(IEnumerable<Tile> tiles, IReadOnlyDictionary<string, string> metadata)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mineguard-tiles-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "basemap.mbtiles");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "CREATE TABLE metadata (name TEXT, value TEXT)");
            Execute(connection, "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)");
            Execute(connection, "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
            foreach (var (name, value) in metadata)
                Execute(connection, "INSERT INTO metadata (name, value) VALUES ($a, $b)", name, value);
            foreach (var t in tiles)
                Execute(connection, "INSERT INTO tiles VALUES ($a, $b, $c, $d)", t.Z, t.X, (1 << t.Z) - 1 - t.Y, t.Png);
        }
        return path;
    }

    /// <summary>A file that is not a database at all, named like a package.</summary>
    public static string CreateCorrupt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mineguard-tiles-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "broken.mbtiles");
        File.WriteAllText(path, "这不是瓦片包 / not a tile package, just text long enough to look like a header.");
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        catch (IOException)
        {
            // A pooled read-only handle may still be open on some systems; the temp directory is swept anyway.
        }
    }

    /// <summary>A 256 px square of one colour with a darker cross, as PNG: a real image a browser decodes.</summary>
    public static byte[] Png(SKColor colour)
    {
        using var bitmap = new SKBitmap(256, 256);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(colour);
            using var pen = new SKPaint { Color = SKColors.DarkSlateGray, StrokeWidth = 4 };
            canvas.DrawLine(0, 128, 256, 128, pen);
            canvas.DrawLine(128, 0, 128, 256, pen);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The tile x/y holding a position at a zoom (Web Mercator, y from the north), as the map computes it.</summary>
    public static (int X, int Y) TileAt(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var rad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(rad) + (1 / Math.Cos(rad))) / Math.PI)) / 2 * n);
        return (x, y);
    }

    private static void Execute(SqliteConnection connection, string sql, params object[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new[] { "$a", "$b", "$c", "$d" };
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue(names[i], values[i]);
        command.ExecuteNonQuery();
    }
}
