using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Sweeps;

/// <summary>One question of a checklist: its answer key and the problem it asks about (answered 有/无: true = 有).</summary>
public sealed record ChecklistQuestion(string Key, string Text);

public sealed record ChecklistView(Guid Id, string Name, string? DivisionCode, bool BuiltIn, IReadOnlyList<ChecklistQuestion> Questions);

/// <summary>
/// The checklists a sweep may use: the built-in eight checks (八查, the patrols' <see cref="CheckList.Questions"/> with
/// the field app's format-2 keys: sealBroken, freshDigging…) and the templates offices add (keys q1, q2…).
/// </summary>
public static class Checklists
{
    /// <summary>The id the built-in eight checks answer to (never stored: a sweep without a template uses them).</summary>
    public static readonly Guid EightChecksId = new("00000000-0000-0000-0000-000000000008");

    public const string EightChecksName = "八查（默认）";

    public static readonly IReadOnlyList<ChecklistQuestion> EightChecks =
        CheckList.Questions.Select(q => new ChecklistQuestion(char.ToLowerInvariant(q.Key[0]) + q.Key[1..], q.Problem)).ToList();

    public static ChecklistView BuiltIn { get; } = new(EightChecksId, EightChecksName, null, true, EightChecks);

    public static IReadOnlyList<ChecklistQuestion> Of(ChecklistTemplate? t) =>
        t is null ? EightChecks : t.QuestionList.Select((q, i) => new ChecklistQuestion($"q{i + 1}", q)).ToList();

    public static ChecklistView View(ChecklistTemplate? t) => t is null ? BuiltIn : new(t.Id, t.Name, t.DivisionCode, false, Of(t));

    /// <summary>
    /// A template usable in <paramref name="division"/>: filed in the caller's scope, or above the division (a city's
    /// template for its counties). Null for the built-in id; <c>Found: false</c> when there is no such template.
    /// </summary>
    public static async Task<(bool Found, ChecklistTemplate? Template)> FindAsync(AppDbContext db, Guid? id, string? division, CancellationToken ct)
    {
        if (id is null || id == EightChecksId) return (true, null);
        var t = await db.Set<ChecklistTemplate>().Beyond(ScopeExit.InheritedSettings).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return (false, null);
        var usable = db.CurrentUser.Scope.Contains(t.DivisionCode) || (division is not null && division.StartsWith(t.DivisionCode, StringComparison.Ordinal));
        return usable ? (true, t) : (false, null);
    }
}
