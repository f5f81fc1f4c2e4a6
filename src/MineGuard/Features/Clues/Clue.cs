using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Clues;

public enum ClueState
{
    /// <summary>待分派: received, nobody verifies it yet.</summary>
    Received = 0,

    /// <summary>核查中: a named verifier must verify it by the deadline.</summary>
    Verifying = 1,

    /// <summary>已核查: the verifier's finding is recorded.</summary>
    Verified = 2,

    /// <summary>已办结: closed with an outcome.</summary>
    Closed = 3,

    /// <summary>已合并: its sources were moved to another clue.</summary>
    Merged = 4,
}

public enum ClueFinding
{
    /// <summary>属实</summary>
    True = 1,

    /// <summary>部分属实</summary>
    PartlyTrue = 2,

    /// <summary>不属实</summary>
    False = 3,
}

public enum ClueOutcome
{
    /// <summary>不予处理 (with a reason).</summary>
    NoAction = 1,

    /// <summary>转整改: an assignment of kind rectification.</summary>
    Rectification = 2,

    /// <summary>立案: closed by filing a case (Features/Cases), which the clue links (<see cref="Clue.CaseId"/>).</summary>
    Case = 3,

    /// <summary>移交: to another department or county, with who received it and when.</summary>
    Transferred = 4,
}

/// <summary>
/// 线索: one lead, whatever brought it in (a tip, a confirmed alert, a patrol finding, a petition, a media report, a
/// superior's assignment, a transfer, later satellite patches and analyses), kept as typed <see cref="ClueSource"/> rows.
/// received → verifying (a named person, a deadline on the one clock "clue-verify") → verified (属实/部分属实/不属实 with
/// evidence and the verifier's signature) → closed with an outcome. Every change writes a <see cref="ClueEntry"/>.
/// </summary>
public sealed class Clue : IInJurisdiction, IDepartmentShared<Clue>
{
    public const string ClockSubject = "clue-verify";

    /// <summary>A department officer sees the clues given to their department.</summary>
    public static System.Linq.Expressions.Expression<Func<Clue, string, bool, bool>> SharedWith { get; } =
        (c, dept, reward) => c.DepartmentCode == dept;

    private Clue() { }

    public Guid Id { get; private set; }

    /// <summary>Where it is (township, village or grid; the county when nothing finer is known).</summary>
    public string DivisionCode { get; private set; } = "";

    public Guid? AditId { get; private set; }
    public string Summary { get; private set; } = "";
    public string? DepartmentCode { get; private set; }
    public ClueState State { get; private set; }
    public Guid? MergedIntoId { get; private set; }
    public DateTime ReceivedUtc { get; private set; }

    public Guid? VerifierPersonId { get; private set; }
    public DateTime? VerifyDueUtc { get; private set; }
    public DateTime? AssignedUtc { get; private set; }

    public ClueFinding? Finding { get; private set; }
    public string? Evidence { get; private set; }

    /// <summary>The signature: who recorded the verification (name as signed) and when.</summary>
    public string? VerifiedByName { get; private set; }

    public Guid? VerifiedById { get; private set; }
    public DateTime? VerifiedUtc { get; private set; }

    public ClueOutcome? Outcome { get; private set; }
    public string? OutcomeNote { get; private set; }
    public Guid? AssignmentId { get; private set; }

    /// <summary>The case filed from this clue (outcome 立案).</summary>
    public Guid? CaseId { get; private set; }

    /// <summary>Persons the clue names, one a line: each must become a party of its case or be dismissed (人不漏案).</summary>
    public string? NamedPersons { get; private set; }

    public string? TransferredTo { get; private set; }
    public string? TransferReceivedBy { get; private set; }
    public DateTime? TransferReceivedUtc { get; private set; }
    public DateTime? ClosedUtc { get; private set; }
    public Guid? ClosedById { get; private set; }

    /// <summary>How many times its verification was escalated.</summary>
    public int EscalationLevel { get; private set; }

    public string CountyCode => DivisionCode.Length >= 6 ? DivisionCode[..6] : DivisionCode;

    public static Clue Receive(string divisionCode, Guid? aditId, string summary, string? departmentCode, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, AditId = aditId, Summary = summary, DepartmentCode = departmentCode,
        State = ClueState.Received, ReceivedUtc = nowUtc,
    };

    public void AssignVerifier(Guid personId, DateTime dueUtc, DateTime nowUtc)
    {
        Rule.Check(State is ClueState.Received or ClueState.Verifying, "ClueNotAssignable", "只有待分派或核查中的线索才能指定核查人");
        VerifierPersonId = personId;
        VerifyDueUtc = dueUtc;
        AssignedUtc = nowUtc;
        State = ClueState.Verifying;
    }

