using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Divisions;

public sealed class DivisionsApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Me_describes_the_user_and_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/me")).StatusCode);

        var client = await app.LoginAsync("sx-office");
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("sx-office", me.GetProperty("userName").GetString());
        Assert.Equal("410325", me.GetProperty("scope").GetProperty("code").GetString());
        Assert.Equal("嵩县", me.GetProperty("scope").GetProperty("name").GetString());
        Assert.Equal("410325000000", me.GetProperty("scope").GetProperty("statisticalCode").GetString());
        Assert.Equal(["office"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(me.GetProperty("isDemo").GetBoolean());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Children_of_the_own_county_are_its_townships(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = await app.LoginAsync("sx-office");
        var children = await client.GetFromJsonAsync<JsonElement[]>("/api/divisions/410325/children");
        Assert.Equal(19, children!.Length);
        Assert.Contains(children, c => c.GetProperty("name").GetString() == "陶村林场" && c.GetProperty("statisticalCode").GetString() == "410325400000");

        // The 12-digit form of the code is accepted too.
        var grids = await client.GetFromJsonAsync<JsonElement[]>("/api/divisions/410325400000/children");
        // The demo's three grids (other tests of the shared app may add their own).
        Assert.Equal(3, grids!.Count(g => g.GetProperty("level").GetString() == "网格" && g.GetProperty("name").GetString()!.StartsWith("陶村林场第")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Another_county_is_not_found_not_shown(string provider)
    {
        var app = await TestApp.Shared(provider);
        var songxian = await app.LoginAsync("sx-office");
        foreach (var url in new[] { "/api/divisions/431281", "/api/divisions/431281/children", "/api/divisions/431281/boundary", "/api/divisions/4103", "/api/divisions/41" })
        {
            var response = await songxian.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("洪江", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // A township patrol member does not see the neighbouring township either.
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.OK, (await patrol.GetAsync("/api/divisions/410325400")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patrol.GetAsync("/api/divisions/410325100")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patrol.GetAsync("/api/divisions/410325")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task City_leader_sees_the_county_below(string provider)
    {
        var app = await TestApp.Shared(provider);
        var leader = await app.LoginAsync("ly-leader");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/api/divisions/410325")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync("/api/divisions/431281")).StatusCode);
        var boundary = await leader.GetFromJsonAsync<JsonElement>("/api/divisions/4103/boundary");
        Assert.Equal("own", boundary.GetProperty("source").GetString());
        Assert.Contains(boundary.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Boundary_is_WGS84_by_default_and_GCJ02_on_request(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = await app.LoginAsync("sx-office");
        var wgs = await client.GetFromJsonAsync<JsonElement>("/api/divisions/410325/boundary");
        var gcj = await client.GetFromJsonAsync<JsonElement>("/api/divisions/410325/boundary?crs=gcj02");
        Assert.Equal("MultiPolygon", wgs.GetProperty("geometry").GetProperty("type").GetString());
        var w = First(wgs);
        var g = First(gcj);
        // The shipped file is GCJ-02; the stored outline is shifted back by a few hundred metres (≈0.002–0.007°).
        Assert.InRange(g.Lon - w.Lon, 0.001, 0.01);
        Assert.InRange(Math.Abs(g.Lat - w.Lat), 0.0, 0.01);

        var township = await client.GetFromJsonAsync<JsonElement>("/api/divisions/410325400/boundary");
        Assert.Equal("ancestor", township.GetProperty("source").GetString());

        var bad = await client.GetAsync("/api/divisions/410325/boundary?crs=bd09");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("wgs84", problem.GetProperty("errors").GetProperty("crs")[0].GetString(), StringComparison.Ordinal);
    }

    private static (double Lon, double Lat) First(JsonElement boundary)
    {
        var p = boundary.GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        return (p[0].GetDouble(), p[1].GetDouble());
    }
}
