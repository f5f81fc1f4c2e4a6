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

    public async Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        var ids = deadlines.Select(d => d.SubjectId).ToList();
        var verifying = await db.Set<Clue>().Beyond(ScopeExit.SystemJudgement)
            .Where(c => ids.Contains(c.Id) && c.State == ClueState.Verifying).ToDictionaryAsync(c => c.Id, ct);
        var verifierIds = verifying.Values.Select(c => c.VerifierPersonId).OfType<Guid>().Distinct().ToList();
        var verifiers = await db.Set<Person>().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(p => verifierIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        Person? VerifierOf(Clue c) => c.VerifierPersonId is { } pid ? verifiers.GetValueOrDefault(pid) : null;

        // The verifier's own township first (a cadre of another township than the clue's answers to their own leaders).
        var asks = deadlines.Select(d => verifying.TryGetValue(d.SubjectId, out var clue) && d.NextLevel(AnswerLevel.Township) is { } from
            ? (new Place(VerifierOf(clue) is { DivisionCode.Length: >= 9 } v ? v.DivisionCode : clue.DivisionCode, clue.AditId), from)
            : ((Place, AnswerLevel)?)null).ToList();
        var answers = await responsibility.WhoAnswersEachAsync(asks, ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        return deadlines.Select((deadline, i) =>
        {
            if (!verifying.TryGetValue(deadline.SubjectId, out var clue)) return null;
            var people = answers[i];
            if (deadline.NextLevel(AnswerLevel.Township) is null || people.Count == 0) return new Escalation(deadline.Level, null);
            var level = people[0].Level;
            var body = $"{VerifierOf(clue)?.Name ?? "核查人"} 未在期限（{ChinaTime.Format(clue.VerifyDueUtc)}）前核查线索：{(clue.Summary.Length <= 60 ? clue.Summary : clue.Summary[..60])}";
            foreach (var who in people) db.Tell(who, clue.DivisionCode, "线索核查逾期", body, $"/clues/{clue.Id}", Clue.ClockSubject, clue.Id, sms: true);
            clue.Escalated((int)level);
            db.Add(ClueEntry.Create(clue, "escalated", $"核查逾期，已告知 {AnswererNames.Join(people.Select(p => p.Name))}", null, now));
            return (Escalation?)new Escalation(level, now.AddDays(1));
        }).ToList();
    }
}
