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

    public async Task<Escalation?> EscalateAsync(Deadline deadline, CancellationToken ct)
    {
        var a = await db.Set<Assignment>().Beyond(ScopeExit.SystemJudgement).FirstOrDefaultAsync(x => x.Id == deadline.SubjectId, ct);
        if (a is null || a.Status != AssignmentStatus.Open) return null;
        var from = deadline.Level < AnswerLevel.Township ? AnswerLevel.Township : deadline.Level + 1;
        if (from > AnswerLevel.Province) return new Escalation(deadline.Level, null);
        var people = await responsibility.WhoAnswersAsync(new Place(a.DivisionCode, a.AditId), from, null, ct);
        if (people.Count == 0) return new Escalation(deadline.Level, null);
        var level = people[0].Level;
        foreach (var who in people)
        {
            db.Tell(who, a.DivisionCode, "督办事项逾期", $"{a.Title}（期限 {a.DueOn:yyyy-MM-dd}）已逾期未办结", $"/assignments/{a.Id}",
                Assignment.ClockSubject, a.Id, sms: true);
        }
        a.Escalated((int)level);
        return new Escalation(level, db.Clock.GetUtcNow().UtcDateTime.AddDays(1));
    }
}
