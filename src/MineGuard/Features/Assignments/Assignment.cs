using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Assignments;

/// <summary>
/// Where an assignment stands. The numbers of <see cref="Open"/> and <see cref="Closed"/> are those of the follow-up
/// items they replace (待办 0, 已办结 1), so migration 0018 copies the status as it is.
/// </summary>
public enum AssignmentStatus
{
    /// <summary>待办: someone must act by the deadline.</summary>
    Open = 0,

    /// <summary>已销号: done and verified by a second person (or closed as a follow-up item before assignments existed).</summary>
    Closed = 1,

    /// <summary>待验收: reported done, waiting for a second person to verify.</summary>
    Completed = 2,
}

/// <summary>
/// 督办事项: anything a named unit or person must do by a date — a rectification item, a follow-up of a finding, a case
/// stage, a report, a decision, a satellite patch to check. What, where, who answers (unit, person, department), by when
/// (on the one clock, subject type "assignment"), the measures taken and evidence, completion, verification by a SECOND
/// person, reopening (counted) and the escalation level. <see cref="HiddenBelow"/> hides it from users whose scope lies
/// strictly under that division (a city's spot-check task the county must not see).
/// </summary>
public sealed class Assignment : IInJurisdiction, IDepartmentShared<Assignment>
{
    /// <summary>
    /// A department officer sees the assignments given to their department; patrol members and responsible persons (no
    /// department share, "-") see those in their scope given to no department; the reward officer, whose work is rewards, none.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<Assignment, string, bool, bool>> SharedWith { get; } =
        (a, dept, reward) => a.DepartmentCode == dept || (dept == "-" && !reward && a.DepartmentCode == null);

    public const string ClockSubject = "assignment";

    private Assignment() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid? AditId { get; private set; }

    /// <summary><see cref="AssignmentKinds"/>: rectification, follow-up, case-stage, report, decision, patch-check.</summary>
    public string Kind { get; private set; } = AssignmentKinds.FollowUp;

    /// <summary>What produced it ("clue", "patrol-finding", "alert", "tip"…) and its id.</summary>
    public string SourceType { get; private set; } = "";

    public Guid? SourceId { get; private set; }
    public string Title { get; private set; } = "";
    public string? Detail { get; private set; }

    /// <summary>责任单位.</summary>
    public string? ResponsibleUnit { get; private set; }

    /// <summary>责任人 (a person record, with or without an account).</summary>
    public Guid? ResponsiblePersonId { get; private set; }

    /// <summary>A responsible user without a person record (the follow-up items' assignee).</summary>
    public Guid? ResponsibleUserId { get; private set; }

    public string? DepartmentCode { get; private set; }
    public DateOnly? DueOn { get; private set; }
    public AssignmentStatus Status { get; private set; }

    /// <summary>整改措施 / what was done.</summary>
    public string? Measures { get; private set; }

    public DateTime? CompletedUtc { get; private set; }
    public Guid? CompletedById { get; private set; }

    /// <summary>The verifier's finding when closing (the follow-up item's resolution before assignments).</summary>
    public string? Resolution { get; private set; }

    public DateTime? ClosedUtc { get; private set; }
    public Guid? ClosedById { get; private set; }
    public int Reopens { get; private set; }
    public int EscalationLevel { get; private set; }

    /// <summary>A division code: users whose scope lies strictly under it do not see the assignment.</summary>
    public string? HiddenBelow { get; private set; }

    public DateTime CreatedUtc { get; private set; }
    public Guid? CreatedById { get; private set; }

    public static Assignment Open(string divisionCode, Guid? aditId, string kind, string sourceType, Guid? sourceId, string title, string? detail,
        string? responsibleUnit, Guid? responsiblePersonId, Guid? responsibleUserId, string? departmentCode, DateOnly? dueOn, string? hiddenBelow,
        Guid? createdById, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, AditId = aditId, Kind = kind, SourceType = sourceType, SourceId = sourceId,
        Title = title, Detail = detail, ResponsibleUnit = responsibleUnit, ResponsiblePersonId = responsiblePersonId,
        ResponsibleUserId = responsibleUserId, DepartmentCode = departmentCode, DueOn = dueOn, HiddenBelow = hiddenBelow,
        Status = AssignmentStatus.Open, CreatedUtc = nowUtc, CreatedById = createdById,
    };

