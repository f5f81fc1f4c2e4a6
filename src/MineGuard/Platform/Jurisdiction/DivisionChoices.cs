using Microsoft.EntityFrameworkCore;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>A division to pick in a form: its code is the value, "名称（代码）" (indented by level) what a person reads.</summary>
public sealed record DivisionChoice(string Code, string Label);

/// <summary>
/// The one list of named divisions a form offers instead of a typed code (承办乡镇, a user's 管辖范围, a device's place…):
/// the caller's node and what lies under it, down to <c>deepest</c>. A national or provincial scope would list tens of
/// thousands of villages, so the list stops at the deepest level that still fits <c>max</c> rows.
/// </summary>
public static class DivisionChoices
{
    public const int Max = 3000;

    public static async Task<List<DivisionChoice>> ChoicesAsync(
        this IQueryable<Division> divisions, JurisdictionScope scope, DivisionLevel deepest, CancellationToken ct, int max = Max)
    {
        var within = divisions.AsNoTracking().Within(scope);
        while (deepest > DivisionLevel.Province && await within.CountAsync(d => d.Level <= deepest, ct) > max) deepest--;
        var rows = await within.Where(d => d.Level <= deepest).OrderBy(d => d.Code).Take(max)
            .Select(d => new { d.Code, d.Name, d.Level }).ToListAsync(ct);
        var top = rows.Count == 0 ? 0 : rows.Min(r => (int)r.Level);
        return rows.Select(r => new DivisionChoice(r.Code, new string('　', (int)r.Level - top) + $"{r.Name}（{r.Code}）")).ToList();
    }
}
