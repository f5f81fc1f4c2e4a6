using Microsoft.EntityFrameworkCore;

namespace MineGuard.Platform.Web;

/// <summary>Pages of a list as the pager partial (<c>_Pager</c>) shows them: no generic argument needed there.</summary>
public interface IPaged
{
    int Total { get; }
    int Page { get; }
    int PageCount { get; }
}

/// <summary>
/// One page of a list: the items, the total over all pages, the page number (1-based) and its size. The one way lists
/// page: build the filtered, ordered query, then <see cref="ListPaging.PageAsync{T}"/>; the page shows
/// <c>&lt;partial name="_Pager" model="Model.Result" /&gt;</c>, whose links keep every filter of the query string.
/// </summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Page, int Size) : IPaged
{
    public static PageOf<T> Empty(int size = ListPaging.PageSize) => new([], 0, 1, size);

    public int PageCount => Math.Max(1, (Total + Size - 1) / Size);

    /// <summary>The same page with its items turned into what the page shows.</summary>
    public PageOf<TView> Select<TView>(IReadOnlyList<TView> items) => new(items, Total, Page, Size);
}

/// <summary>Paging, keyword and export limits shared by every list (page size 50, <c>p</c> the page, <c>q</c> the keyword).</summary>
public static class ListPaging
{
    public const int PageSize = 50;
    public const int MaxKeywordLength = 50;

    /// <summary>
    /// Rows one export may hold (Excel's own sheet ends at 1,048,576 rows); above it the export is refused with
    /// <see cref="ExportTooLarge"/>. Exports stream, so the cap is the sheet's, not the server's memory.
    /// </summary>
    public const int ExportLimit = 1_000_000;

    /// <summary>The requested page of an ordered query (a page past the end shows the last one).</summary>
    public static async Task<PageOf<T>> PageAsync<T>(this IQueryable<T> ordered, int? page, CancellationToken ct, int size = PageSize)
    {
        var total = await ordered.CountAsync(ct);
        var count = Math.Max(1, (total + size - 1) / size);
        var number = Math.Clamp(page ?? 1, 1, count);
        var items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new PageOf<T>(items, total, number, size);
    }

    /// <summary>The requested page, its rows turned into what the list shows (names looked up once for the page).</summary>
    public static async Task<PageOf<TView>> PageAsync<T, TView>(this IQueryable<T> ordered, int? page,
        Func<List<T>, CancellationToken, Task<List<TView>>> views, CancellationToken ct, int size = PageSize)
    {
        var rows = await ordered.PageAsync(page, ct, size);
        return rows.Select(await views([.. rows.Items], ct));
    }

    /// <summary>The requested page of a list already in memory (a report computed as a whole).</summary>
    public static PageOf<T> Page<T>(IReadOnlyList<T> all, int? page, int size = PageSize)
    {
        var count = Math.Max(1, (all.Count + size - 1) / size);
        var number = Math.Clamp(page ?? 1, 1, count);
        return new PageOf<T>([.. all.Skip((number - 1) * size).Take(size)], all.Count, number, size);
    }

    /// <summary>The trimmed keyword, or null when blank; a too long one is added to <paramref name="errors"/> under "q".</summary>
    public static string? Keyword(string? q, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(q)) return null;
        var text = q.Trim();
        if (text.Length > MaxKeywordLength) errors.Add("q", $"搜索词不能超过 {MaxKeywordLength} 个字");
        return text;
    }

    /// <summary>A page number from the query string; anything not a positive number is page 1.</summary>
    public static int? PageNumber(string? p) => int.TryParse(p, out var n) && n > 0 ? n : null;

    /// <summary>Refuses an export of more rows than <paramref name="limit"/> (<see cref="ExportLimit"/>), in Chinese, under the field "q".</summary>
    public static FieldErrors ExportTooLarge(int total, int limit = ExportLimit) => new()
    {
        { "q", [string.Create(System.Globalization.CultureInfo.InvariantCulture, $"符合条件的记录有 {total:N0} 条，超过单次导出 {limit:N0} 条的上限，请用关键字或筛选条件缩小范围后再导出")] },
    };

    /// <summary>The same path and query string with page <paramref name="page"/> (every other filter kept).</summary>
    public static string PageLink(HttpRequest request, int page) => Link(request, request.Path, page);

    /// <summary>The list's export address with the same filters (no page: an export holds all pages).</summary>
    public static string ExportLink(HttpRequest request, string exportPath) => Link(request, exportPath, 1);

    private static string Link(HttpRequest request, string path, int page)
    {
        var query = request.Query.Where(kv => kv.Key is not ("p" or "handler" or "saved") && !string.IsNullOrEmpty(kv.Value.ToString()))
            .Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value.ToString())}").ToList();
        if (page > 1) query.Add("p=" + page);
        return path + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }
}
