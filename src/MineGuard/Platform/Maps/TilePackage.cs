using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace MineGuard.Platform.Maps;

/// <summary>What a tile package says about itself (its <c>metadata</c> table), as the maps need it.</summary>
public sealed record TilePackageInfo(
    string Name, string Attribution, string Format, int MinZoom, int MaxZoom, double[]? Bounds, DateTime ModifiedUtc, long Length)
{
    /// <summary>The formats a browser draws as an image; vector tiles (pbf) are served but no map draws them.</summary>
    public bool IsRaster => Format is "png" or "jpg" or "webp";

    public string ContentType => Format switch
    {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "webp" => "image/webp",
        "pbf" => "application/x-protobuf",
        _ => "application/octet-stream",
    };
}

/// <summary>
/// The offline base map (离线底图): an MBTiles file named by <c>Map:TilesFile</c> (SQLite with <c>metadata(name, value)</c>
/// and <c>tiles(zoom_level, tile_column, tile_row, tile_data)</c>, rows counted from the south as in TMS), opened
/// read-only and served by the app to its own maps, so an office without internet sees the tiles it has. Checked once
/// at start-up: a missing or unreadable file is one clear log line and no tile layer, never an error per tile.
/// </summary>
public sealed partial class TilePackage(IConfiguration config, IHostEnvironment env, TimeProvider clock, ILogger<TilePackage> log) : IHostedService
{
    public const int MaxZoom = 24;
    private static readonly EventId PackageEvent = new(7401, "TilePackage");

    private readonly Lock gate = new();
    private string? connectionString;
    private TilePackageInfo? info;
    private DateTimeOffset lastFailureLogged = DateTimeOffset.MinValue;
    private bool opened;

    /// <summary>Anonymous callers (the public tip page) may load the tiles only when the office says so (<c>Map:TilesPublic</c>).</summary>
    public bool IsPublic => config.GetValue("Map:TilesPublic", false);

    /// <summary>The package, or null when none is configured or it could not be read.</summary>
    public TilePackageInfo? Info
    {
        get
        {
            EnsureOpened();
            return info;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureOpened();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The tile at z/x/y (x from the west, y from the north, as the map asks), or null when the package has none.</summary>
    public async Task<byte[]?> ReadAsync(int z, int x, int y, CancellationToken ct)
    {
        if (Info is null || connectionString is null) return null;
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT tile_data FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $row";
            command.Parameters.AddWithValue("$z", z);
            command.Parameters.AddWithValue("$x", x);
            command.Parameters.AddWithValue("$row", (1L << z) - 1 - y);
            return await command.ExecuteScalarAsync(ct) as byte[];
        }
        catch (SqliteException e)
        {
            // Replaced or removed while running: a line now and then, not one per tile of every map.
            var now = clock.GetUtcNow();
            if (now - lastFailureLogged > TimeSpan.FromMinutes(1))
            {
                lastFailureLogged = now;
                log.LogError(PackageEvent, e, "离线底图 {File} 读取失败，地图暂不显示底图 / tile package unreadable: {Message}", config["Map:TilesFile"], e.Message);
            }
            return null;
        }
    }

    private void EnsureOpened()
    {
        if (opened) return;
        lock (gate)
        {
            if (opened) return;
            (connectionString, info) = Open();
            opened = true;
        }
    }

    private (string?, TilePackageInfo?) Open()
    {
        var configured = config["Map:TilesFile"];
        if (string.IsNullOrWhiteSpace(configured)) return (null, null);
        var path = Path.GetFullPath(configured, env.ContentRootPath);
        if (!File.Exists(path))
        {
            log.LogError(PackageEvent, "离线底图文件不存在：{File}（Map:TilesFile），地图不显示底图 / tile package not found", path);
            return (null, null);
        }
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
        try
        {
            using var connection = new SqliteConnection(cs);
            connection.Open();
            var metadata = Metadata(connection);
            var (minZoom, maxZoom) = ZoomRange(connection, metadata);
            var format = Format(connection, metadata);
            var file = new FileInfo(path);
            var package = new TilePackageInfo(
                metadata.GetValueOrDefault("name") is { Length: > 0 } name ? name : Path.GetFileNameWithoutExtension(path),
                PlainText(metadata.GetValueOrDefault("attribution") ?? ""), format, minZoom, maxZoom,
                Bounds(metadata.GetValueOrDefault("bounds")), file.LastWriteTimeUtc, file.Length);
            log.LogInformation(PackageEvent, "离线底图 {Name}：{File}，{Format}，缩放级别 {Min}–{Max} / tile package loaded",
                package.Name, path, format, minZoom, maxZoom);
            if (!package.IsRaster)
                log.LogWarning(PackageEvent, "离线底图 {File} 为 {Format} 格式，地图只能显示栅格瓦片（png、jpg、webp） / vector tiles are served but not drawn", path, format);
            return (cs, package);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            log.LogError(PackageEvent, "离线底图文件无法读取：{File}（{Message}），地图不显示底图 / tile package unreadable", path, e.Message);
            return (null, null);
        }
    }

    private static Dictionary<string, string> Metadata(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, value FROM metadata";
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0) && !reader.IsDBNull(1)) values[reader.GetString(0)] = reader.GetString(1);
        }
        return values;
    }

    private static (int, int) ZoomRange(SqliteConnection connection, Dictionary<string, string> metadata)
    {
        if (int.TryParse(metadata.GetValueOrDefault("minzoom"), CultureInfo.InvariantCulture, out var min)
            && int.TryParse(metadata.GetValueOrDefault("maxzoom"), CultureInfo.InvariantCulture, out var max)
            && min is >= 0 and <= MaxZoom && max >= min && max <= MaxZoom)
            return (min, max);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles";
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(0)) throw new InvalidDataException("tiles 表中没有瓦片");
        return (Math.Clamp(reader.GetInt32(0), 0, MaxZoom), Math.Clamp(reader.GetInt32(1), 0, MaxZoom));
    }

    /// <summary>The metadata's format; without one, what the first tile's bytes are.</summary>
    private static string Format(SqliteConnection connection, Dictionary<string, string> metadata)
    {
        var stated = metadata.GetValueOrDefault("format")?.Trim().ToLowerInvariant();
        if (stated is "jpeg") stated = "jpg";
        if (stated is "png" or "jpg" or "webp" or "pbf") return stated;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tile_data FROM tiles LIMIT 1";
        return command.ExecuteScalar() switch
        {
            byte[] b when b.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47]) => "png",
            byte[] b when b.AsSpan().StartsWith((byte[])[0xFF, 0xD8]) => "jpg",
            byte[] b when b.Length > 12 && b.AsSpan(8, 4).SequenceEqual("WEBP"u8) => "webp",
            byte[] => "pbf",
            _ => throw new InvalidDataException("tiles 表中没有瓦片"),
        };
    }

    /// <summary>left,bottom,right,top in degrees, or null when absent or nonsense.</summary>
    private static double[]? Bounds(string? text)
    {
        var parts = text?.Split(',');
        if (parts is not { Length: 4 }) return null;
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i])) return null;
        }
        return values[0] < values[2] && values[1] < values[3] && values[0] >= -180 && values[2] <= 180 && values[1] >= -90 && values[3] <= 90
            ? values : null;
    }

    /// <summary>Attribution is often HTML (a link to the source); the maps show it as text, so a file cannot put markup in a page.</summary>
    private static string PlainText(string html) => WebUtility.HtmlDecode(Tags().Replace(html, "")).Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
