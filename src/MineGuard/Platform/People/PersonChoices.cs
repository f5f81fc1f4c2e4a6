using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.People;

/// <summary>
/// How a form names a responsible person: a text box offering the scope's 责任人 as "姓名（手机号）" (typing a name or
/// a phone finds them; <see cref="CountyPeople.Responsible"/> reads what was typed), and the stored person shown back
/// in the same form.
/// </summary>
public static class PersonChoices
{
    /// <summary>The people of the user's scope a form offers (with or without accounts), by name; at most 2,000.</summary>
    public static async Task<List<(string Label, string Post)>> PersonChoicesAsync(this AppDbContext db, CancellationToken ct)
    {
        var people = await db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null && p.Phone != "")
            .OrderBy(p => p.Name).Select(p => new { p.Name, p.Phone, p.Post }).Take(2000).ToListAsync(ct);
        return people.Select(p => (Label(p.Name, p.Phone), p.Post ?? "")).ToList();
    }

    /// <summary>
    /// The stored person as a form shows it back ("姓名（手机号）", which the form reads again), wherever the person is
    /// filed: a place names its person, and the person's record may lie outside the editor's own scope.
    /// </summary>
    public static async Task<string?> PersonLabelAsync(this AppDbContext db, Guid? personId, CancellationToken ct)
    {
        if (personId is not { } id) return null;
        var p = await db.Beyond<Person>(ScopeExit.LinkedLabel).AsNoTracking().Where(p => p.Id == id)
            .Select(p => new { p.Name, p.Phone }).FirstOrDefaultAsync(ct);
        return p is null ? null : p.Phone.Length > 0 ? Label(p.Name, p.Phone) : id.ToString();
    }

    /// <summary>
    /// Who the people are as a page shows them, "姓名（单位 职务）" by id (no phone: that is personal data), wherever
    /// they are filed.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> PersonNamesAsync(this AppDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        var people = await db.Beyond<Person>(ScopeExit.LinkedLabel).AsNoTracking().Where(p => wanted.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Unit, p.Post }).ToListAsync(ct);
        return people.ToDictionary(p => p.Id, p => string.Join(' ', new[] { p.Unit, p.Post }.Where(x => !string.IsNullOrWhiteSpace(x))) is { Length: > 0 } role
            ? $"{p.Name}（{role}）" : p.Name);
    }

    /// <summary>"姓名（手机号）": the form's text for a person, one of the keys <see cref="CountyPeople"/> finds them by.</summary>
    public static string Label(string name, string phone) => $"{name}（{phone}）";
}
