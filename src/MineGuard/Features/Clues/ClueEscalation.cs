using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Clues;

/// <summary>
/// A clue not verified by its deadline: the verifier's township leaders (then the county's, the city's…) are told in-app
/// and by SMS, a line goes on the clue's history, and the job looks again a day later one level up.
/// </summary>
public sealed class ClueEscalation(AppDbContext db, Responsibility responsibility) : IEscalation
{
    public string SubjectType => Clue.ClockSubject;

    public async Task<Escalation?> EscalateAsync(Deadline deadline, CancellationToken ct)
    {
        var clue = await db.Set<Clue>().Beyond(ScopeExit.SystemJudgement).FirstOrDefaultAsync(c => c.Id == deadline.SubjectId, ct);
        if (clue is null || clue.State != ClueState.Verifying) return null;
        var verifier = clue.VerifierPersonId is { } pid
            ? await db.Set<Person>().Beyond(ScopeExit.SystemJudgement).FirstOrDefaultAsync(p => p.Id == pid, ct)
            : null;
        // The verifier's own township first (a cadre of another township than the clue's answers to their own leaders).
        var place = verifier is not null && verifier.DivisionCode.Length >= 9 ? verifier.DivisionCode : clue.DivisionCode;
        var from = deadline.Level < AnswerLevel.Township ? AnswerLevel.Township : deadline.Level + 1;
        if (from > AnswerLevel.Province) return new Escalation(deadline.Level, null);
        var people = await responsibility.WhoAnswersAsync(new Place(place, clue.AditId), from, null, ct);
        if (people.Count == 0) return new Escalation(deadline.Level, null);
        var level = people[0].Level;
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var body = $"{verifier?.Name ?? "核查人"} 未在期限（{ChinaTime.Format(clue.VerifyDueUtc)}）前核查线索：{(clue.Summary.Length <= 60 ? clue.Summary : clue.Summary[..60])}";
        foreach (var who in people) db.Tell(who, clue.DivisionCode, "线索核查逾期", body, $"/clues/{clue.Id}", Clue.ClockSubject, clue.Id, sms: true);
        clue.Escalated((int)level);
        db.Add(ClueEntry.Create(clue, "escalated", $"核查逾期，已告知 {string.Join("、", people.Select(p => p.Name))}", null, now));
        return new Escalation(level, now.AddDays(1));
    }
}
