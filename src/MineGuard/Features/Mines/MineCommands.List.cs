using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Admin;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Mines;

/// <summary>
/// Filters of the mine list as they arrive in a query string, all text so a wrong value gets a Chinese message naming
/// it. Township is a division code (or a township's name); Expired is true/false; Sort is a column, "-" for descending.
/// </summary>
public sealed record MineListQuery(
    string? Township = null, string? Mineral = null, string? Status = null, string? Expired = null, string? Q = null,
    string? Page = null, string? PageSize = null, string? Sort = null);

public sealed record MineListResult(List<LicensedMine> Items, int Total, int Page, int PageSize);

public sealed partial class MineCommands
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;

    public static readonly IReadOnlyList<(string Key, string Label)> SortKeys =
    [
        ("name", "名称"), ("licenceNumber", "许可证号"), ("validTo", "有效期至"), ("status", "状态"), ("updated", "更新时间"),
    ];

    public async Task<(MineListResult? Result, FieldErrors Errors)> ListAsync(MineListQuery q, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var query = await FilterAsync(q, errors, ct);
        var page = Number(q.Page, nameof(q.Page), 1, 1, int.MaxValue, errors);
        var size = Number(q.PageSize, nameof(q.PageSize), DefaultPageSize, 1, MaxPageSize, errors);
        var sorted = Sort(query, q.Sort, errors);
        if (!errors.Ok || sorted is null) return (null, errors);

        var total = await query.CountAsync(ct);
        var items = await sorted.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return (new MineListResult(items, total, page, size), errors);
    }

    /// <summary>
    /// The user's mines with the list's filters (township, mineral, status, expired, q) applied, untracked; paging and
    /// sorting aside. Wrong filter values are added to <paramref name="errors"/>. The list and the Excel export share it.
    /// </summary>
    public async Task<IQueryable<LicensedMine>> FilterAsync(MineListQuery q, FieldErrors errors, CancellationToken ct)
    {
        var query = Mines.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Township))
        {
            var code = await DivisionFilterAsync(q.Township.Trim(), ct);
            if (code is null) errors.Add(nameof(q.Township), $"未知或不在管辖范围内的乡镇：{q.Township.Trim()}");
            else query = query.Within(JurisdictionScope.Of(code), m => m.DivisionCode);
        }

        if (!string.IsNullOrWhiteSpace(q.Mineral))
        {
            if (LicenceFields.TryParseMineral(q.Mineral, out var mineral)) query = query.Where(m => m.Mineral == mineral);
            else errors.Add(nameof(q.Mineral), $"未知的矿种“{q.Mineral.Trim()}”，应为：{LicenceFields.MineralList}");
        }

        if (!string.IsNullOrWhiteSpace(q.Status))
        {
            if (LicenceFields.TryParseStatus(q.Status, out var status)) query = query.Where(m => m.Status == status);
            else errors.Add(nameof(q.Status), $"未知的状态“{q.Status.Trim()}”，应为：{LicenceFields.StatusList}");
        }

        if (!string.IsNullOrWhiteSpace(q.Expired))
        {
            var today = Today;
            switch (q.Expired.Trim().ToLowerInvariant())
            {
                case "true" or "1" or "是": query = query.Where(m => m.ValidTo != null && m.ValidTo < today); break;
                case "false" or "0" or "否": query = query.Where(m => m.ValidTo == null || m.ValidTo >= today); break;
                default: errors.Add(nameof(q.Expired), "是否过期只能是 true 或 false"); break;
            }
        }

        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            var text = q.Q.Trim();
            query = query.Where(m => m.Name.Contains(text) || m.RightsHolder.Contains(text) || m.LicenceNumber.Contains(text));
        }

        return query;
    }

    /// <summary>Names of the divisions the mines lie in (township or county), for lists and views.</summary>
    public async Task<Dictionary<string, string>> DivisionNamesAsync(IEnumerable<LicensedMine> mines, CancellationToken ct)
    {
        var codes = mines.SelectMany(m => new[] { m.DivisionCode, m.CountyCode }).Distinct().ToList();
        return await db.DivisionNamesAsync(codes, ct);
    }

    /// <summary>Who answers for the mine, as pages show them; null when nobody is named.</summary>
    public async Task<string?> ResponsibleNameAsync(LicensedMine mine, CancellationToken ct) =>
        (await db.PersonNamesAsync([mine.ResponsiblePersonId], ct)).GetValueOrDefault(mine.ResponsiblePersonId ?? Guid.Empty);

    /// <summary>The townships a user may file a mine under or filter by: those of their county that lie in their scope.</summary>
    public async Task<List<Division>> TownshipsAsync(CancellationToken ct) =>
        await db.Divisions.AsNoTracking().Within(Scope).Where(d => d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).Take(2000).ToListAsync(ct);

    private async Task<string?> DivisionFilterAsync(string text, CancellationToken ct)
    {
        var code = Division.NormalizeCode(text);
        var matches = await db.Divisions.AsNoTracking().Within(Scope)
            .Where(d => d.Code == code || (d.Name == text && d.Level == DivisionLevel.Township))
            .Select(d => d.Code).Order().Take(2).ToListAsync(ct);
        return matches.Count == 1 ? matches[0] : null;
    }

    private static int Number(string? text, string field, int fallback, int min, int max, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text.Trim(), out var n) && n >= min && n <= max) return n;
        errors.Add(field, $"应为 {min} 到 {max} 之间的整数");
        return fallback;
    }

    private static IOrderedQueryable<LicensedMine>? Sort(IQueryable<LicensedMine> query, string? sort, FieldErrors errors)
    {
        var key = string.IsNullOrWhiteSpace(sort) ? "name" : sort.Trim();
        var descending = key.StartsWith('-');
        IOrderedQueryable<LicensedMine>? sorted = key.TrimStart('-') switch
        {
            "name" => descending ? query.OrderByDescending(m => m.Name) : query.OrderBy(m => m.Name),
            "licenceNumber" => descending ? query.OrderByDescending(m => m.LicenceNumber) : query.OrderBy(m => m.LicenceNumber),
            // Licences without an end date go last either way; SQLite and PostgreSQL would otherwise disagree.
            "validTo" => descending ? query.OrderBy(m => m.ValidTo == null).ThenByDescending(m => m.ValidTo)
                : query.OrderBy(m => m.ValidTo == null).ThenBy(m => m.ValidTo),
            "status" => descending ? query.OrderByDescending(m => m.Status) : query.OrderBy(m => m.Status),
            "updated" => descending ? query.OrderByDescending(m => m.UpdatedUtc) : query.OrderBy(m => m.UpdatedUtc),
            _ => null,
        };
        if (sorted is null) errors.Add(nameof(MineListQuery.Sort), $"排序只能是：{string.Join("、", SortKeys.Select(k => k.Key))}（前加 - 为倒序）");

        // Ties broken by id so that paging never shows a mine twice or skips one.
        return sorted?.ThenBy(m => m.Id);
    }
}
