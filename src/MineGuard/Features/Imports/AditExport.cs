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
/// 台账导出: the adit list, filtered as the list page filters it, to .xlsx with Chinese headers, and the blank import
/// template. The export holds only the user's jurisdiction (the query starts from the scoped adits) and is written
/// to the audit trail, since a ledger of positions leaves the system with it. The file is built on disk and then
/// sent, so a county's whole registry costs no more memory than one page of it.
/// </summary>
public sealed class AditExport : IFeature
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly IReadOnlyList<XlsxWriter.Column> Columns =
    [
        new("编号", 16), new("名称", 16), new("乡镇", 12), new("村", 12), new("网格", 16), new("经度", 12), new("纬度", 12),
        new("高程（米）", 10), new("矿种", 8), new("来源", 12), new("矿业权人", 20), new("封堵责任主体", 22), new("包保责任人", 18),
        new("封堵状态", 10), new("封堵方式", 12), new("最近封堵日期", 13), new("被破坏次数", 10), new("备注", 30), new("台账状态", 10),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/adits").RequireAuthorization(Policies.Staff).WithTags("adits");
        api.MapGet("/export.xlsx", Export);
        api.MapGet("/template.xlsx", Template);
    }

    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Export(
        [AsParameters] AditFilter filter, AppDbContext db, CancellationToken ct)
    {
        var errors = filter.Validate();
        if (!errors.Ok) return AdminApi.Problem(errors);
        var scope = db.CurrentUser.Scope;
        var adits = filter.Apply(db.Adits().AsNoTracking());
        var names = await db.Divisions.AsNoTracking().Within(scope).Where(d => d.Level >= DivisionLevel.Township)
            .ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var responsibleIds = await adits.Where(a => a.ResponsibleUserId != null).Select(a => a.ResponsibleUserId!.Value).Distinct().ToListAsync(ct);
        var people = await db.Users.AsNoTracking().Where(u => responsibleIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        var file = TempFile();
        int count;
        using (var sheet = XlsxWriter.Create(file, "矿硐台账", Columns))
        {
            await foreach (var a in adits.OrderBy(a => a.Number).AsAsyncEnumerable().WithCancellation(ct))
            {
                var township = names.GetValueOrDefault(a.TownshipCode, a.TownshipCode);
                sheet.WriteRow(
                [
                    a.Number, a.Name, township, Name(names, a.VillageCode), Name(names, a.GridCode), a.Lon, a.Lat, a.Elevation,
                    AditNames.Minerals[a.Mineral], AditNames.Origins[a.Origin], a.RightsHolder, a.SealingParty(township),
                    a.ResponsibleUserId is { } r ? people.GetValueOrDefault(r) : null, AditNames.States[a.State],
                    a.CurrentSealMethod is { } m ? AditNames.Methods[m] : null, a.LastSealedOn, a.BreachCount, a.Description,
                    AditNames.Statuses[a.Status],
                ]);
            }
            count = sheet.RowsWritten - 1;
        }
        db.AuditEvent("export", nameof(Adit), "*", $"导出矿硐台账 {count} 条（{filter.Describe()}）");
        await db.SaveChangesAsync(ct);
        file.Position = 0;
        var day = ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.File(file, ContentType, $"矿硐台账-{day}.xlsx");
    }

    /// <summary>The import template: the canonical headers and one example row marked 示例, which the import skips.</summary>
    public static FileStreamHttpResult Template()
    {
        var file = TempFile();
        using (var sheet = XlsxWriter.Create(file, "矿硐台账", [.. AditLedger.AditFields.Select(f => new XlsxWriter.Column(f.Required ? f.Header + "*" : f.Header, Width(f.Key)))]))
        {
            sheet.WriteRow(
            [
                "示例", "后沟1号硐", "城关镇", null, null, 112.0523, 34.1342, "WGS84", 820, "金", "盗采点", null, null, "sx-resp",
                "已封堵", "混凝土浇筑", new DateOnly(2024, 9, 26), "示例行：导入时自动跳过，可删除。带 * 的列必填；矿种、来源、封堵状态、封堵方式按系统名称填写",
            ], example: true);
        }
        file.Position = 0;
        return TypedResults.File(file, ContentType, "矿硐台账导入模板.xlsx");
    }

    private static double Width(string key) => key switch
    {
        nameof(AditInput.Description) => 40,
        nameof(AditInput.RightsHolder) or nameof(AditInput.ClosureParty) => 20,
        nameof(AditInput.Number) or nameof(AditInput.Name) or nameof(AditInput.Grid) or nameof(AditInput.Responsible) => 16,
        _ => 12,
    };

    private static string? Name(Dictionary<string, string> names, string? code) => code is null ? null : names.GetValueOrDefault(code, code);

    /// <summary>A file on disk that goes away when the response has been sent and the stream closed.</summary>
    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"mineguard-{Guid.NewGuid():N}.xlsx"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
}
