using MineGuard.Data;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;

namespace MineGuard.Features.Clues;

/// <summary>
/// How a finding (电表异常, 卡口车辆研判, 民爆/氰化钠缺口) becomes a clue: one <see cref="ClueIntake.OpenAsync"/> at the place's
/// township, given to the lead's department, and the township's people and that department's officers told in-app.
/// A source already on a clue opens nothing again (the caller's finding id is the clue source's id).
/// </summary>
public static class FindingClues
{
    /// <summary>Opens the clue and tells who answers; null when the finding already has one. Added to the unit of work (not saved).</summary>
    public static async Task<Clue?> OpenAsync(AppDbContext db, Responsibility responsibility, ClueLead lead, Place where, string title, CancellationToken ct)
    {
        var clue = await ClueIntake.OpenAsync(db, lead, ct);
        if (clue is null) return null;
        var township = await responsibility.WhoAnswersAsync(where, AnswerLevel.Township, null, ct);
        var department = lead.DepartmentCode is { } code ? await responsibility.WhoAnswersAsync(where, AnswerLevel.Township, code, ct) : [];
        foreach (var who in township.Concat(department).DistinctBy(a => (a.PersonId, a.UserId)))
            db.Tell(who, lead.DivisionCode, title, Short(lead.Summary), $"/clues/{clue.Id}", lead.Type, clue.Id, sms: false);
        return clue;
    }

    private static string Short(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