    /// <summary>The columns of the measures and the resolution: the lines other features compose into them are cut to fit.</summary>
    public const int TextMax = 2000;

    private static string Cut(string text) => Platform.Web.StoredValueLimits.Cut(text, TextMax);

    public void Complete(string measures, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(Status == AssignmentStatus.Open, "AssignmentNotOpen", "该督办事项不在办理中，不能报告完成");
        Measures = Cut(measures);
        CompletedById = byUserId;
        CompletedUtc = nowUtc;
        Status = AssignmentStatus.Completed;
    }

    /// <summary>销号: a second person confirms the work; never the one who reported it done.</summary>
    public void Verify(string resolution, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(Status == AssignmentStatus.Completed, "AssignmentNotCompleted", "该督办事项尚未报告完成，不能验收销号");
        Rule.Check(byUserId is null || byUserId != CompletedById, "AssignmentSameVerifier", "验收销号须由完成人以外的另一人进行");
        Resolution = Cut(resolution);
        ClosedById = byUserId;
        ClosedUtc = nowUtc;
        Status = AssignmentStatus.Closed;
    }

    /// <summary>
    /// Ended by the record that owns it (a case stage: the next stage's step is itself the proof, written in the case's
    /// history by the person who took it), so no second person verifies it.
    /// </summary>
    public void Settle(string resolution, Guid? byUserId, DateTime nowUtc)
    {
        if (Status == AssignmentStatus.Closed) return;
        (Resolution, Measures, CompletedById, CompletedUtc, ClosedById, ClosedUtc, Status) =
            (Cut(resolution), Measures ?? Cut(resolution), byUserId, nowUtc, byUserId, nowUtc, AssignmentStatus.Closed);
    }

    /// <summary>Back to work: the verifier found it not done, or a closed item came back (counted as a repeat).</summary>
    public void Reopen(string reason, DateTime nowUtc)
    {
        Rule.Check(Status != AssignmentStatus.Open, "AssignmentAlreadyOpen", "该督办事项仍在办理中");
        Status = AssignmentStatus.Open;
        Reopens++;
        Resolution = Cut(reason);
        ClosedUtc = null;
        ClosedById = null;
        CompletedUtc = null;
        CompletedById = null;
        _ = nowUtc;
    }

    public void MoveDue(DateOnly dueOn) => DueOn = dueOn;

    public void Escalated(int level) => EscalationLevel = Math.Max(EscalationLevel, level);
}

public static class AssignmentKinds
{
    public const string Rectification = "rectification";
    public const string FollowUp = "follow-up";
    public const string CaseStage = "case-stage";
    public const string Report = "report";
    public const string Decision = "decision";
    public const string PatchCheck = "patch-check";
    public const string SpotCheck = "spot-check";
    public const string CampaignTask = "campaign-task";
    public const string JointOperation = "joint-operation";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Rectification] = "整改", [FollowUp] = "跟进处置", [CaseStage] = "案件环节", [Report] = "报告", [Decision] = "决定", [PatchCheck] = "图斑核查", [SpotCheck] = "抽查核实", [CampaignTask] = "专项行动任务", [JointOperation] = "联合执法",
    };
}

/// <summary>A photo or file given as evidence for a clue's verification or an assignment's completion (kept in StoredFiles).</summary>
public sealed class EvidenceFile : IInJurisdiction
{
    private EvidenceFile() { }

    public Guid Id { get; private set; }

    /// <summary>"clue" or "assignment".</summary>
    public string SubjectType { get; private set; } = "";

    public Guid SubjectId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid StoredFileId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public DateTime AddedUtc { get; private set; }
    public Guid? AddedById { get; private set; }

    /// <summary>
    /// The id the field app gave a photo taken offline (null for files added from a page): unique per subject, so a resend,
    /// even a concurrent one, stores once (migration 0050).
    /// </summary>
    public Guid? ClientId { get; private set; }

    public static EvidenceFile Create(string subjectType, Guid subjectId, string divisionCode, Guid storedFileId, string fileName, string contentType,
        Guid? byUserId, DateTime nowUtc, Guid? clientId = null) => new()
    {
        Id = Guid.CreateVersion7(), SubjectType = subjectType, SubjectId = subjectId, DivisionCode = divisionCode, StoredFileId = storedFileId,
        FileName = fileName, ContentType = contentType, AddedById = byUserId, AddedUtc = nowUtc, ClientId = clientId,
    };
}
