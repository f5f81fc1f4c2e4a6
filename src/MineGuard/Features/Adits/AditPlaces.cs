using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Adits;

/// <summary>
/// What validating an adit needs to know about one county, loaded once: its outline, its townships, villages and
/// grids (by code and by the names offices write), and the people who can be responsible. Used for one adit from the
/// form and for a hundred thousand rows of an imported ledger alike.
/// </summary>
public sealed class AditPlaces
{
    private AditPlaces(CountyDivisions divisions, IPreparedGeometry? outline)
    {
        Divisions = divisions;
        Outline = outline;
    }

    public Division County => Divisions.County;

    /// <summary>The county's townships, villages (the shipped ones loaded on first need) and grids, by code and name.</summary>
    public CountyDivisions Divisions { get; }

    /// <summary>The county's 责任人 records and users, who may answer for an adit.</summary>
    public CountyPeople People { get; private set; } = null!;

    /// <summary>The county outline (WGS84), or null where the product has none (the check is then skipped).</summary>
    public IPreparedGeometry? Outline { get; }

    public static async Task<AditPlaces> LoadAsync(AppDbContext db, Division county, CancellationToken ct)
    {
        var outline = county.BoundaryGeoJson is { } json ? PreparedGeometryFactory.Prepare(GeoJson.ReadFirstGeometry(json)) : null;
        var places = new AditPlaces(await CountyDivisions.LoadAsync(db, county, ct), outline);
        places.People = await CountyPeople.LoadAsync(db, county.Code, ct);
        return places;
    }

    /// <summary>The responsible person named by the form (<see cref="CountyPeople.Responsible"/>).</summary>
    public (Guid? PersonId, Guid? UserId)? Responsible(string text) => People.Responsible(text);

    public bool Contains(double lon, double lat) =>
        Outline is null || Outline.Covers(GeoJson.Factory.CreatePoint(new Coordinate(lon, lat)));

    public Division? Find(string codeOrName, DivisionLevel level, string? parentCode) => Divisions.Find(codeOrName, level, parentCode);

    public Division? Grid(string codeOrName, string parentCode) =>
        Find(codeOrName, DivisionLevel.Grid, parentCode);

    public Guid? User(string nameOrLogin) => People.User(nameOrLogin);

    public string NameOf(string code) => Divisions.NameOf(code);
}
