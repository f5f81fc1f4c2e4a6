using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MineGuard.Tests.Features.Tips;
using MineGuard.Tests.Infrastructure;
using SkiaSharp;

namespace MineGuard.Tests.Platform.Maps;

/// <summary>
/// The offline base map (Map:TilesFile): a generated MBTiles package served at /tiles/{z}/{x}/{y} and described at
/// /api/map/base-map. The package is a file, not the database, so these run on one engine.
/// </summary>
public sealed class TilePackageTests
{
    // Three tiles around 嵩县 at zoom 10 and 11.
    private static readonly (int X, int Y) Songxian10 = TilePackages.TileAt(112.0, 34.0, 10);
    private static readonly TilePackages.Tile[] Tiles =
    [
        new(10, Songxian10.X, Songxian10.Y, SKColors.LightGreen),
        new(10, Songxian10.X + 1, Songxian10.Y, SKColors.Khaki),
        new(11, Songxian10.X * 2, Songxian10.Y * 2, SKColors.LightBlue),
    ];

    private static readonly Dictionary<string, string> Metadata = new()
    {
        ["name"] = "嵩县测试底图", ["format"] = "png", ["minzoom"] = "10", ["maxzoom"] = "11",
        ["bounds"] = "111.5,33.6,112.6,34.5", ["attribution"] = "<a href=\"https://example.org\">© 测试测绘院</a>",
    };

