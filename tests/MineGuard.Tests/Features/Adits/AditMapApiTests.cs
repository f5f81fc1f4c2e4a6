using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Mines;
using MineGuard.Platform.Geo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Adits;

public sealed class AditMapApiTests
{
    private const string Songxian = "410325";
    private const string TaocunForestFarm = "410325400";
    private const string Chengguan = "410325100";

    // A box of about 1 km in 嵩县 that no other test uses, at a zoom where adits come one by one.
    private const double Lon = 111.91373, Lat = 34.08711;
    private static readonly string SmallBox = Box(Lon - 0.005, Lat - 0.005, Lon + 0.005, Lat + 0.005);

    [Theory, OnSqlite, OnPostgres]
    public async Task Anonymous_caller_is_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/map/adits?bbox={SmallBox}&zoom=16")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/map/mines?bbox={SmallBox}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task High_zoom_returns_the_adits_in_the_box_with_their_map_state(string provider)
    {
        var app = await TestApp.Shared(provider);
        var ids = await app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var sealer = Guid.NewGuid();
            var unsealed = Register(db, Lon, Lat, now);
            var concrete = Register(db, Lon + 0.001, Lat, now);
            concrete.Seal(Work(SealMethod.Concrete, sealer), null, now);
            var rocks = Register(db, Lon + 0.002, Lat, now, Mineral.Fluorite, AditOrigin.PolicyClosure);
            rocks.Seal(Work(SealMethod.LooseRocks, sealer), null, now);
            var accepted = Register(db, Lon + 0.003, Lat, now);
            accepted.Seal(Work(SealMethod.MortarMasonry, sealer), null, now);
            accepted.Accept(new DateOnly(2026, 10, 2), Guid.NewGuid(), null, now);
            var acceptedRocks = Register(db, Lon + 0.004, Lat, now);
            acceptedRocks.Seal(Work(SealMethod.LooseRocks, sealer), null, now);
            acceptedRocks.Accept(new DateOnly(2026, 10, 2), Guid.NewGuid(), null, now);
            var breached = Register(db, Lon, Lat + 0.002, now);
            breached.Seal(Work(SealMethod.LooseRocks, sealer), null, now);
            breached.RecordBreach(new DateOnly(2026, 10, 20), "巡查员", "巡查发现", null, null, now);
            var outside = Register(db, Lon + 0.02, Lat, now);
            await db.SaveChangesAsync();
            return new { unsealed, concrete, rocks, accepted, acceptedRocks, breached, outside };
        });

        var client = await app.LoginAsync("sx-office");
        var map = await client.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={SmallBox}&zoom=16");
        Assert.Equal("FeatureCollection", map.GetProperty("type").GetString());
        Assert.Equal("points", map.GetProperty("mode").GetString());
        var byId = Features(map).ToDictionary(f => f.GetProperty("properties").GetProperty("id").GetGuid());
        Assert.Equal(6, byId.Count);
        Assert.DoesNotContain(ids.outside.Id, byId.Keys);
        Assert.Equal("unsealed", MapState(byId[ids.unsealed.Id]));
        Assert.Equal("sealed", MapState(byId[ids.concrete.Id]));
        Assert.Equal("weak", MapState(byId[ids.rocks.Id]));
        Assert.Equal("accepted", MapState(byId[ids.accepted.Id]));
        Assert.Equal("weak", MapState(byId[ids.acceptedRocks.Id]));
        Assert.Equal("breached", MapState(byId[ids.breached.Id]));

        var rocks = byId[ids.rocks.Id];
        var p = rocks.GetProperty("properties");
        Assert.Equal(ids.rocks.Number, p.GetProperty("number").GetString());
        Assert.Equal("已封堵", p.GetProperty("state").GetString());
        Assert.Equal("石块堆砌", p.GetProperty("sealMethod").GetString());
        Assert.Equal("萤石", p.GetProperty("mineral").GetString());
        Assert.Equal("政策性关闭", p.GetProperty("origin").GetString());
        Assert.Equal("陶村林场", p.GetProperty("township").GetString());
        Assert.Equal("Point", rocks.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(Lon + 0.002, rocks.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 1e-6);
        Assert.Equal(Lat, rocks.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble(), 1e-6);
        Assert.Equal(1, byId[ids.breached.Id].GetProperty("properties").GetProperty("breachCount").GetInt32());

        // A map on GCJ-02 tiles sends its box in GCJ-02 and gets the adit shifted by a few hundred metres.
        var (gMinLon, gMinLat) = Gcj02.FromWgs84(Lon - 0.005, Lat - 0.005);
        var (gMaxLon, gMaxLat) = Gcj02.FromWgs84(Lon + 0.005, Lat + 0.005);
        var gcj = await client.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={Box(gMinLon, gMinLat, gMaxLon, gMaxLat)}&zoom=16&crs=gcj02");
        Assert.Equal(6, Features(gcj).Count());
        var shifted = Features(gcj).Single(f => f.GetProperty("properties").GetProperty("id").GetGuid() == ids.rocks.Id);
        var expected = Gcj02.FromWgs84(Lon + 0.002, Lat);
        Assert.Equal(expected.Lon, shifted.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 1e-5);

        // The other county sees nothing here, and the city sees the county's adits.
        var hongjiang = await app.LoginAsync("hj-office");
        var none = await hongjiang.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={SmallBox}&zoom=16");
        Assert.Empty(Features(none));
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        var city = await app.LoginAsync("ly-leader");
        Assert.Equal(6, Features(await city.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={SmallBox}&zoom=16")).Count());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Low_zoom_returns_clusters_that_add_up_and_filters_narrow_them(string provider)
    {
        // A private app: the cluster counts are compared with exactly what this test put in.
        await using var app = await TestApp.StartAsync(provider);
        await app.WithDbAsync(async db =>
        {
            // The demo's check-ins, alerts and devices point at demo adits; they go first.
            await db.Set<MineGuard.Features.Patrols.CheckInPhoto>().ExecuteDeleteAsync();
            await db.Set<MineGuard.Features.Patrols.CheckIn>().ExecuteDeleteAsync();
            await db.Set<MineGuard.Features.Assignments.Assignment>().ExecuteDeleteAsync();
            await db.Set<MineGuard.Features.Monitoring.Alert>().ExecuteDeleteAsync();
            await db.Set<MineGuard.Features.Monitoring.DeviceEvent>().ExecuteDeleteAsync();
            await db.Set<MineGuard.Features.Monitoring.Device>().ExecuteDeleteAsync();
            return await db.Set<Adit>().Where(a => a.IsDemo).ExecuteDeleteAsync();
        });
        var responsible = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-resp").Select(u => u.Id).SingleAsync());
        var adits = await app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var random = new Random(20261102);
            var list = new List<Adit>();
            for (var i = 0; i < 620; i++)
            {
                var township = i % 3 == 0 ? Chengguan : TaocunForestFarm;
                var adit = Register(db, 111.95 + (random.NextDouble() * 0.2), 33.95 + (random.NextDouble() * 0.2), now,
                    i % 5 == 0 ? Mineral.Fluorite : Mineral.Gold, i % 4 == 0 ? AditOrigin.TheftPoint : AditOrigin.HistoricPrivate,
                    township, i % 10 == 0 ? responsible : null);
                if (i % 2 == 0) adit.Seal(Work(i % 6 == 0 ? SealMethod.LooseRocks : SealMethod.Concrete, Guid.NewGuid()), null, now);
                if (i % 8 == 0) adit.Accept(new DateOnly(2026, 10, 2), Guid.NewGuid(), null, now);
                if (i % 14 == 0) adit.RecordBreach(new DateOnly(2026, 10, 20), null, "群众举报", null, null, now);
                list.Add(adit);
            }
            await db.SaveChangesAsync();
            return list;
        });
        var box = Box(111.9, 33.9, 112.2, 34.2);
        var office = await app.LoginAsync("sx-office");

        var clusters = await office.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={box}&zoom=10");
        Assert.Equal("clusters", clusters.GetProperty("mode").GetString());
        var cells = Features(clusters).Select(f => f.GetProperty("properties")).ToList();
        Assert.True(cells.Count > 1, "expected several cells");
        Assert.All(cells, c => Assert.True(c.GetProperty("cluster").GetBoolean()));
        Assert.Equal(620, cells.Sum(c => c.GetProperty("count").GetInt32()));
        Assert.Equal(620, clusters.GetProperty("total").GetInt32());
        foreach (var state in MapStates.Keys)
        {
            var expected = adits.Count(a => MapStates.Of(a.State, a.CurrentSealMethod) == state.Key);
            Assert.Equal(expected, cells.Sum(c => c.GetProperty("states").GetProperty(state.Value).GetInt32()));
        }
        Assert.All(cells, c => Assert.Equal(c.GetProperty("count").GetInt32(),
            MapStates.Keys.Values.Sum(s => c.GetProperty("states").GetProperty(s).GetInt32())));
        // Each cluster sits among its adits: inside the box that was asked for.
        Assert.All(Features(clusters), f =>
        {
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            Assert.InRange(c[0].GetDouble(), 111.95, 112.15);
            Assert.InRange(c[1].GetDouble(), 33.95, 34.15);
        });

        // The other county sees none of them, not even as a count.
        var hongjiang = await app.LoginAsync("hj-office");
        var foreign = await hongjiang.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={box}&zoom=10");
        Assert.Empty(Features(foreign));
        Assert.Equal(0, foreign.GetProperty("total").GetInt32());

        // Filters: each total is what the data says; a small result comes as points.
        await AssertTotal(office, $"bbox={box}&zoom=10&state=weak", adits.Count(a => a.IsWeakSeal));
        await AssertTotal(office, $"bbox={box}&zoom=10&state=breached", adits.Count(a => a.State == SealState.Breached));
        await AssertTotal(office, $"bbox={box}&zoom=10&state=sealed", adits.Count(a => a.State == SealState.Sealed && !a.IsWeakSeal));
        await AssertTotal(office, $"bbox={box}&zoom=10&mineral=萤石", adits.Count(a => a.Mineral == Mineral.Fluorite));
        await AssertTotal(office, $"bbox={box}&zoom=10&origin=盗采点", adits.Count(a => a.Origin == AditOrigin.TheftPoint));
        await AssertTotal(office, $"bbox={box}&zoom=10&township={Chengguan}", adits.Count(a => a.TownshipCode == Chengguan));
        await AssertTotal(office, $"bbox={box}&zoom=10&responsible={responsible}", adits.Count(a => a.ResponsibleUserId == responsible));
        await AssertTotal(office, $"bbox={box}&zoom=10&state=unsealed&mineral=金&township={TaocunForestFarm}",
            adits.Count(a => a.State == SealState.Unsealed && a.Mineral == Mineral.Gold && a.TownshipCode == TaocunForestFarm));
        var weak = await office.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={box}&zoom=10&state=weak");
        Assert.Equal("points", weak.GetProperty("mode").GetString());
        Assert.All(Features(weak), f => Assert.Equal("weak", MapState(f)));

        // Up close, the box is exact: the west half holds exactly the adits west of its edge.
        var west = await office.GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={Box(111.9, 33.9, 112.05, 34.2)}&zoom=16");
        Assert.Equal("points", west.GetProperty("mode").GetString());
        Assert.Equal(adits.Where(a => a.Lon <= 112.05).Select(a => a.Id).Order(),
            Features(west).Select(f => f.GetProperty("properties").GetProperty("id").GetGuid()).Order());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_cluster_pyramid_follows_every_write_and_answers_as_the_adits_do(string provider)
    {
        // A private app: the pyramid is compared, cell by cell, with the clusters counted from the adits themselves.
        await using var app = await TestApp.StartAsync(provider);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var random = new Random(20261205);
        var ids = await app.WithDbAsync(async db =>
        {
            var list = new List<Adit>();
            for (var i = 0; i < 300; i++)
            {
                var adit = Register(db, 111.6 + (random.NextDouble() * 0.6), 33.8 + (random.NextDouble() * 0.5), now,
                    township: i % 2 == 0 ? Chengguan : TaocunForestFarm);
                if (i % 3 == 0) adit.Seal(Work(i % 9 == 0 ? SealMethod.LooseRocks : SealMethod.Concrete, Guid.NewGuid()), null, now);
                list.Add(adit);
            }
            await db.SaveChangesAsync();
            return list.Select(a => a.Id).ToList();
        });
        // Every kind of write: tracked updates (seal, accept, breach, move to another township, write off), a set-based
        // update, a set-based delete.
        await app.WithDbAsync(async db =>
        {
            var adits = await db.Set<Adit>().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id);
            for (var i = 0; i < 40; i++)
            {
                var a = adits[ids[i]];
                switch (i % 5)
                {
                    case 0 when a.State == SealState.Unsealed: a.Seal(Work(SealMethod.LooseRocks, Guid.NewGuid()), null, now); break;
                    case 1 when a.State == SealState.Sealed: a.Accept(new DateOnly(2026, 10, 2), Guid.NewGuid(), null, now); break;
                    case 2: a.Relocate(new Adit.Place(Songxian, Chengguan, null, null), a.Lon + 0.37, a.Lat - 0.21); break;
                    case 3:
                        if (a.State == SealState.Unsealed) a.Seal(Work(SealMethod.Concrete, Guid.NewGuid()), null, now);
                        if (a.State == SealState.Sealed) a.Accept(new DateOnly(2026, 10, 2), Guid.NewGuid(), null, now);
                        a.WriteOff("已治理销号", now);
                        break;
                    case 4 when a.State is SealState.Sealed or SealState.Accepted: a.RecordBreach(new DateOnly(2026, 10, 20), null, "群众举报", null, null, now); break;
                }
            }
            await db.SaveChangesAsync();
            await db.Set<Adit>().Where(a => ids.Skip(40).Take(20).Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.State, SealState.Breached));
            return await db.Set<Adit>().Where(a => ids.Skip(60).Take(15).Contains(a.Id)).ExecuteDeleteAsync();
        });

        foreach (var zoom in new[] { 1, 4, 7, 8, 10, 11, 13, 15 })
        {
            var filter = new AditMapFilter(new MapBox(111.0, 33.0, 113.0, 35.0), zoom);
            var (pyramid, adits) = await app.WithDbAsync(async db => (
                await AditMapQuery.ClusterQueryFromPyramid(db, filter).ToListAsync(),
                await AditMapQuery.ClusterQueryFromAdits(db, filter).ToListAsync()));
            Assert.True(adits.Sum(c => c.Count) >= 225, $"zoom {zoom}: {adits.Sum(c => c.Count)} adits in view");
            Assert.Equal(Cells(adits), Cells(pyramid));
        }
        // The county's office sees the same through the API; another county sees nothing, not even as a count.
        var box = Box(111.0, 33.0, 113.0, 35.0);
        var office = await (await app.LoginAsync("sx-office")).GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={box}&zoom=9");
        Assert.Equal("clusters", office.GetProperty("mode").GetString());
        var expected = await app.WithDbAsync(db => db.Set<Adit>().CountAsync(a => a.CountyCode == Songxian && a.Status == AditStatus.Active
            && a.Lon > 111.0 && a.Lon < 113.0 && a.Lat > 33.0 && a.Lat < 35.0));
        Assert.Equal(expected, office.GetProperty("total").GetInt32());
        var foreign = await (await app.LoginAsync("hj-office")).GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={box}&zoom=9");
        Assert.Equal(0, foreign.GetProperty("total").GetInt32());
        // The coarse levels hold whole counties: a township's patrol member still sees exactly the township's adits.
        var patrol = await (await app.LoginAsync("sx-patrol")).GetFromJsonAsync<JsonElement>($"/api/map/adits?bbox={box}&zoom=9");
        var township = await app.WithDbAsync(db => db.Set<Adit>().CountAsync(a => a.DivisionCode.StartsWith(TaocunForestFarm) && a.Status == AditStatus.Active
            && a.Lon > 111.0 && a.Lon < 113.0 && a.Lat > 33.0 && a.Lat < 35.0));
        Assert.InRange(township, 1, expected - 1);
        Assert.Equal(township, patrol.GetProperty("total").GetInt32());

        // Cells keyed by their mean position (to a millimetre), with count and states.
        static List<string> Cells(IEnumerable<ClusterRow> rows) => rows
            .Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.X:F3},{r.Y:F3}:{r.Count}/{r.Unsealed}/{r.Sealed}/{r.Accepted}/{r.Breached}/{r.Weak}"))
            .Order(StringComparer.Ordinal).ToList();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_parameters_are_refused_naming_the_field_in_Chinese(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = await app.LoginAsync("sx-office");
        var cases = new (string Query, string Field, string Words)[]
        {
            ("zoom=12", "bbox", "请提供地图范围"),
            ("bbox=112,34,113&zoom=12", "bbox", "4 个数"),
            ("bbox=112,34,abc,35&zoom=12", "bbox", "4 个数"),
            ("bbox=34,112,35,113&zoom=12", "bbox", "超出经纬度范围"),
            ("bbox=113,34,112,35&zoom=12", "bbox", "不能大于"),
            ($"bbox={SmallBox}", "zoom", "缩放级别"),
            ($"bbox={SmallBox}&zoom=21", "zoom", "0 到 20"),
            ($"bbox={SmallBox}&zoom=-1", "zoom", "0 到 20"),
            ($"bbox={SmallBox}&zoom=9.5", "zoom", "0 到 20"),
            ($"bbox={SmallBox}&zoom=12&township=431281101", "township", "不在您的管辖范围内"),
            ($"bbox={SmallBox}&zoom=12&township=410325", "township", "乡镇代码无效"),
            ($"bbox={SmallBox}&zoom=12&mineral=金刚石", "mineral", "未知的矿种"),
            ($"bbox={SmallBox}&zoom=12&origin=外星", "origin", "未知的矿硐来源"),
            ($"bbox={SmallBox}&zoom=12&state=half", "state", "未知的封堵状态"),
            ($"bbox={SmallBox}&zoom=12&responsible=sx-resp", "responsible", "用户编号"),
            ($"bbox={SmallBox}&zoom=12&crs=bd09", "crs", "wgs84 或 gcj02"),
        };
        foreach (var (query, field, words) in cases)
        {
            var response = await client.GetAsync("/api/map/adits?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToList();
            Assert.True(messages.Exists(m => m.Contains(words, StringComparison.Ordinal)), $"{query}: {string.Join("; ", messages)}");
        }
        var mines = await client.GetAsync("/api/map/mines?bbox=1,2,3");
        Assert.Equal(HttpStatusCode.BadRequest, mines.StatusCode);
        Assert.True((await mines.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("bbox", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Mines_in_the_box_show_expired_and_closing_licences(string provider)
    {
        var app = await TestApp.Shared(provider);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (expired, closing, far) = await app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            // The test clock reads 2026-11-02 in Beijing: a licence that ran to 11-01 has expired, one to 11-02 has not.
            var expired = Mine(db, $"C4103-{suffix}-1", "测试金矿（过期）", new DateOnly(2026, 11, 1), MineStatus.Producing, 111.9201, 34.0521, now);
            var closing = Mine(db, $"C4103-{suffix}-2", "测试萤石矿（关闭）", new DateOnly(2027, 11, 2), MineStatus.Closing, 111.9251, 34.0561, now);
            var far = Mine(db, $"C4103-{suffix}-3", "测试远处矿", new DateOnly(2026, 11, 2), MineStatus.Producing, 112.1901, 34.1901, now);
            await db.SaveChangesAsync();
            return (expired, closing, far);
        });
        var box = Box(111.918, 34.050, 111.930, 34.060);
        var client = await app.LoginAsync("sx-office");
        var mines = await client.GetFromJsonAsync<JsonElement>($"/api/map/mines?bbox={box}");
        var byId = Features(mines).ToDictionary(f => f.GetProperty("properties").GetProperty("id").GetGuid());
        Assert.DoesNotContain(far.Id, byId.Keys);
        var e = byId[expired.Id].GetProperty("properties");
        Assert.True(e.GetProperty("expired").GetBoolean());
        Assert.False(e.GetProperty("closing").GetBoolean());
        Assert.Equal("生产", e.GetProperty("status").GetString());
        Assert.Equal("测试金矿（过期）", e.GetProperty("name").GetString());
        Assert.Equal($"C4103-{suffix}-1", e.GetProperty("licenceNumber").GetString());
        Assert.Equal("测试矿业有限公司", e.GetProperty("rightsHolder").GetString());
        var c = byId[closing.Id].GetProperty("properties");
        Assert.False(c.GetProperty("expired").GetBoolean());
        Assert.True(c.GetProperty("closing").GetBoolean());
        Assert.Equal("关闭退出", c.GetProperty("status").GetString());
        Assert.Equal("Polygon", byId[expired.Id].GetProperty("geometry").GetProperty("type").GetString());

        var hongjiang = await app.LoginAsync("hj-office");
        var foreign = await hongjiang.GetFromJsonAsync<JsonElement>($"/api/map/mines?bbox={box}");
        Assert.DoesNotContain(Features(foreign), f => f.GetProperty("properties").GetProperty("id").GetGuid() == expired.Id);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Township_names_sit_among_their_adits_within_the_callers_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (lon, lat) = Spots.Songxian();
        await app.WithDbAsync(async db =>
        {
            Register(db, lon, lat, app.Clock.GetUtcNow().UtcDateTime, township: Chengguan);
            return await db.SaveChangesAsync();
        });
        var (hjLon, hjLat) = Spots.Hongjiang();
        await app.WithDbAsync(async db =>
        {
            var adit = Adit.Register($"MAP-{Guid.NewGuid():N}"[..24], new Adit.Place("431281", "431281101", null, null), hjLon, hjLat,
                new Adit.Details(null, null, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), app.Clock.GetUtcNow().UtcDateTime);
            db.Add(adit);
            return await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/map/townships")).StatusCode);

        var office = await app.LoginAsync("sx-office");
        var labels = (await office.GetFromJsonAsync<JsonElement>("/api/map/townships")).EnumerateArray().ToList();
        var chengguan = Assert.Single(labels, l => l.GetProperty("code").GetString() == Chengguan);
        Assert.Equal("城关镇", chengguan.GetProperty("name").GetString());
        Assert.True(chengguan.GetProperty("adits").GetInt32() >= 1);
        var (x, y) = (chengguan.GetProperty("lon").GetDouble(), chengguan.GetProperty("lat").GetDouble());
        Assert.True(x is > 111.4 and < 112.6 && y is > 33.5 && y < 34.6, $"城关镇 label at {x},{y}, outside 嵩县");
        // Only the caller's jurisdiction: no 洪江市 township, though one has an adit now.
        Assert.All(labels, l => Assert.StartsWith(Songxian, l.GetProperty("code").GetString(), StringComparison.Ordinal));
        var hongjiang = (await (await app.LoginAsync("hj-office")).GetFromJsonAsync<JsonElement>("/api/map/townships")).EnumerateArray().ToList();
        Assert.Contains(hongjiang, l => l.GetProperty("code").GetString() == "431281101");
        Assert.DoesNotContain(hongjiang, l => l.GetProperty("code").GetString()!.StartsWith(Songxian, StringComparison.Ordinal));

        // In GCJ-02 for GCJ-02 tiles: the same label, shifted a few hundred metres.
        var shifted = (await office.GetFromJsonAsync<JsonElement>("/api/map/townships?crs=gcj02")).EnumerateArray()
            .Single(l => l.GetProperty("code").GetString() == Chengguan);
        var metres = WebMercator.DistanceMetres(x, y, shifted.GetProperty("lon").GetDouble(), shifted.GetProperty("lat").GetDouble());
        Assert.True(metres is > 100 and < 1000, $"GCJ-02 shift of {metres} m");

        var bad = await office.GetAsync("/api/map/townships?crs=bd09");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("坐标系", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("crs")[0].GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertTotal(HttpClient client, string query, int expected)
    {
        var map = await client.GetFromJsonAsync<JsonElement>("/api/map/adits?" + query);
        Assert.True(expected == map.GetProperty("total").GetInt32(), $"{query}: expected {expected}, got {map.GetProperty("total").GetInt32()}");
        var sum = map.GetProperty("mode").GetString() == "clusters"
            ? Features(map).Sum(f => f.GetProperty("properties").GetProperty("count").GetInt32())
            : Features(map).Count();
        Assert.Equal(expected, sum);
    }

    private static Adit Register(
        AppDbContext db, double lon, double lat, DateTime now, Mineral mineral = Mineral.Gold,
        AditOrigin origin = AditOrigin.TheftPoint, string township = TaocunForestFarm, Guid? responsible = null)
    {
        var adit = Adit.Register($"MAP-{Guid.NewGuid():N}"[..24], new Adit.Place(Songxian, township, null, null), lon, lat,
            new Adit.Details(null, null, mineral, origin, null, null, responsible, null), now);
        db.Add(adit);
        return adit;
    }

    private static Adit.SealWork Work(SealMethod method, Guid by) =>
        new(new DateOnly(2026, 10, 1), method, null, "封堵队", by, null);

    private static LicensedMine Mine(
        AppDbContext db, string licence, string name, DateOnly validTo, MineStatus status, double lon, double lat, DateTime now)
    {
        var (x0, y0, x1, y1) = (lon, lat, lon + 0.004, lat + 0.003);
        var outline = string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"Polygon","coordinates":[[[{{x0}},{{y0}}],[{{x1}},{{y0}}],[{{x1}},{{y1}}],[{{x0}},{{y1}}],[{{x0}},{{y0}}]]]}""");
        var mine = LicensedMine.Register(
            new LicensedMine.Licence(name, "测试矿业有限公司", licence, Mineral.Gold, new DateOnly(2016, 11, 1), validTo, status),
            Songxian, Songxian, outline, (x0, y0, x1, y1), now);
        db.Add(mine);
        return mine;
    }

    private static IEnumerable<JsonElement> Features(JsonElement collection) =>
        collection.GetProperty("features").EnumerateArray();

    private static string? MapState(JsonElement feature) => feature.GetProperty("properties").GetProperty("mapState").GetString();

    private static string Box(double minLon, double minLat, double maxLon, double maxLat) =>
        string.Create(CultureInfo.InvariantCulture, $"{minLon},{minLat},{maxLon},{maxLat}");
}
