using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Imports;

/// <summary>
/// 台账导出: the adit list, filtered as the list page filters it (<see cref="AditFilter"/>), to .xlsx with Chinese
/// headers, and the blank import template. The export holds only the user's jurisdiction (the query starts from the
/// scoped adits) and is written to the audit trail, since a ledger of positions leaves the system with it.
/// </summary>
public sealed class AditExport : IFeature
{
    public static readonly IReadOnlyList<XlsxWriter.Column> Columns =
    [
        new("编号", 16), new("名称", 16), new("乡镇", 12), new("村", 12), new("网格", 16), new("经度", 12), new("纬度", 12),
        new("高程（米）", 10), new("矿种", 8), new("来源", 12), new("矿业权人", 20), new("封堵责任主体", 22), new("包保责任人", 18),
        new("封堵状态", 10), new("封堵方式", 12), new("最近封堵日期", 13), new("被破坏次数", 10), new("备注", 30), new("台账状态", 10),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/adits").RequireAuthorization(Policies.Staff).WithTags("adits");
        api.MapExport("/export.xlsx", Export, "导出矿硐台账");
        api.MapGet("/template.xlsx", () => LedgerFiles.Template(LedgerKind.Find("adits")!)).WithSummary("下载矿硐台账导入模板");
    }

    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(
        [AsParameters] AditFilter filter, string? format, HttpContext http, CancellationToken ct)
    {
        var errors = filter.Check();
        if (!errors.Ok) return errors.ToProblem();
        return await MineGuard.Platform.Excel.Export.SendAsync(http, format, Plan(filter), ct);
    }

    /// <summary>The export of the adits the filter selects (checked first), as the endpoint and the benchmark run it.</summary>
    public static ExportPlan Plan(AditFilter filter) => new("矿硐台账", Columns, nameof(Adit), count => $"导出矿硐台账 {count} 条（{filter.Describe()}）",
        (services, ct) => filter.Apply(services.GetRequiredService<AppDbContext>().Adits()).CountAsync(ct),
        (services, ct) => RowsAsync(services.GetRequiredService<AppDbContext>(), filter, ct));

    /// <summary>The rows as the office reads them: names for codes, Chinese for values, the derived sealing party.</summary>
    private static async IAsyncEnumerable<object?[]> RowsAsync(AppDbContext db, AditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        var adits = filter.Apply(db.Adits().AsNoTracking());
        var names = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope).Where(d => d.Level >= DivisionLevel.Township)
            .ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var responsibleIds = await adits.Where(a => a.ResponsibleUserId != null).Select(a => a.ResponsibleUserId!.Value).Distinct().ToListAsync(ct);
        var people = await db.Users.AsNoTracking().Where(u => responsibleIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        await foreach (var a in adits.OrderBy(a => a.Number).AsAsyncEnumerable().WithCancellation(ct))
        {
            var township = names.GetValueOrDefault(a.TownshipCode, a.TownshipCode);
            yield return
            [
                a.Number, a.Name, township, Name(names, a.VillageCode), Name(names, a.GridCode), a.Lon, a.Lat, a.Elevation,
                AditNames.Minerals[a.Mineral], AditNames.Origins[a.Origin], a.RightsHolder, a.SealingParty(township),
                a.ResponsibleUserId is { } r ? people.GetValueOrDefault(r) : null, AditNames.States[a.State],
                a.CurrentSealMethod is { } m ? AditNames.Methods[m] : null, a.LastSealedOn, a.BreachCount, a.Description,
                AditNames.Statuses[a.Status],
            ];
        }
    }

    private static string? Name(Dictionary<string, string> names, string? code) => code is null ? null : names.GetValueOrDefault(code, code);
}
