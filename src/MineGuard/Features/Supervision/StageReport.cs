using System.Linq.Expressions;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Supervision;

/// <summary>Where a stage report is on its way up.</summary>
public enum StageReportState
{
    /// <summary>要求报送: the level above asked for it (with a deadline on the one clock); nothing written yet.</summary>
    Requested = 0,
    /// <summary>草稿: generated from the data, the office may edit its text and regenerate it.</summary>
    Draft = 1,
    /// <summary>已签发: signed off by the division's leader; ready to send, no longer editable.</summary>
    SignedOff = 2,
    /// <summary>已报送: sent to the level above.</summary>
    Sent = 3,
    /// <summary>已接收: the level above received it.</summary>
    Received = 4,
    /// <summary>已退回: the level above returned it with comments; the office revises, regenerates and signs again.</summary>
    Returned = 5,
}

/// <summary>
/// 阶段报告 (issue 18): a division's report upward for a period, generated from the data. What was generated is kept
/// (<see cref="ContentJson"/>, hashed in <see cref="ContentHash"/>), so what the leader signed is what the level above
/// receives and prints, whatever changes afterwards. Visible in full to the division's own office, leaders and
/// administrators; the level above sees it once it is sent (and the requests it made itself); department officers do
/// not see reports.
/// </summary>
public sealed class StageReport : IInJurisdiction, IDepartmentShared<StageReport>
{
    public static Expression<Func<StageReport, string, bool, bool>> SharedWith { get; } = (r, dept, reward) => false;

    public Guid Id { get; private set; }

    /// <summary>The reporting division (a county reporting to its city…).</summary>
    public string DivisionCode { get; private set; } = "";

    public DateOnly FromOn { get; private set; }
    public DateOnly ToOn { get; private set; }
    public string Title { get; private set; } = "";

    /// <summary>The free-text section the office writes (工作开展情况、存在问题、下步打算).</summary>
    public string Narrative { get; private set; } = "";

    public StageReportState State { get; private set; }

    /// <summary>The figures, the named overdue items and the referrals as generated (JSON of <see cref="StageReportContent"/>); empty until generated.</summary>
    public string ContentJson { get; private set; } = "";

    /// <summary>SHA-256 of <see cref="ContentJson"/> and <see cref="Narrative"/>: what was signed.</summary>
    public string ContentHash { get; private set; } = "";

    public int Version { get; private set; }
    public DateTime? GeneratedUtc { get; private set; }

    /// <summary>The division that asked for the report (the level above), when it was requested.</summary>
    public string? RequestedByDivision { get; private set; }
    public DateOnly? DueOn { get; private set; }

    /// <summary>The reporting deadline's assignment (kind report) on the one clock.</summary>
    public Guid? AssignmentId { get; private set; }

    public Guid? CreatedById { get; private set; }
    public string CreatedByName { get; private set; } = "";
    public DateTime CreatedUtc { get; private set; }
    public Guid? GeneratedById { get; private set; }
    public Guid? SignedById { get; private set; }
    public string? SignedByName { get; private set; }
    public DateTime? SignedUtc { get; private set; }
    public string? SentByName { get; private set; }
    public DateTime? SentUtc { get; private set; }
    public string? ReceivedByName { get; private set; }
    public DateTime? ReceivedUtc { get; private set; }
    public string? ReturnComment { get; private set; }
    public string? ReturnedByName { get; private set; }
    public DateTime? ReturnedUtc { get; private set; }

    /// <summary>The client's id for the creating request: sent twice, stored once.</summary>
    public Guid? ClientId { get; private set; }

    private StageReport() { }

    public static StageReport Request(string division, DateOnly from, DateOnly to, string title, DateOnly due, string requestedBy,
        Guid? userId, string userName, Guid? clientId, DateTime now) =>
        new()
        {
            Id = Guid.CreateVersion7(), DivisionCode = division, FromOn = from, ToOn = to, Title = title, State = StageReportState.Requested,
            RequestedByDivision = requestedBy, DueOn = due, CreatedById = userId, CreatedByName = userName, CreatedUtc = now, ClientId = clientId,
        };

    public static StageReport Start(string division, DateOnly from, DateOnly to, string title, Guid? userId, string userName, Guid? clientId, DateTime now) =>
        new()
        {
            Id = Guid.CreateVersion7(), DivisionCode = division, FromOn = from, ToOn = to, Title = title, State = StageReportState.Draft,
            CreatedById = userId, CreatedByName = userName, CreatedUtc = now, ClientId = clientId,
        };

    public void LinkDeadline(Guid assignmentId) => AssignmentId = assignmentId;

    /// <summary>Whether the office may (re)generate and edit it: before sign-off, or after it came back.</summary>
    public bool Editable => State is StageReportState.Requested or StageReportState.Draft or StageReportState.Returned;

    public void Generate(string title, string narrative, string contentJson, string hash, Guid? userId, DateTime now)
    {
        Title = title;
        Narrative = narrative;
        ContentJson = contentJson;
        ContentHash = hash;
        Version++;
        GeneratedUtc = now;
        GeneratedById = userId;
        State = StageReportState.Draft;
        SignedById = null;
        SignedByName = null;
        SignedUtc = null;
    }

    public void SignOff(Guid? userId, string name, DateTime now)
    {
        State = StageReportState.SignedOff;
        SignedById = userId;
        SignedByName = name;
        SignedUtc = now;
    }

    public void Send(string name, DateTime now)
    {
        State = StageReportState.Sent;
        SentByName = name;
        SentUtc = now;
        ReturnComment = null;
        ReturnedByName = null;
        ReturnedUtc = null;
    }

    public void Receive(string name, DateTime now)
    {
        State = StageReportState.Received;
        ReceivedByName = name;
        ReceivedUtc = now;
    }

    public void Return(string comment, string name, DateTime now)
    {
        State = StageReportState.Returned;
        ReturnComment = comment;
        ReturnedByName = name;
        ReturnedUtc = now;
    }
}

public static class StageReportStates
{
    public static string Code(StageReportState s) => s switch
    {
        StageReportState.Requested => "requested",
        StageReportState.Draft => "draft",
        StageReportState.SignedOff => "signed",
        StageReportState.Sent => "sent",
        StageReportState.Received => "received",
        _ => "returned",
    };

    public static string Chinese(StageReportState s) => s switch
    {
        StageReportState.Requested => "待报送",
        StageReportState.Draft => "草稿",
        StageReportState.SignedOff => "已签发",
        StageReportState.Sent => "已报送",
        StageReportState.Received => "已接收",
        _ => "已退回",
    };
}
