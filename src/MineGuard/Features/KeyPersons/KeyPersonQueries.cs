using MineGuard.Platform.People;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.KeyPersons;

/// <summary>One row of the list. The ID number is only ever masked here.</summary>
public sealed record KeyPersonListItem(
    Guid Id, string Name, string IdNumberMasked, string? Phone, string DivisionCode, string DivisionName, string ControlLevel,
    DateOnly? LastVisitOn, DateTime UpdatedUtc, bool IsDemo);

public sealed record KeyPersonPage(IReadOnlyList<KeyPersonListItem> Items, int Total, int Page, int PageSize);

public sealed record HomeVisitView(Guid Id, DateOnly VisitedOn, string VisitedBy, string Outcome, string? RecordedBy, DateTime RecordedUtc);

public sealed record LinkedAditView(Guid AditId, string Number, string? Name, string DivisionCode, string State, string? Relation);

/// <summary>The default (masked) view of one person; the full number has its own audited request.</summary>
public sealed record KeyPersonView(
    Guid Id, string Name, string IdNumberMasked, string? Phone, string DivisionCode, string DivisionName, string? Address,
    string? History, string? PriorCases, string ControlLevel, IReadOnlyList<HomeVisitView> HomeVisits,
    IReadOnlyList<LinkedAditView> Adits, Guid? ImportBatchId, bool IsDemo, DateTime CreatedUtc, DateTime UpdatedUtc, string? Plates);

public sealed record IdNumberView(Guid Id, string IdNumber);

/// <summary>List filters as they arrive in a query string; <see cref="Sort"/> is a field name, "-" first for descending.</summary>
public sealed record KeyPersonQuery(string? DivisionCode, string? ControlLevel, string? Name, int? Page, int? PageSize, string? Sort);

/// <summary>Reading key persons: lists and the masked detail view, always from the caller's jurisdiction.</summary>
public sealed class KeyPersonQueries(AppDbContext db)
{
    public const int DefaultPageSize = 20, MaxPageSize = 100;

    public static readonly IReadOnlyList<(string Code, string Name)> Sorts =
        [("level", "管控等级"), ("name", "姓名"), ("division", "户籍地"), ("updated", "更新时间")];

    /// <summary>A page of the list, or the filter fields that could not be understood.</summary>
    public async Task<(KeyPersonPage? Page, FieldErrors Errors)> ListAsync(KeyPersonQuery q, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var page = q.Page ?? 1;
        var size = q.PageSize ?? DefaultPageSize;
        if (page < 1) errors.Add(nameof(q.Page), "页码从 1 开始");
        if (size is < 1 or > MaxPageSize) errors.Add(nameof(q.PageSize), $"每页条数应在 1 到 {MaxPageSize} 之间");
        var query = Filter(q, errors);
        if (!errors.Ok || query is null) return (null, errors);

        var total = await query.CountAsync(ct);
        var rows = await query.Skip((page - 1) * size).Take(size)
            .Select(p => new
            {
                p.Id, p.Name, p.IdNumberLast4, p.Phone, p.DivisionCode, p.ControlLevel, p.UpdatedUtc, p.IsDemo,
                LastVisitOn = db.Set<HomeVisit>().Where(v => v.KeyPersonId == p.Id).Max(v => (DateOnly?)v.VisitedOn),
            })
            .ToListAsync(ct);
        var names = await DivisionNamesAsync(rows.Select(r => r.DivisionCode), ct);
        var items = rows.Select(r => new KeyPersonListItem(
            r.Id, r.Name, Mask(r.IdNumberLast4), r.Phone, r.DivisionCode, names.GetValueOrDefault(r.DivisionCode, r.DivisionCode),
            KeyPersonNames.Levels[r.ControlLevel], r.LastVisitOn, r.UpdatedUtc, r.IsDemo)).ToList();
        return (new KeyPersonPage(items, total, page, size), errors);
    }

    /// <summary>
    /// The list's filters and order (without paging), as the list and the Excel export apply them; null, with the
    /// reasons in <paramref name="errors"/>, when a filter cannot be understood. Always inside the caller's jurisdiction.
    /// </summary>
    public IOrderedQueryable<KeyPerson>? Filter(KeyPersonQuery q, FieldErrors errors)
    {
        ControlLevel? level = null;
        if (!string.IsNullOrWhiteSpace(q.ControlLevel))
        {
            if (KeyPersonChecks.TryParseLevel(q.ControlLevel.Trim(), out var parsed)) level = parsed;
            else errors.Add(nameof(q.ControlLevel), "管控等级只能是一般、重点或严管");
        }
        string? division = null;
        if (!string.IsNullOrWhiteSpace(q.DivisionCode))
        {
            division = Division.NormalizeCode(q.DivisionCode);
            if (!division.All(c => char.IsAsciiDigit(c) || c == 'G')) errors.Add(nameof(q.DivisionCode), "区划代码只能包含数字");
        }
        var sort = string.IsNullOrWhiteSpace(q.Sort) ? "-level" : q.Sort.Trim();
        if (!Sorts.Any(s => s.Code == sort.TrimStart('-'))) errors.Add(nameof(q.Sort), "排序只能按 level、name、division 或 updated（前加“-”为倒序）");
        if (!errors.Ok) return null;

        // The query filter keeps the list inside the caller's jurisdiction; a division filter can only narrow it.
        var query = db.Set<KeyPerson>().AsNoTracking();
        if (division is not null) query = query.Within(JurisdictionScope.Of(division), p => p.DivisionCode);
        if (level is not null) query = query.Where(p => p.ControlLevel == level);
        if (!string.IsNullOrWhiteSpace(q.Name)) query = query.Where(p => p.Name.Contains(q.Name.Trim()));
        return Sorted(query, sort);
    }

