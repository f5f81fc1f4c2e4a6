using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>The device registry over HTTP, and the e-fence zone index behind position pings.</summary>
public sealed class DevicesApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Devices_need_a_log_in_the_office_registers_them_and_another_county_sees_nothing(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/devices/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/devices", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/alert-rules")).StatusCode);

        var office = await app.LoginAsync("sx-office");
        var (keyId, _) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var device = await DeviceAsync(office, "camera", keyId, adit.Id);
        Assert.Equal("摄像头", device.GetProperty("kindName").GetString());
        Assert.Equal(30, device.GetProperty("heartbeatMinutes").GetInt32());
        var id = device.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/devices/{id}")).StatusCode);

        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.Forbidden, (await patrol.PostAsJsonAsync("/api/devices", new { kind = "camera" })).StatusCode);
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/devices/{id}")).StatusCode);
        var foreign = await hongjiang.PostAsJsonAsync("/api/devices", new { kind = "camera", code = "X1", name = "越界", apiKeyId = keyId, aditId = adit.Id });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        var foreignErrors = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(foreignErrors.TryGetProperty("apiKeyId", out _));
        Assert.Contains("管辖范围", foreignErrors.GetProperty("aditId")[0].GetString(), StringComparison.Ordinal);

        var bad = await office.PostAsJsonAsync("/api/devices", new { kind = "toaster", code = device.GetProperty("code").GetString(), apiKeyId = keyId, heartbeatMinutes = -1 });
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("设备类型", errors.GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("已有编号", errors.GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("设备名称", errors.GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("divisionCode", out _));
        Assert.True(errors.TryGetProperty("heartbeatMinutes", out _));
    }

    [Fact]
    public void The_zone_grid_finds_circles_and_polygons_and_nothing_outside()
    {
        var circle = Guid.NewGuid();
        var square = Guid.NewGuid();
        var grid = ZoneGrid.Build([
            new ZoneGrid.Zone(circle, 112.0, 34.0, 200, null),
            ZoneGrid.FromDevice(square, null, null, null,
                """{"type":"Polygon","coordinates":[[[111.995,33.995],[112.015,33.995],[112.015,34.005],[111.995,34.005],[111.995,33.995]]]}""")!,
        ]);
        Assert.Equal(new[] { circle, square }.Order(), grid.Containing(112.0, 34.001).Order());
        Assert.Equal([square], grid.Containing(112.012, 34.0));
        Assert.Empty(grid.Containing(112.0, 34.01));
        Assert.Empty(grid.Containing(113.0, 35.0));
        // 190 m north is inside the 200 m circle, 210 m is not.
        Assert.Contains(circle, grid.Containing(112.0, 34.0 + 190 / 111_320.0));
        Assert.DoesNotContain(circle, grid.Containing(112.0, 34.0 + 210 / 111_320.0));
    }

    [Fact]
    public void The_zone_grid_answers_as_a_scan_of_every_zone_does()
    {
        // Circles from 20 m to 5 km, squares, concave and thin polygons, a zone far from the rest (a wide extent with
        // coarse cells), over a small box so that zones overlap; each point's zones from the index equal a full scan's.
        var random = new Random(7);
        var zones = new List<ZoneGrid.Zone>();
        for (var i = 0; i < 3_000; i++)
        {
            var (lon, lat) = (112.0 + random.NextDouble() * 0.2, 34.0 + random.NextDouble() * 0.2);
            var d = 0.0005 + random.NextDouble() * (i % 50 == 0 ? 0.05 : 0.005);
            zones.Add((i % 4) switch
            {
                0 => new ZoneGrid.Zone(Guid.NewGuid(), 0, 0, 0, [lon - d, lat - d, lon + d, lat - d, lon + d, lat + d, lon - d, lat + d, lon - d, lat - d]),
                // An L shape: the box holds points the polygon does not.
                1 => new ZoneGrid.Zone(Guid.NewGuid(), 0, 0, 0, [lon, lat, lon + 2 * d, lat, lon + 2 * d, lat + d / 2, lon + d / 2, lat + d / 2, lon + d / 2, lat + 2 * d, lon, lat + 2 * d, lon, lat]),
                _ => new ZoneGrid.Zone(Guid.NewGuid(), lon, lat, 20 + random.NextDouble() * (i % 97 == 0 ? 5_000 : 400), null),
            });
        }
        zones.Add(new ZoneGrid.Zone(Guid.NewGuid(), 117.0, 39.0, 300, null));
        var grid = ZoneGrid.Build(zones);
        Assert.Equal(zones.Count, grid.Count);
        var hits = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var (lon, lat) = i == 0 ? (117.0, 39.001) : (111.99 + random.NextDouble() * 0.23, 33.99 + random.NextDouble() * 0.23);
            var expected = zones.Where(z => z.Contains(lon, lat)).Select(z => z.Id).Order().ToList();
            Assert.Equal(expected, grid.Containing(lon, lat).Order().ToList());
            Assert.Equal(expected.Count, grid.CountContaining(lon, lat));
            hits += expected.Count;
        }
        Assert.True(hits > 1_000, $"the points should land in zones often enough to test something ({hits})");

        // At the edges: points on each circle's rim (just inside, on, just outside) and on and beside polygon edges and
        // corners, where a cell covered whole or crossed must not change the answer.
        var edgePoints = new List<(double Lon, double Lat)>();
        for (var i = 0; i < 500; i++) edgePoints.Add((111.99 + random.NextDouble() * 0.23, 33.99 + random.NextDouble() * 0.23));
        foreach (var z in zones.Take(1_500))
        {
            if (z.Ring is { } r)
            {
                for (var k = 0; k + 3 < r.Length; k += 2)
                {
                    var t = random.NextDouble();
                    var (lon, lat) = (r[k] + t * (r[k + 2] - r[k]), r[k + 1] + t * (r[k + 3] - r[k + 1]));
                    foreach (var e in new[] { 0, 1e-12, -1e-12, 1e-9, -1e-9 }) edgePoints.Add((lon + e, lat - e));
                    edgePoints.Add((r[k], r[k + 1]));
                }
                continue;
            }
            for (var k = 0; k < 4; k++)
            {
                var angle = random.NextDouble() * 2 * Math.PI;
                foreach (var f in new[] { 1.0, 1 - 1e-12, 1 + 1e-12, 1 - 1e-9, 1 + 1e-9 })
                {
                    var metres = z.RadiusMeters * f;
                    edgePoints.Add((z.Lon + metres * Math.Cos(angle) / (111_320.0 * Math.Cos(z.Lat * Math.PI / 180)), z.Lat + metres * Math.Sin(angle) / 111_320.0));
                }
            }
        }
        // The batch form answers as one ping at a time does (groups of 16 and a partial last group).
        var batch = edgePoints.Take(1_000).ToArray();
        var counts = new int[batch.Length];
        grid.CountContaining(batch, counts);
        Assert.Equal(batch.Select(p => zones.Count(z => z.Contains(p.Lon, p.Lat))), counts);
        Span<Guid> buffer = stackalloc Guid[4];
        foreach (var (lon, lat) in edgePoints)
        {
            var expected = zones.Where(z => z.Contains(lon, lat)).Select(z => z.Id).Order().ToList();
            Assert.Equal(expected, grid.Containing(lon, lat).Order().ToList());
            Assert.Equal(expected.Count, grid.CountContaining(lon, lat));
            var n = grid.Containing(lon, lat, buffer);
            Assert.Equal(expected.Count, n);
            // A full buffer holds some of them (the count says how many there are).
            var written = buffer[..Math.Min(n, buffer.Length)].ToArray();
            if (n <= buffer.Length) Assert.Equal(expected, written.Order());
            else Assert.Subset(expected.ToHashSet(), written.ToHashSet());
        }
        Assert.Empty(ZoneGrid.Build([]).Containing(112.0, 34.0));
        Assert.Equal(0, grid.CountContaining(double.NaN, 34.0));
    }

    [Fact]
    public void The_zone_grid_answers_as_a_scan_does_near_slanted_edges_and_rims_and_in_batches()
    {
        // Slanted polygons (triangles, rotated squares, stars), circles from 2 m (smaller than a cell) to 5 km, and
        // points just across edges and rims at several distances: every answer equals a scan of every zone, ping by
        // ping and through the batch forms.
        var random = new Random(21);
        var zones = new List<ZoneGrid.Zone>();
        for (var i = 0; i < 2_000; i++)
        {
            var (lon, lat) = (112.0 + random.NextDouble() * 0.2, 34.0 + random.NextDouble() * 0.2);
            var d = 0.0005 + random.NextDouble() * 0.004;
            var turn = random.NextDouble() * Math.PI;
            double[] Ring(int corners, Func<int, double> reach) =>
                [.. Enumerable.Range(0, corners + 1).SelectMany(k => new[]
                {
                    lon + reach(k % corners) * Math.Cos(turn + 2 * Math.PI * k / corners),
                    lat + reach(k % corners) * Math.Sin(turn + 2 * Math.PI * k / corners),
                })];
            zones.Add((i % 5) switch
            {
                0 => new ZoneGrid.Zone(Guid.NewGuid(), 0, 0, 0, Ring(3, _ => d)),
                1 => new ZoneGrid.Zone(Guid.NewGuid(), 0, 0, 0, Ring(4, _ => d)),
                2 => new ZoneGrid.Zone(Guid.NewGuid(), 0, 0, 0, Ring(10, k => k % 2 == 0 ? d : d / 3)),
                _ => new ZoneGrid.Zone(Guid.NewGuid(), lon, lat, i % 50 == 3 ? 2 : i % 61 == 3 ? 5_000 : 30 + random.NextDouble() * 400, null),
            });
        }
        var grid = ZoneGrid.Build(zones);

        var points = new List<(double Lon, double Lat)>();
        for (var i = 0; i < 5_000; i++) points.Add((111.99 + random.NextDouble() * 0.23, 33.99 + random.NextDouble() * 0.23));
        var offsets = new[] { 0, 1e-12, -1e-12, 1e-9, -1e-9, 1e-7, -1e-7, 3e-7, -3e-7, 1e-6, -1e-6 };
        foreach (var z in zones.Take(600))
        {
            if (z.Ring is { } r)
            {
                for (var k = 0; k + 3 < r.Length; k += 2)
                {
                    var t = random.NextDouble();
                    var (lon, lat) = (r[k] + t * (r[k + 2] - r[k]), r[k + 1] + t * (r[k + 3] - r[k + 1]));
                    // Across the edge, along its normal.
                    var (nx, ny) = (-(r[k + 3] - r[k + 1]), r[k + 2] - r[k]);
                    var length = Math.Sqrt(nx * nx + ny * ny);
                    foreach (var e in offsets) points.Add((lon + e * nx / length, lat + e * ny / length));
                }
                continue;
            }
            for (var k = 0; k < 3; k++)
            {
                var angle = random.NextDouble() * 2 * Math.PI;
                foreach (var f in new[] { 1.0, 1 - 1e-12, 1 + 1e-12, 1 - 1e-7, 1 + 1e-7, 1 - 4e-4, 1 + 4e-4, 1 - 5e-4, 1 + 5e-4, 1 - 6e-4, 1 + 6e-4, 0.99, 1.01 })
                {
                    var metres = z.RadiusMeters * f;
                    points.Add((z.Lon + metres * Math.Cos(angle) / (111_320.0 * Math.Cos(z.Lat * Math.PI / 180)), z.Lat + metres * Math.Sin(angle) / 111_320.0));
                }
            }
        }

        var expected = points.Select(p => zones.Where(z => z.Contains(p.Lon, p.Lat)).Select(z => z.Id).Order().ToList()).ToList();
        Assert.True(expected.Sum(e => e.Count) > 5_000, "the points should land in zones often enough to test something");
        for (var i = 0; i < points.Count; i++)
        {
            Assert.Equal(expected[i], grid.Containing(points[i].Lon, points[i].Lat).Order().ToList());
            Assert.Equal(expected[i].Count, grid.CountContaining(points[i].Lon, points[i].Lat));
        }

        // The batch forms: counts, and ids by offsets (with too small a span first: the total, then all of them).
        var pings = points.ToArray();
        var counts = new int[pings.Length];
        grid.CountContaining(pings, counts);
        Assert.Equal(expected.Select(e => e.Count), counts);
        var bounds = new int[pings.Length + 1];
        var total = grid.ContainingBatch(pings, new Guid[10], bounds);
        Assert.Equal(expected.Sum(e => e.Count), total);
        var ids = new Guid[total];
        Assert.Equal(total, grid.ContainingBatch(pings, ids, bounds));
        for (var i = 0; i < pings.Length; i++) Assert.Equal(expected[i], ids[bounds[i]..bounds[i + 1]].Order().ToList());
        Assert.Equal(0, grid.ContainingBatch([], ids, bounds));
        Assert.Equal(0, bounds[0]);
    }
}
