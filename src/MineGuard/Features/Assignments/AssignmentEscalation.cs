using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;

namespace MineGuard.Features.Assignments;

/// <summary>
/// An assignment past its deadline: the next level above the place (township, then county…) is told in-app and by SMS,
/// the assignment's escalation level rises, and the job looks again a day later at the level above.
/// </summary>
public sealed class AssignmentEscalation(AppDbContext db, Responsibility responsibility) : IEscalation
{
    public string SubjectType => Assignment.ClockSubject;

    public async Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        var ids = deadlines.Select(d => d.SubjectId).ToList();
        var open = await db.Set<Assignment>().Beyond(ScopeExit.SystemJudgement)
            .Where(x => ids.Contains(x.Id) && x.Status == AssignmentStatus.Open).ToDictionaryAsync(x => x.Id, ct);
        var asks = deadlines.Select(d => open.TryGetValue(d.SubjectId, out var a) && d.NextLevel(AnswerLevel.Township) is { } from
            ? (new Place(a.DivisionCode, a.AditId), from) : ((Place, AnswerLevel)?)null).ToList();
        var answers = await responsibility.WhoAnswersEachAsync(asks, ct);
        var next = db.Clock.GetUtcNow().UtcDateTime.AddDays(1);
        return deadlines.Select((deadline, i) =>
        {
            if (!open.TryGetValue(deadline.SubjectId, out var a)) return null;
            var people = answers[i];
            if (deadline.NextLevel(AnswerLevel.Township) is null || people.Count == 0) return new Escalation(deadline.Level, null);
            foreach (var who in people)
            {
                db.Tell(who, a.DivisionCode, "督办事项逾期", $"{a.Title}（期限 {a.DueOn:yyyy-MM-dd}）已逾期未办结", $"/assignments/{a.Id}",
                    Assignment.ClockSubject, a.Id, sms: true);
            }
            a.Escalated((int)people[0].Level);
            return (Escalation?)new Escalation(people[0].Level, next);
        }).ToList();
    }
}
