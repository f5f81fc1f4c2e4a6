using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.FollowUps;

public enum FollowUpStatus
{
    Open = 0,
    Done = 1,
}

/// <summary>
/// 待办事项: something the office must follow up — a patrol finding, a confirmed alert, a verified tip. Opened by the
/// feature that found it, closed by a person with what was done.
/// </summary>
public sealed class FollowUp : IInJurisdiction
{
    private FollowUp() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid? AditId { get; private set; }

    /// <summary>What produced it ("patrol-finding", "alert", "tip"…) and its id.</summary>
    public string SourceType { get; private set; } = "";

    public Guid? SourceId { get; private set; }
    public string Title { get; private set; } = "";
    public string? Detail { get; private set; }
    public Guid? AssigneeUserId { get; private set; }
    public DateOnly? DueOn { get; private set; }
    public FollowUpStatus Status { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime? ClosedUtc { get; private set; }
    public Guid? ClosedById { get; private set; }
    public string? Resolution { get; private set; }

    public static FollowUp Open(string divisionCode, Guid? aditId, string sourceType, Guid? sourceId, string title,
        string? detail, Guid? assigneeUserId, DateOnly? dueOn, Guid? createdById, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, AditId = aditId, SourceType = sourceType, SourceId = sourceId,
        Title = title, Detail = detail, AssigneeUserId = assigneeUserId, DueOn = dueOn, Status = FollowUpStatus.Open,
        CreatedUtc = nowUtc, CreatedById = createdById,
    };

    public void Close(string resolution, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(Status == FollowUpStatus.Open, "FollowUpAlreadyClosed", "该待办事项已经办结。");
        Status = FollowUpStatus.Done;
        Resolution = resolution;
        ClosedById = byUserId;
        ClosedUtc = nowUtc;
    }
}
