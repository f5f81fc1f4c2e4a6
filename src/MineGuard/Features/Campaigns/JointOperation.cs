using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Campaigns;

/// <summary>
/// 联合执法行动: a day's joint enforcement in an area by at least two departments — who took part, what was targeted and
/// found. The plan asks for one every two months (<see cref="JointOperationDesk.MonthsFor"/>); each operation puts the next
/// one on the one clock (<see cref="NextAssignmentId"/>). A department officer sees the operations their department joined.
/// </summary>
public sealed class JointOperation : IInJurisdiction, IDepartmentShared<JointOperation>
{
    public static System.Linq.Expressions.Expression<Func<JointOperation, string, bool, bool>> SharedWith { get; } =
        (o, dept, reward) => o.Departments.Contains("," + dept + ",");

    /// <summary>The evidence files' subject type of an operation's photos.</summary>
    public const string FileSubject = "joint-operation";

    private JointOperation() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public DateOnly OnDate { get; private set; }
    public string Area { get; private set; } = "";

    /// <summary>The departments' codes, comma-delimited on both sides (",public-security,natural-resources,").</summary>
    public string Departments { get; private set; } = "";

    public string? People { get; private set; }

    /// <summary>目标: adits, mines, villages, coal yards, roads visited.</summary>
    public string? Targets { get; private set; }

    public string? Findings { get; private set; }
    public Guid? NextAssignmentId { get; private set; }
    public Guid? ClientId { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    public IEnumerable<string> DepartmentCodes => Departments.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static JointOperation Record(string divisionCode, DateOnly onDate, string area, IEnumerable<string> departments, string? people, string? targets,
        string? findings, Guid? clientId, Guid? byId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, OnDate = onDate, Area = area, Departments = "," + string.Join(",", departments) + ",",
        People = people, Targets = targets, Findings = findings, ClientId = clientId, CreatedById = byId, CreatedUtc = nowUtc,
    };

    public void NextOnClock(Guid assignmentId) => NextAssignmentId = assignmentId;
}

/// <summary>查扣: what a joint operation seized, and the case or clue it opened.</summary>
public sealed class JointOperationSeizure : IInJurisdiction
{
    private JointOperationSeizure() { }

    public Guid Id { get; private set; }
    public Guid OperationId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Description { get; private set; } = "";
    public Guid? AditId { get; private set; }
    public Guid? CaseId { get; private set; }
    public Guid? ClueId { get; private set; }

    public static JointOperationSeizure Create(Guid id, JointOperation o, string description, Guid? aditId) => new()
    {
        Id = id, OperationId = o.Id, DivisionCode = o.DivisionCode, Description = description, AditId = aditId,
    };

    public void Opened(Guid? caseId, Guid? clueId) => (CaseId, ClueId) = (caseId, clueId);
}

/// <summary>
/// 联席会议: a joint meeting — date, participants by department, the clues and cases discussed; its decisions are
/// assignments (source "meeting") with deadlines, so the minutes become tracked work.
/// </summary>
public sealed class Meeting : IInJurisdiction, IDepartmentShared<Meeting>
{
    public static System.Linq.Expressions.Expression<Func<Meeting, string, bool, bool>> SharedWith { get; } =
        (m, dept, reward) => m.Departments.Contains("," + dept + ",");

    private Meeting() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public DateOnly OnDate { get; private set; }
    public string Title { get; private set; } = "";
    public string Departments { get; private set; } = "";

    /// <summary>参会人员: one line per department, "部门：姓名、姓名".</summary>
    public string Participants { get; private set; } = "";

    /// <summary>The participants' column (one line per department).</summary>
    public const int ParticipantsMax = 4000;

    public string? ClueIds { get; private set; }
    public string? CaseIds { get; private set; }
    public string? Minutes { get; private set; }
    public Guid? ClientId { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    public static Meeting Hold(string divisionCode, DateOnly onDate, string title, IEnumerable<string> departments, string participants,
        IEnumerable<Guid> clueIds, IEnumerable<Guid> caseIds, string? minutes, Guid? clientId, Guid? byId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, OnDate = onDate, Title = title, Departments = "," + string.Join(",", departments) + ",",
        Participants = participants, ClueIds = Join(clueIds), CaseIds = Join(caseIds), Minutes = minutes, ClientId = clientId, CreatedById = byId,
        CreatedUtc = nowUtc,
    };

    private static string? Join(IEnumerable<Guid> ids) => ids.Any() ? string.Join(",", ids) : null;

    public IReadOnlyList<Guid> Clues => Split(ClueIds);

    public IReadOnlyList<Guid> Cases => Split(CaseIds);

    private static List<Guid> Split(string? s) => s is null ? [] : s.Split(',').Select(Guid.Parse).ToList();
}
