using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Features.Mines;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using NetTopologySuite.Geometries;

namespace MineGuard.Features.Imports;

/// <summary>
/// 矿山台账导出: the mine list, filtered as the list filters it (<see cref="MineCommands.FilterAsync"/>), to .xlsx with
/// the import's headers, so an exported file imports back; and the blank import template. The boundary is written as
/// its corner list ("lon,lat" per line, WGS84). Only the user's jurisdiction is exported, and the export is audited.
/// </summary>
public sealed class MineExport : IFeature
{
    public static readonly IReadOnlyList<XlsxWriter.Column> Columns =
    [
        new("矿山名称", 24), new("矿业权人", 24), new("许可证号", 24), new("矿种", 8), new("乡镇", 12), new("拐点坐标", 28),
        new("坐标系", 10), new("有效期起", 12), new("有效期止", 12), new("生产状态", 10), new("是否过期", 10),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/mines").RequireAuthorization(Policies.Staff).WithTags("mines");
        api.MapExport("/export.xlsx", Export, "导出矿业权台账");
        api.MapGet("/template.xlsx", () => LedgerFiles.Template(LedgerKind.Find("mines")!)).WithSummary("下载矿业权台账导入模板");
    }

    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(
        [AsParameters] MineListQuery filter, string? format, MineCommands mines, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        await mines.FilterAsync(filter, errors, ct);
        if (!errors.Ok) return errors.ToProblem();
        return await MineGuard.Platform.Excel.Export.SendAsync(http, format, new ExportPlan("矿山台账", Columns, nameof(LicensedMine),
            count => $"导出矿山台账 {count} 条（{Describe(filter)}）",
            async (services, token) => await (await services.GetRequiredService<MineCommands>().FilterAsync(filter, new FieldErrors(), token)).CountAsync(token),
            (services, token) => RowsAsync(services, filter, token)), ct);
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(IServiceProvider services, MineListQuery filter, [EnumeratorCancellation] CancellationToken ct)
    {
        var (db, commands) = (services.GetRequiredService<AppDbContext>(), services.GetRequiredService<MineCommands>());
        var (mines, today) = (await commands.FilterAsync(filter, new FieldErrors(), ct), commands.Today);
        var names = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope).Where(d => d.Level == DivisionLevel.Township)
            .ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        await foreach (var m in mines.OrderBy(m => m.LicenceNumber).AsAsyncEnumerable().WithCancellation(ct))
        {
            // A mine filed under the county itself has no township; a blank cell imports back the same way.
            var township = m.DivisionCode == m.CountyCode ? null : names.GetValueOrDefault(m.DivisionCode, m.DivisionCode);
            yield return
            [
                m.Name, m.RightsHolder, m.LicenceNumber, AditNames.Minerals[m.Mineral], township, Corners(m.BoundaryGeoJson), "WGS84",
                m.ValidFrom, m.ValidTo, MineNames.Statuses[m.Status], m.IsExpired(today) ? "是" : "否",
            ];
        }
    }

    /// <summary>
    /// The boundary as the import reads it: one "lon,lat" per line, a blank line between parcels. A parcel with a hole
    /// cannot be written as corners, so such a boundary stays GeoJSON (which the import reads as well). A stored boundary
    /// that cannot be read (every write path checks it, but a row may come from elsewhere) goes out as it is stored: one
    /// such mine must not cost the office its whole export, and the import names it on its row.
    /// </summary>
    public static string Corners(string geoJson)
    {
        Geometry geometry;
        try
        {
            geometry = GeoJson.ReadFirstGeometry(geoJson);
        }
        catch (FormatException)
        {
            return geoJson;
        }
        var polygons = Enumerable.Range(0, geometry.NumGeometries).Select(geometry.GetGeometryN).OfType<Polygon>().ToList();
        if (polygons.Count != geometry.NumGeometries || polygons.Any(p => p.NumInteriorRings > 0)) return geoJson;
        var text = new StringBuilder();
        foreach (var polygon in polygons)
        {
            if (text.Length > 0) text.Append('\n');
            var ring = polygon.ExteriorRing.Coordinates;
            for (var i = 0; i < ring.Length - 1; i++)
                text.Append(CultureInfo.InvariantCulture, $"{ring[i].X:0.########},{ring[i].Y:0.########}\n");
        }
        return text.ToString().TrimEnd('\n');
    }

    private static string Describe(MineListQuery f)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(f.Township)) parts.Add($"乡镇 {f.Township.Trim()}");
        if (!string.IsNullOrWhiteSpace(f.Mineral)) parts.Add($"矿种 {f.Mineral.Trim()}");
        if (!string.IsNullOrWhiteSpace(f.Status)) parts.Add($"状态 {f.Status.Trim()}");
        if (!string.IsNullOrWhiteSpace(f.Expired)) parts.Add($"过期 {f.Expired.Trim()}");
        if (!string.IsNullOrWhiteSpace(f.Q)) parts.Add($"含“{f.Q.Trim()}”");
        return parts.Count == 0 ? "全部" : string.Join("，", parts);
    }
}
