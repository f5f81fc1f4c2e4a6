using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>
/// The one way a list or view turns division codes into the names people read: one query for all the codes of a page
/// (nulls and repeats ignored). Divisions are reference data, readable by everyone, so the names of places outside the
/// caller's scope resolve too (a transferred clue names the county it came from).
/// </summary>
public static class DivisionNames
{
    public static async Task<Dictionary<string, string>> DivisionNamesAsync(this AppDbContext db, IEnumerable<string?> codes, CancellationToken ct)
    {
        var list = codes.OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) return new Dictionary<string, string>(StringComparer.Ordinal);
        return await db.Divisions.AsNoTracking().Where(d => list.Contains(d.Code))
            .ToDictionaryAsync(d => d.Code, d => d.Name, StringComparer.Ordinal, ct);
    }
}