    /// <summary>The masked view of a person the caller has already loaded (and so may see).</summary>
    public async Task<KeyPersonView> ViewAsync(KeyPerson p, CancellationToken ct)
    {
        // Visits belong to the person: once the person is visible, so is every visit, even one recorded while the
        // person lived in another township of the county.
        var visits = await db.Set<HomeVisit>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(v => v.KeyPersonId == p.Id)
            .OrderByDescending(v => v.VisitedOn).ThenByDescending(v => v.RecordedUtc).ToListAsync(ct);
        var recorders = visits.Where(v => v.RecordedById is not null).Select(v => v.RecordedById!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => recorders.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        // Adits keep their own scoping: a linked adit outside the caller's jurisdiction is not listed.
        var adits = await (from l in db.Set<KeyPersonAdit>()
                           join a in db.Set<Adit>() on l.AditId equals a.Id
                           where l.KeyPersonId == p.Id
                           orderby a.Number
                           select new { a.Id, a.Number, a.Name, a.DivisionCode, a.State, l.Relation }).AsNoTracking().ToListAsync(ct);
        var names = await DivisionNamesAsync([p.DivisionCode], ct);
        return new KeyPersonView(
            p.Id, p.Name, p.MaskedIdNumber, p.Phone, p.DivisionCode, names.GetValueOrDefault(p.DivisionCode, p.DivisionCode), p.Address,
            p.History, p.PriorCases, KeyPersonNames.Levels[p.ControlLevel],
            visits.Select(v => new HomeVisitView(v.Id, v.VisitedOn, v.VisitedBy, v.Outcome,
                v.RecordedById is { } by ? users.GetValueOrDefault(by) : null, v.RecordedUtc)).ToList(),
            adits.Select(a => new LinkedAditView(a.Id, a.Number, a.Name, a.DivisionCode, AditNames.States[a.State], a.Relation)).ToList(),
            p.ImportBatchId, p.IsDemo, p.CreatedUtc, p.UpdatedUtc, p.Plates);
    }

    /// <summary>The townships and villages of the caller's jurisdiction, for the filter and the form ("镇 / 村").</summary>
    public async Task<List<(string Code, string Name)>> HomeDivisionOptionsAsync(CancellationToken ct)
    {
        var rows = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope)
            .Where(d => d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Village)
            .OrderBy(d => d.Code).Take(3000).Select(d => d.Code).ToListAsync(ct);
        var names = await DivisionNamesAsync(rows, ct);
        return rows.Select(c => (c, names[c])).ToList();
    }

    /// <summary>"饭坡镇" for a township, "饭坡镇 / 某村" for a village.</summary>
    public async Task<Dictionary<string, string>> DivisionNamesAsync(IEnumerable<string> codes, CancellationToken ct)
    {
        var wanted = codes.Distinct().ToList();
        var nodes = await db.Divisions.AsNoTracking().Where(d => wanted.Contains(d.Code))
            .Select(d => new { d.Code, d.Name, d.Level, d.ParentCode }).ToListAsync(ct);
        var parentCodes = nodes.Where(n => n.Level == DivisionLevel.Village && n.ParentCode != null).Select(n => n.ParentCode!).Distinct().ToList();
        var parents = await db.DivisionNamesAsync(parentCodes, ct);
        return nodes.ToDictionary(n => n.Code, n =>
            n.Level == DivisionLevel.Village && n.ParentCode is { } parent && parents.TryGetValue(parent, out var township)
                ? $"{township} / {n.Name}"
                : n.Name);
    }

    public static string Mask(string last4) => "**************" + last4;

    private static IOrderedQueryable<KeyPerson> Sorted(IQueryable<KeyPerson> query, string sort)
    {
        var descending = sort.StartsWith('-');
        IOrderedQueryable<KeyPerson> ordered = sort.TrimStart('-') switch
        {
            "name" => descending ? query.OrderByDescending(p => p.Name) : query.OrderBy(p => p.Name),
            "division" => descending ? query.OrderByDescending(p => p.DivisionCode) : query.OrderBy(p => p.DivisionCode),
            "updated" => descending ? query.OrderByDescending(p => p.UpdatedUtc) : query.OrderBy(p => p.UpdatedUtc),
            _ => descending ? query.OrderByDescending(p => p.ControlLevel) : query.OrderBy(p => p.ControlLevel),
        };
        // A total order, so paging never shows a person twice or skips one.
        return ordered.ThenBy(p => p.Name).ThenBy(p => p.Id);
    }
}
