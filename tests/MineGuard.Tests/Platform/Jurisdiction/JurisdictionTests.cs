using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Demo;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace MineGuard.Tests.Platform.Jurisdiction;

public sealed class JurisdictionTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_four_levels_of_division_codes_are_loaded_with_boundaries(string provider)
    {
        var app = await TestApp.Shared(provider);
        var counts = await app.WithDbAsync(db => db.Divisions.Where(d => !d.IsDemo).GroupBy(d => d.Level)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        Assert.Equal(31, counts[DivisionLevel.Province]);
        Assert.Equal(342, counts[DivisionLevel.City]);
        Assert.Equal(2978, counts[DivisionLevel.County]);
        Assert.Equal(41352, counts[DivisionLevel.Township]);

        var songxian = await app.WithDbAsync(db => db.Divisions.SingleAsync(d => d.Code == "410325"));
        Assert.Equal("4103", songxian.ParentCode);
        var outline = GeoJson.ReadFirstGeometry(songxian.BoundaryGeoJson!);
        var factory = outline.Factory;
        Assert.True(outline.Contains(factory.CreatePoint(new Coordinate(112.04, 34.00))));
        Assert.False(outline.Contains(factory.CreatePoint(new Coordinate(112.45, 34.62)))); // 洛阳市区
        var luoyang = await app.WithDbAsync(db => db.Divisions.SingleAsync(d => d.Code == "4103"));
        Assert.True(GeoJson.ReadFirstGeometry(luoyang.BoundaryGeoJson!).Contains(factory.CreatePoint(new Coordinate(112.45, 34.62))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Scope_query_returns_the_node_and_everything_below_only(string provider)
    {
        var app = await TestApp.Shared(provider);
        var inSongxian = await app.WithDbAsync(db => db.Divisions.Within(JurisdictionScope.Of("410325")).Select(d => d.Code).ToListAsync());
        Assert.Contains("410325", inSongxian);
        Assert.Contains("410325400", inSongxian);
        Assert.Contains("410325400G001", inSongxian);
        Assert.All(inSongxian, c => Assert.StartsWith("410325", c, StringComparison.Ordinal));
        Assert.True(inSongxian.Count >= 1 + 19 + 57);

        var inTownship = await app.WithDbAsync(db => db.Divisions.Within(JurisdictionScope.Of("410325400")).CountAsync());
        Assert.True(inTownship >= 4);
        Assert.Empty(await app.WithDbAsync(db => db.Divisions.Within(JurisdictionScope.None).ToListAsync()));
    }

    [Fact]
    public void Scope_membership_is_by_code_prefix()
    {
        var county = JurisdictionScope.Of("410325");
        Assert.True(county.Contains("410325"));
        Assert.True(county.Contains("410325400G001"));
        Assert.False(county.Contains("41032"));
        Assert.False(county.Contains("410326100"));
        Assert.False(county.Contains(null));
        Assert.True(JurisdictionScope.All.Contains("11"));
        Assert.False(JurisdictionScope.None.Contains("410325"));
    }

    [Theory]
    [InlineData("410325000000", "410325")]
    [InlineData("410325400000", "410325400")]
    [InlineData("410000000000", "41")]
    [InlineData("410300000000", "4103")]
    [InlineData("410325400201", "410325400201")]
    [InlineData(" 410325 ", "410325")]
    public void Statistical_codes_normalise_to_their_significant_part(string input, string expected) =>
        Assert.Equal(expected, Division.NormalizeCode(input));

    [Fact]
    public void Times_show_in_Beijing_time()
    {
        var utc = new DateTime(2024, 9, 26, 16, 30, 0, DateTimeKind.Utc);
        Assert.Equal("2024-09-27 00:30:00", ChinaTime.Format(utc));
        Assert.Equal(utc, ChinaTime.ToUtc(new DateTime(2024, 9, 27, 0, 30, 0)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Demo_data_has_every_role_in_both_counties_all_marked_demo(string provider)
    {
        var app = await TestApp.Shared(provider);
        var users = await app.WithDbAsync(db => (from u in db.Users
                                                 join ur in db.UserRoles on u.Id equals ur.UserId
                                                 join r in db.Roles on ur.RoleId equals r.Id
                                                 where u.IsDemo
                                                 select new { u.DivisionCode, Role = r.Name }).ToListAsync());
        foreach (var county in new[] { "410325", "431281" })
        {
            foreach (var (role, _) in Roles.All)
                Assert.Contains(users, u => u.Role == role && u.DivisionCode.StartsWith(county, StringComparison.Ordinal));
        }
        Assert.Contains(users, u => u is { Role: Roles.Leader, DivisionCode: "4103" });
        var grids = await app.WithDbAsync(db => db.Divisions.Where(d => d.Level == DivisionLevel.Grid && d.IsDemo).CountAsync());
        // 嵩县 has 19 township-level units and 洪江市 20 in the 2023 codes; three demo grids each.
        Assert.Equal((19 + 20) * 3, grids);
        Assert.Equal(MineGuard.Platform.Hosting.DemoLoader.AllUsers.Count, users.Count);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task No_demo_start_has_no_users_and_no_default_password(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, demo: false);
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync()));
        Assert.True(await app.WithDbAsync(db => db.Divisions.AnyAsync(d => d.Code == "410325")));
        var login = await TestApp.PostLoginAsync(app.Anonymous(), "sx-admin", DemoData.Password);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode); // the form again, with an error
    }
}
