using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Divisions;

public sealed record MeView(
    string UserName, string DisplayName, string[] Roles, DivisionView Scope, string Department, bool IsDemo);

public sealed record BoundaryView(string Code, string Name, string Source, System.Text.Json.JsonElement? Geometry);

/// <summary>The jurisdiction tree as the user may see it: their node and what lies below, never a neighbour's.</summary>
public sealed class DivisionsApi : IFeature
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Staff).WithTags("divisions");
        api.MapGet("/me", Me).WithSummary("当前用户与管辖范围");
        api.MapGet("/divisions/{code}", Get).WithSummary("行政区划详情");
        api.MapGet("/divisions/{code}/children", Children).WithSummary("下级行政区划");
        api.MapGet("/divisions/{code}/boundary", Boundary).WithSummary("行政区划边界（GeoJSON）");
        api.MapGet("/divisions/{code}/people", People).WithSummary("本级及下级的责任人与分管领导");
        api.MapPut("/divisions/{code}/people", NamePeople).RequireAuthorization(Policies.Office).WithSummary("指定区划的责任人与分管领导");
    }

    public static async Task<Results<Ok<MeView>, NotFound>> Me(CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        var scope = await db.Divisions.FirstOrDefaultAsync(d => d.Code == me.Scope.Code, ct);
        if (scope is null) return TypedResults.NotFound();
        var roles = Roles.All.Select(r => r.Name).Where(me.IsInRole).ToArray();
        return TypedResults.Ok(new MeView(me.Name, me.DisplayName, roles, DivisionView.Of(scope),
            Department.NameOf(me.DepartmentCode ?? "") ?? "", me.IsDemo));
    }

    public static async Task<Results<Ok<DivisionView>, NotFound>> Get(string code, CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        var division = await Find(code, me, db, ct);
        return division is null ? TypedResults.NotFound() : TypedResults.Ok(DivisionView.Of(division));
    }

    public static async Task<Results<Ok<List<DivisionView>>, NotFound>> Children(string code, CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        var division = await Find(code, me, db, ct);
        if (division is null) return TypedResults.NotFound();
        await Villages.EnsureForAsync(db, division.Code, ct); // the county's shipped villages, on first need
        var children = await db.Divisions.Where(d => d.ParentCode == division.Code).OrderBy(d => d.Code).ToListAsync(ct);
        return TypedResults.Ok(children.Select(DivisionView.Of).ToList());
    }

    /// <summary>
    /// The node's boundary (WGS84 GeoJSON). A node the product has no outline for (a township, a grid) gets the
    /// nearest ancestor's outline, marked as such: the outline of the county is not sensitive, and a map with a
    /// frame beats an empty one.
    /// </summary>
    public static async Task<Results<Ok<BoundaryView>, NotFound, ValidationProblem>> Boundary(
        string code, string? crs, CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        if (crs is not (null or "wgs84" or "gcj02"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["crs"] = ["坐标系只能是 wgs84 或 gcj02"] });
        var division = await Find(code, me, db, ct);
        if (division is null) return TypedResults.NotFound();
        var current = division;
        var source = "own";
        while (current.BoundaryGeoJson is null && current.ParentCode is not null)
        {
            current = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == current.ParentCode, ct);
            source = "ancestor";
        }
        if (current.BoundaryGeoJson is null)
        {
            // A province: draw the children that have outlines.
            var parts = await db.Divisions.Within(JurisdictionScope.Of(division.Code))
                .Where(d => d.Level == DivisionLevel.City && d.BoundaryGeoJson != null)
                .Select(d => d.BoundaryGeoJson!).ToListAsync(ct);
            if (parts.Count == 0) return TypedResults.Ok(new BoundaryView(division.Code, division.Name, "none", null));
            var collection = $$"""{"type":"GeometryCollection","geometries":[{{string.Join(',', parts)}}]}""";
            return TypedResults.Ok(new BoundaryView(division.Code, division.Name, "children", Parse(collection, crs)));
        }
        return TypedResults.Ok(new BoundaryView(division.Code, division.Name, source, Parse(current.BoundaryGeoJson, crs)));
    }

    /// <summary>The division's own people first, then each child's: where nobody is named shows at a glance.</summary>
    public static async Task<Results<Ok<List<DivisionPeopleView>>, NotFound>> People(string code, CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        var division = await Find(code, me, db, ct);
        if (division is null) return TypedResults.NotFound();
        await Villages.EnsureForAsync(db, division.Code, ct);
        var children = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == division.Code).OrderBy(d => d.Code).Take(2000).ToListAsync(ct);
        return TypedResults.Ok(await DivisionPeople.ViewsAsync(db, [division, .. children], ct));
    }

    public static async Task<Results<Ok<DivisionPeopleView>, NotFound, ValidationProblem>> NamePeople(
        string code, DivisionPeopleInput input, AppDbContext db, CancellationToken ct)
    {
        var (division, errors) = await DivisionPeople.NameAsync(db, code, input, ct);
        if (division is null) return TypedResults.NotFound();
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await DivisionPeople.ViewsAsync(db, [division], ct))[0]);
    }

    private static System.Text.Json.JsonElement Parse(string json, string? crs)
    {
        if (crs == "gcj02") json = GeoJson.Write(Gcj02.GeometryToGcj02(GeoJson.ReadFirstGeometry(json)));
        return System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Load → not found → scope check, in that order; outside the scope is indistinguishable from absent.</summary>
    private static async Task<Division?> Find(string code, CurrentUser me, AppDbContext db, CancellationToken ct)
    {
        var normalized = Division.NormalizeCode(code);
        var division = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == normalized, ct);
        return division is not null && me.Scope.Contains(division.Code) ? division : null;
    }
}
