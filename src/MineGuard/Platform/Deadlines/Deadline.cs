using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Platform.Deadlines;

/// <summary>
/// One thing someone must do by a time, on the one clock (issue 12): an alert to acknowledge or verify, a petition to
/// answer, a clue to verify, an assignment to finish, a reward to pay. The feature that sets the deadline adds the row in
/// its own transaction (<see cref="DeadlineClock.Open"/>) and closes it when the work is done
/// (<see cref="DeadlineClock.CloseAsync"/>). The one job (<c>DeadlineJob</c>) claims rows whose
/// <see cref="EscalateAtUtc"/> has passed and calls the subject's <see cref="IEscalation"/> handler, which tells the next
/// level and says when to look again.
/// The row is the clock's own record (level, escalations, last escalation) and is not copied into the audit trail: every
/// change to it goes with an audited change of its subject (the assignment's escalation level, the clue's timeline line,
/// the alert's level), which names who and when.
/// </summary>
[MineGuard.Platform.Audit.OwnRecord]
public sealed class Deadline : IInJurisdiction
{
    private Deadline() { }

    public Guid Id { get; private set; }

    /// <summary>The kind of work, the key of its <see cref="IEscalation"/> handler: "alert", "petition", "clue-verify"…</summary>
    public string SubjectType { get; private set; } = "";

    public Guid SubjectId { get; private set; }

    public string DivisionCode { get; private set; } = "";

    /// <summary>The department that must act, when the work was given to one.</summary>
    public string? DepartmentCode { get; private set; }

    /// <summary>When the work is due now (moves when an escalation grants a new time).</summary>
    public DateTime DueUtc { get; private set; }

    /// <summary>When the job next looks at it; null once nobody above is left to tell.</summary>
    public DateTime? EscalateAtUtc { get; private set; }

    /// <summary>Who is on the hook now: the level the work sits at (raised by each escalation).</summary>
    public AnswerLevel Level { get; private set; }

    /// <summary>How many times it was escalated.</summary>
    public int Escalations { get; private set; }

    public DateTime CreatedUtc { get; private set; }
    public DateTime? ClosedUtc { get; private set; }

    public bool IsOverdue(DateTime nowUtc) => ClosedUtc is null && DueUtc < nowUtc;

    /// <summary>The level to tell next: one above where the work sits, at least <paramref name="lowest"/>; null above the province.</summary>
    public AnswerLevel? NextLevel(AnswerLevel lowest)
    {
        var next = Level < lowest ? lowest : Level + 1;
        return next > AnswerLevel.Province ? null : next;
    }

    public static Deadline Create(string subjectType, Guid subjectId, string divisionCode, string? departmentCode, DateTime dueUtc,
        AnswerLevel level, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), SubjectType = subjectType, SubjectId = subjectId, DivisionCode = divisionCode,
        DepartmentCode = departmentCode, DueUtc = dueUtc, EscalateAtUtc = dueUtc, Level = level, CreatedUtc = nowUtc,
    };

    public void Close(DateTime nowUtc) => ClosedUtc ??= nowUtc;

    /// <summary>A new time for the same level (an extension granted with a reason, a re-assignment).</summary>
    public void Move(DateTime dueUtc)
    {
        DueUtc = dueUtc;
        EscalateAtUtc = dueUtc;
    }

    /// <summary>The work was given to another department (a reroute).</summary>
    public void GiveTo(string? departmentCode) => DepartmentCode = departmentCode;
}

/// <summary>What an escalation handler did: the level the work now sits at, and when to look again (null: no level left).</summary>
public sealed record Escalation(AnswerLevel Level, DateTime? NextDueUtc);

/// <summary>
/// A feature's escalation of its own kind of work, registered as a scoped <c>IEscalation</c> by the feature. Called by
/// the job with a batch of deadlines it has claimed, inside the claim's transaction, acting as the system: for each it
/// tells the people of the next level (<see cref="Responsibility.WhoAnswersManyAsync"/>, <c>db.Tell</c>), writes its own
/// timeline line, and returns the new level and next due time; the job saves the batch in one commit, so each escalation
/// happens once even with several nodes. Read the batch's subjects in one query, not one per deadline.
/// </summary>
public interface IEscalation
{
    string SubjectType { get; }

    /// <summary>
    /// One answer per deadline, in the order given: null when the subject no longer needs escalating (done meanwhile);
    /// the job then closes the deadline.
    /// </summary>
    Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct);
}
