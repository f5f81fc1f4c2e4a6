using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Imports;

/// <summary>
/// 重点人员台账导出: the key person list, filtered as the list filters it (<see cref="KeyPersonQueries.Filter"/>), to
/// .xlsx with Chinese headers, and the blank import template. For the office and the police only; the ID number is
/// masked (the full number is only ever shown one person at a time, audited); the export itself is audited.
/// </summary>
public sealed class KeyPersonExport : IFeature
{
    public static readonly IReadOnlyList<XlsxWriter.Column> Columns =
    [
        new("姓名", 12), new("身份证号", 22), new("联系电话", 16), new("乡镇", 12), new("村", 12), new("住址", 30),
        new("从业经历", 30), new("前科", 30), new("管控等级", 10), new("常用车辆", 20), new("最近走访日期", 13),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/key-persons").RequireAuthorization(Policies.KeyPersons).WithTags("key-persons");
        api.MapExport("/export.xlsx", Export, "导出重点人员台账");
        api.MapGet("/template.xlsx", () => LedgerFiles.Template(LedgerKind.Find("key-persons")!)).WithSummary("下载重点人员台账导入模板");
    }

    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(
        [AsParameters] KeyPersonQuery query, string? format, KeyPersonQueries queries, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (queries.Filter(query, errors) is null) return errors.ToProblem();
        return await MineGuard.Platform.Excel.Export.SendAsync(http, format, new ExportPlan("重点人员台账", Columns, nameof(KeyPerson),
            count => $"导出重点人员台账 {count} 人（身份证号已遮蔽；{Describe(query)}）",
            (services, token) => Persons(services, query).CountAsync(token),
            (services, token) => RowsAsync(services.GetRequiredService<AppDbContext>(), Persons(services, query), token)), ct);
    }

    private static IQueryable<KeyPerson> Persons(IServiceProvider services, KeyPersonQuery query) =>
        services.GetRequiredService<KeyPersonQueries>().Filter(query, new FieldErrors())!;

    /// <summary>The filters in words, for the audit trail.</summary>
    private static string Describe(KeyPersonQuery q)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(q.DivisionCode)) parts.Add($"户籍地 {q.DivisionCode.Trim()}");
        if (!string.IsNullOrWhiteSpace(q.ControlLevel)) parts.Add($"管控等级 {q.ControlLevel.Trim()}");
        if (!string.IsNullOrWhiteSpace(q.Name)) parts.Add($"姓名包含“{q.Name.Trim()}”");
        return parts.Count == 0 ? "全部" : string.Join("，", parts);
    }

    /// <summary>The rows as the ledger's columns: 乡镇 and 村 apart, the level in Chinese, the ID number masked.</summary>
    private static async IAsyncEnumerable<object?[]> RowsAsync(AppDbContext db, IQueryable<KeyPerson> persons, [EnumeratorCancellation] CancellationToken ct)
    {
        var places = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope)
            .Where(d => d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Village)
            .Select(d => new { d.Code, d.Name, d.Level, d.ParentCode }).ToDictionaryAsync(d => d.Code, ct);
        var rows = persons.Select(p => new
        {
            p.Name, p.IdNumberLast4, p.Phone, p.DivisionCode, p.Address, p.History, p.PriorCases, p.ControlLevel, p.Plates,
            LastVisitOn = db.Set<HomeVisit>().Where(v => v.KeyPersonId == p.Id).Max(v => (DateOnly?)v.VisitedOn),
        });
        await foreach (var p in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            string? township = null, village = null;
            if (places.TryGetValue(p.DivisionCode, out var place))
            {
                if (place.Level == DivisionLevel.Village)
                {
                    village = place.Name;
                    township = place.ParentCode is { } parent && places.TryGetValue(parent, out var t) ? t.Name : null;
                }
                else township = place.Name;
            }
            else township = p.DivisionCode;
            yield return
            [
                p.Name, KeyPersonQueries.Mask(p.IdNumberLast4), p.Phone, township, village, p.Address, p.History, p.PriorCases,
                KeyPersonNames.Levels[p.ControlLevel], p.Plates, p.LastVisitOn,
            ];
        }
    }
}