    public void Verify(ClueFinding finding, string evidence, string signedBy, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(State == ClueState.Verifying, "ClueNotVerifying", "只有核查中的线索才能登记核查结果，请先指定核查人");
        (Finding, Evidence, VerifiedByName, VerifiedById, VerifiedUtc, State) = (finding, evidence, signedBy, byUserId, nowUtc, ClueState.Verified);
    }

    public void Close(ClueOutcome outcome, string? note, Guid? assignmentId, string? transferredTo, string? receivedBy, DateTime? receivedUtc,
        Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(State is ClueState.Received or ClueState.Verifying or ClueState.Verified, "ClueClosed", "该线索已办结或已合并");
        Rule.Check(outcome is not (ClueOutcome.Rectification or ClueOutcome.Case) || State == ClueState.Verified,
            "ClueNotVerified", "转整改或立案前须先登记核查结果");
        (Outcome, OutcomeNote, AssignmentId, TransferredTo, TransferReceivedBy, TransferReceivedUtc) =
            (outcome, note, assignmentId, transferredTo, receivedBy, receivedUtc);
        (ClosedById, ClosedUtc, State) = (byUserId, nowUtc, ClueState.Closed);
    }

    /// <summary>立案: a case was filed from this verified clue; the clue closes with outcome case and links it.</summary>
    public void CloseWithCase(Guid caseId, string caseNumber, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(State == ClueState.Verified, "ClueNotVerified", "只有已核查的线索才能立案");
        Rule.Check(Finding is ClueFinding.True or ClueFinding.PartlyTrue, "ClueNotTrue", "核查不属实的线索不能立案");
        (Outcome, OutcomeNote, CaseId) = (ClueOutcome.Case, $"立案编号 {caseNumber}", caseId);
        (ClosedById, ClosedUtc, State) = (byUserId, nowUtc, ClueState.Closed);
    }

    public void NamePersons(string? names) => NamedPersons = names;

    public void MergeInto(Clue target)
    {
        Rule.Check(target.Id != Id, "ClueMergeSelf", "不能把线索合并到自己");
        Rule.Check(State is not (ClueState.Closed or ClueState.Merged) && target.State is not (ClueState.Closed or ClueState.Merged),
            "ClueMergeClosed", "已办结或已合并的线索不能合并");
        Rule.Check(CountyCode == target.CountyCode, "ClueMergeCounty", "只能合并同一县（市）的线索");
        MergedIntoId = target.Id;
        State = ClueState.Merged;
        target.AditId ??= AditId;
    }

    public void Escalated(int level) => EscalationLevel = Math.Max(EscalationLevel, level);
}

public static class ClueSourceTypes
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["tip"] = "群众举报", ["alert"] = "监控预警", ["patrol-finding"] = "巡查发现", ["petition"] = "信访", ["media"] = "媒体报道",
        ["superior"] = "上级交办", ["transfer"] = "部门/县市移交", ["satellite"] = "卫星图斑", ["analysis"] = "研判分析",
        ["meter"] = "电表异常", ["vehicle"] = "卡口车辆研判", ["inspection"] = "排查发现", ["explosives"] = "民爆物品/氰化钠闭环缺口",
    };

    public static string? Link(string type, Guid? id) => id is not { } x ? null : type switch
    {
        "tip" => $"/tips/{x}", "alert" => $"/alerts/{x}", "patrol-finding" => $"/patrols/check-ins/{x}", "petition" => $"/petitions/{x}",
        "meter" => $"/analysis/meter-findings/{x}", "inspection" => $"/rectifications/problems/{x}", _ => null,
    };
}

/// <summary>One source of a clue: its type, the id of the record it came from (where there is one) and a summary.</summary>
public sealed class ClueSource : IInJurisdiction
{
    private ClueSource() { }

    public Guid Id { get; private set; }
    public Guid ClueId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Type { get; private set; } = "";
    public Guid? SourceId { get; private set; }
    public string Summary { get; private set; } = "";
    public DateTime AddedUtc { get; private set; }

    public static ClueSource Create(Guid clueId, string divisionCode, string type, Guid? sourceId, string summary, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), ClueId = clueId, DivisionCode = divisionCode, Type = type, SourceId = sourceId, Summary = summary, AddedUtc = nowUtc,
    };

    public void MoveTo(Guid clueId) => ClueId = clueId;
}

/// <summary>A line of a clue's history (received, assigned, escalated, verified, closed, merged…).</summary>
public sealed class ClueEntry : IInJurisdiction
{
    private ClueEntry() { }

    public Guid Id { get; private set; }
    public Guid ClueId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public Guid? ByUserId { get; private set; }

    /// <summary>The line's column.</summary>
    public const int TextMax = 1000;

    public static ClueEntry Create(Clue clue, string kind, string text, Guid? byUserId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), ClueId = clue.Id, DivisionCode = clue.DivisionCode, Kind = kind,
        Text = Platform.Web.StoredValueLimits.Cut(text, TextMax), AtUtc = nowUtc, ByUserId = byUserId,
    };
}