    [Theory, OnSqlite]
    public async Task Staff_get_the_package_tiles_with_their_type_and_caching(string provider)
    {
        var file = TilePackages.Create(Tiles, Metadata);
        try
        {
            await using var app = await TestApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Map:TilesFile"] = file });
            var office = await app.LoginAsync("sx-office");

            var settings = await office.GetFromJsonAsync<JsonElement>("/api/map/base-map");
            var tiles = settings.GetProperty("tiles");
            Assert.Equal("package", tiles.GetProperty("source").GetString());
            Assert.Equal("/tiles/{z}/{x}/{y}", tiles.GetProperty("url").GetString());
            Assert.Equal("嵩县测试底图", tiles.GetProperty("name").GetString());
            // The file's HTML link is shown as its text only.
            Assert.Equal("© 测试测绘院", tiles.GetProperty("attribution").GetString());
            Assert.Equal(10, tiles.GetProperty("minZoom").GetInt32());
            Assert.Equal(11, tiles.GetProperty("maxZoom").GetInt32());
            Assert.Equal([111.5, 33.6, 112.6, 34.5], tiles.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()));
            Assert.Equal("wgs84", settings.GetProperty("crs").GetString());
            Assert.Equal("MineGuard", settings.GetProperty("attribution").GetString());

            // Each tile comes back as stored (the TMS row flipped to the map's y), as PNG, cacheable by the browser only.
            foreach (var t in Tiles)
            {
                var response = await office.GetAsync($"/tiles/{t.Z}/{t.X}/{t.Y}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(t.Png, await response.Content.ReadAsByteArrayAsync());
                Assert.True(response.Headers.CacheControl is { Private: true, MaxAge: not null }, response.Headers.CacheControl?.ToString());
                Assert.NotNull(response.Headers.ETag);
            }

            // Asked again with the tag it was given: not modified, no bytes.
            var first = await office.GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}");
            var again = new HttpRequestMessage(HttpMethod.Get, $"/tiles/10/{Songxian10.X}/{Songxian10.Y}");
            again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await office.SendAsync(again)).StatusCode);

            // A tile the package lacks (another place, another zoom): 404, not an error.
            Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync("/tiles/10/0/0")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/tiles/12/{Songxian10.X * 4}/{Songxian10.Y * 4}")).StatusCode);

            // Nonsense coordinates: 400 naming the coordinate, in Chinese.
            await AssertBad(office, "/tiles/abc/1/1", "z");
            await AssertBad(office, "/tiles/25/0/0", "z");
            await AssertBad(office, "/tiles/3/8/0", "x");
            await AssertBad(office, "/tiles/3/1/-1", "y");
            await AssertBad(office, "/tiles/3/1/1.png", "y");

            // The base map is not jurisdiction data: another county's office loads the same tiles.
            var hongjiang = await app.LoginAsync("hj-office");
            Assert.Equal(HttpStatusCode.OK, (await hongjiang.GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}")).StatusCode);

            // Not logged in: refused with a status code (an image has no use for a log-in page), and the public tip
            // page is not offered the package unless the office opened it (Map:TilesPublic).
            var anonymous = app.Anonymous();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/map/base-map")).StatusCode);
            var report = await anonymous.GetFromJsonAsync<JsonElement>("/report/map-config");
            Assert.Equal(JsonValueKind.Null, report.GetProperty("baseMap").GetProperty("tiles").ValueKind);
        }
        finally
        {
            TilePackages.Delete(file);
        }
    }

    [Theory, OnSqlite]
    public async Task A_package_opened_to_the_public_serves_the_tip_page(string provider)
    {
        var file = TilePackages.Create(Tiles, Metadata);
        try
        {
            await using var app = await TestApp.StartAsync(provider, demo: false,
                settings: new Dictionary<string, string?> { ["Map:TilesFile"] = file, ["Map:TilesPublic"] = "true" });
            var anonymous = app.Anonymous();
            var config = await anonymous.GetFromJsonAsync<JsonElement>("/report/map-config");
            Assert.Equal("package", config.GetProperty("baseMap").GetProperty("tiles").GetProperty("source").GetString());

            var response = await anonymous.GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Tiles[0].Png, await response.Content.ReadAsByteArrayAsync());
            Assert.True(response.Headers.CacheControl?.Public, response.Headers.CacheControl?.ToString());
            Assert.Contains("data-map=\"1\"", await anonymous.GetStringAsync("/report"), StringComparison.Ordinal);
        }
        finally
        {
            TilePackages.Delete(file);
        }
    }

    [Theory, OnSqlite]
    public async Task A_missing_or_broken_package_is_one_log_line_and_no_tile_layer(string provider)
    {
        var corrupt = TilePackages.CreateCorrupt();
        try
        {
            foreach (var (file, expected) in new[] { (corrupt, "离线底图文件无法读取"), (corrupt + ".gone", "离线底图文件不存在") })
            {
                var logs = new CapturingLoggerProvider();
                await using var app = await TestApp.StartAsync(provider, demo: false,
                    services: s => s.AddSingleton<ILoggerProvider>(logs),
                    settings: new Dictionary<string, string?> { ["Map:TilesFile"] = file, ["Map:TilesPublic"] = "true" });
                var anonymous = app.Anonymous();
                var config = await anonymous.GetFromJsonAsync<JsonElement>("/report/map-config");
                Assert.Equal(JsonValueKind.Null, config.GetProperty("baseMap").GetProperty("tiles").ValueKind);
                for (var i = 0; i < 3; i++)
                    Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}")).StatusCode);
                var lines = logs.Lines.Where(l => l.Contains("离线底图", StringComparison.Ordinal)).ToList();
                Assert.True(lines.Count == 1 && lines[0].Contains(expected, StringComparison.Ordinal) && lines[0].Contains(file, StringComparison.Ordinal),
                    string.Join("\n", lines));
            }
        }
        finally
        {
            TilePackages.Delete(corrupt);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Without_a_package_the_maps_have_no_tile_layer_and_nothing_fails(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var settings = await office.GetFromJsonAsync<JsonElement>("/api/map/base-map");
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("tiles").ValueKind);
        Assert.Equal("wgs84", settings.GetProperty("crs").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}")).StatusCode);
        await AssertBad(office, "/tiles/10/99999/1", "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/tiles/10/{Songxian10.X}/{Songxian10.Y}")).StatusCode);
    }

    private static async Task AssertBad(HttpClient client, string url, string field)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains("瓦片", StringComparison.Ordinal) || m!.Contains("缩放级别", StringComparison.Ordinal));
    }
}
