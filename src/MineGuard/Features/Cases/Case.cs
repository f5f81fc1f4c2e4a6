using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Cases;

/// <summary>
/// Where a case stands. Administrative track: investigation → penalty notice (the party's 陈述申辩/听证 time) → decision
/// → execution → closed. Transfer track (State Council order 310): reported → approved → handed over → police decided
/// (an appeal/复议 when they refuse).
/// </summary>
public enum CaseStage
{
    /// <summary>调查取证</summary>
    Investigation = 0,

    /// <summary>行政处罚事先告知 (the party's time to state a defence or ask for a hearing)</summary>
    PenaltyNotice = 1,

    /// <summary>行政处罚决定</summary>
    Decision = 2,

    /// <summary>执行</summary>
    Execution = 3,

    /// <summary>结案</summary>
    Closed = 4,

    /// <summary>移送审批 (the head approves or refuses within 3 days of the report)</summary>
    TransferReported = 10,

    /// <summary>待移送 (approved: handed over within 24 hours)</summary>
    TransferApproved = 11,

    /// <summary>已移送 (the police decide within 3 days of receipt)</summary>
    Transferred = 12,

    /// <summary>公安已决定</summary>
    PoliceDecided = 13,

    /// <summary>复议中 (an appeal of the police's refusal)</summary>
    Appealed = 14,
}

/// <summary>
/// 案件: a case filed from verified clues or directly (a superior's assignment), numbered by the county's pattern, handled by
/// one department with at least two of its officers; its stages are assignments on the one clock. Seen by the office,
/// leaders and administrators in scope, the handling department, and the discipline commission once referred.
/// </summary>
public sealed class Case : IInJurisdiction, IDepartmentShared<Case>
{
    public static System.Linq.Expressions.Expression<Func<Case, string, bool, bool>> SharedWith { get; } =
        (c, dept, reward) => c.DepartmentCode == dept || (dept == Department.Discipline && c.ReferredUtc != null);

    private Case() { }

    public Guid Id { get; private set; }

    /// <summary>Where the case is filed (the county, or a township when it is known).</summary>
    public string DivisionCode { get; private set; } = "";

    public string CountyCode { get; private set; } = "";
    public int Year { get; private set; }
    public int Seq { get; private set; }

    /// <summary>立案编号, e.g. 嵩自然资立〔2026〕12号: unique.</summary>
    public string Number { get; private set; } = "";

    /// <summary><see cref="CaseTypes"/>.</summary>
    public string Type { get; private set; } = "";

    public string Title { get; private set; } = "";
    public string? Facts { get; private set; }
    public string DepartmentCode { get; private set; } = "";

    /// <summary>"clue" (filed from verified clues) or "superior" (a superior's assignment).</summary>
    public string Source { get; private set; } = "";

    public string? SourceNote { get; private set; }

    /// <summary>The client's id of the filing request: the same id sent twice files one case.</summary>
    public Guid? ClientId { get; private set; }

    public CaseStage Stage { get; private set; }
    public DateOnly FiledOn { get; private set; }
    public DateTime FiledUtc { get; private set; }
    public Guid? FiledById { get; private set; }

    /// <summary>The assignment of the current stage (on the clock).</summary>
    public Guid? StageAssignmentId { get; private set; }

    /// <summary>行政处罚法 art. 60: the decision within 90 days of filing, unless an approved extension says otherwise.</summary>
    public DateOnly DecisionDueOn { get; private set; }

    public DateOnly? ExtendedTo { get; private set; }
    public string? ExtensionReason { get; private set; }
    public string? ExtensionApprovedBy { get; private set; }

    public DateOnly? NoticeOn { get; private set; }
    public DateOnly? DefenceDueOn { get; private set; }
    public string? NoticeText { get; private set; }
    public DateOnly? DecisionOn { get; private set; }
    public string? DecisionText { get; private set; }
    public double? FineYuan { get; private set; }
    public DateOnly? ExecutedOn { get; private set; }
    public string? ExecutionNote { get; private set; }
    public DateTime? ClosedUtc { get; private set; }

    public DateTime? TransferReportedUtc { get; private set; }
    public DateTime? TransferDecidedUtc { get; private set; }
    public string? TransferDecidedBy { get; private set; }
    public string? TransferRefusedReason { get; private set; }
    public DateTime? HandedOverUtc { get; private set; }
    public string? TransferMaterials { get; private set; }
    public string? PoliceUnit { get; private set; }
    public DateTime? PoliceReceivedUtc { get; private set; }
    public string? ReceiptNumber { get; private set; }
    public string? PoliceCaseNumber { get; private set; }

    /// <summary>"accepted" (立案侦查) or "refused" (不予立案).</summary>
    public string? PoliceDecision { get; private set; }

    public DateTime? PoliceDecidedUtc { get; private set; }
    public DateTime? AppealedUtc { get; private set; }
    public string? AppealResult { get; private set; }

    /// <summary>Referred to the discipline commission (纪委监委): from then on visible to it.</summary>
    public DateTime? ReferredUtc { get; private set; }

    public string? ReferralReason { get; private set; }

    public static Case File(string divisionCode, int year, int seq, string number, string type, string title, string? facts, string departmentCode,
        string source, string? sourceNote, Guid? clientId, DateOnly filedOn, Guid? byUserId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, CountyCode = divisionCode[..6], Year = year, Seq = seq, Number = number, Type = type,
        Title = title, Facts = facts, DepartmentCode = departmentCode, Source = source, SourceNote = sourceNote, ClientId = clientId,
        Stage = CaseStage.Investigation, FiledOn = filedOn, FiledUtc = nowUtc, FiledById = byUserId, DecisionDueOn = filedOn.AddDays(90),
    };

    public bool IsOpen => Stage != CaseStage.Closed;

    public DateOnly DecisionDeadline => ExtendedTo ?? DecisionDueOn;

    public void Renumber(int seq, string number) => (Seq, Number) = (seq, number);

    public void OnStage(CaseStage stage, Guid? assignmentId) => (Stage, StageAssignmentId) = (stage, assignmentId);

    public void Extend(DateOnly to, string reason, string approvedBy)
    {
        Rule.Check(Stage is CaseStage.Investigation or CaseStage.PenaltyNotice, "CaseExtendStage", "只有调查或告知阶段的案件才能延长办案期限");
        Rule.Check(to > DecisionDeadline, "CaseExtendEarlier", "延长后的期限须晚于现在的期限");
        (ExtendedTo, ExtensionReason, ExtensionApprovedBy) = (to, reason, approvedBy);
    }

    public void Notice(DateOnly on, DateOnly defenceDue, string text)
    {
        Rule.Check(Stage == CaseStage.Investigation, "CaseNoticeStage", "只有调查取证阶段的案件才能送达行政处罚事先告知书");
        (NoticeOn, DefenceDueOn, NoticeText) = (on, defenceDue, text);
    }

    public void Decide(DateOnly on, string text, double? fine)
    {
        Rule.Check(Stage is CaseStage.Investigation or CaseStage.PenaltyNotice, "CaseDecisionStage", "案件不在可作出处罚决定的阶段");
        Rule.Check(NoticeOn is not null, "CaseDecisionNeedsNotice", "作出行政处罚决定前须先告知当事人拟处罚内容及陈述申辩、听证的权利");
        Rule.Check(on >= FiledOn, "CaseDecisionBeforeFiling", "决定日期不能早于立案日期");
        Rule.Check(on <= DecisionDeadline, "CaseDecisionLate",
            $"决定日期晚于立案之日起 90 日（{DecisionDeadline:yyyy-MM-dd}），须先登记经批准的延期及理由");
        (DecisionOn, DecisionText, FineYuan) = (on, text, fine);
    }

    public void Execute(DateOnly on, string note)
    {
        Rule.Check(Stage == CaseStage.Decision, "CaseExecuteStage", "只有已作出处罚决定的案件才能登记执行");
        (ExecutedOn, ExecutionNote) = (on, note);
    }

    public void Close(DateTime nowUtc)
    {
        Rule.Check(Stage is CaseStage.Execution or CaseStage.PoliceDecided, "CaseCloseStage", "只有已执行完毕或公安机关已作出决定的案件才能结案");
        ClosedUtc = nowUtc;
    }

    public void ReportTransfer(DateTime nowUtc)
    {
        Rule.Check(Stage is CaseStage.Investigation or CaseStage.PenaltyNotice, "CaseTransferStage", "只有调查或告知阶段的案件才能报请移送");
        TransferReportedUtc = nowUtc;
        (TransferDecidedUtc, TransferDecidedBy, TransferRefusedReason) = (null, null, null);
    }

    public void DecideTransfer(bool approved, string by, string? reason, DateTime nowUtc)
    {
        Rule.Check(Stage == CaseStage.TransferReported, "CaseTransferNotReported", "案件未报请移送，不能审批");
        (TransferDecidedUtc, TransferDecidedBy, TransferRefusedReason) = (nowUtc, by, approved ? null : reason);
    }

    public void HandOver(string policeUnit, string materials, DateTime nowUtc)
    {
        Rule.Check(Stage == CaseStage.TransferApproved, "CaseHandOverStage", "移送未经批准，不能移交");
        (PoliceUnit, TransferMaterials, HandedOverUtc) = (policeUnit, materials, nowUtc);
    }

    public void Receipt(string receiptNumber, DateTime receivedUtc)
    {
        Rule.Check(Stage == CaseStage.Transferred, "CaseReceiptStage", "案件尚未移交公安机关");
        (ReceiptNumber, PoliceReceivedUtc) = (receiptNumber, receivedUtc);
    }

    public void PoliceDecide(string decision, string? policeCaseNumber, DateTime nowUtc)
    {
        Rule.Check(Stage is CaseStage.Transferred or CaseStage.Appealed, "CasePoliceStage", "案件未移交公安机关或不在复议中");
        Rule.Check(PoliceReceivedUtc is not null, "CasePoliceNoReceipt", "请先登记公安机关的接收回执");
        if (Stage == CaseStage.Appealed) AppealResult = decision;
        (PoliceDecision, PoliceCaseNumber, PoliceDecidedUtc) = (decision, policeCaseNumber ?? PoliceCaseNumber, nowUtc);
    }

    public void Appeal(DateTime nowUtc)
    {
        Rule.Check(Stage == CaseStage.PoliceDecided && PoliceDecision == "refused", "CaseAppealStage", "只有公安机关决定不予立案的案件才能提请复议");
        Rule.Check(AppealedUtc is null, "CaseAppealTwice", "该案件已提请过复议");
        AppealedUtc = nowUtc;
    }

    public void Refer(string reason, DateTime nowUtc)
    {
        Rule.Check(ReferredUtc is null, "CaseReferredTwice", "该案件已移送纪委监委");
        (ReferredUtc, ReferralReason) = (nowUtc, reason);
    }
}

/// <summary>The case types: codes in English, the Chinese names in this one place.</summary>
public static class CaseTypes
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["unlicensed"] = "无证开采", ["beyond-boundary"] = "越界开采", ["mining-as-exploring"] = "以采代探", ["reopened-adit"] = "擅自启封废弃矿井",
        ["stolen-ore-trade"] = "收购/运输/销售盗采矿产品", ["facilitating"] = "为盗采提供条件", ["other"] = "其他",
    };

    /// <summary>Theft cases: their parties must reach the key-person ledger (人不漏案).</summary>
    public static bool IsTheft(string type) => type is "unlicensed" or "beyond-boundary" or "mining-as-exploring" or "reopened-adit" or "stolen-ore-trade";
}

/// <summary>A case's handling officer (a user of the handling department) — two at least.</summary>
public sealed class CaseOfficer : IInJurisdiction
{
    private CaseOfficer() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid UserId { get; private set; }

    public static CaseOfficer Create(Case c, Guid userId) => new() { Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, UserId = userId };
}

/// <summary>What a case involves: an adit, a licensed mine, or a clue it was filed from.</summary>
public sealed class CaseLink : IInJurisdiction
{
    private CaseLink() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";

    /// <summary>"adit", "mine" or "clue".</summary>
    public string Kind { get; private set; } = "";

    public Guid TargetId { get; private set; }

    public static CaseLink Create(Case c, string kind, Guid targetId) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Kind = kind, TargetId = targetId,
    };
}

/// <summary>A line of a case's history (filed, officer, party, evidence, seizure, stage, transfer, referral…).</summary>
public sealed class CaseEntry : IInJurisdiction
{
    private CaseEntry() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public Guid? ByUserId { get; private set; }

    /// <summary>The line's column.</summary>
    public const int TextMax = 1000;

    public static CaseEntry Create(Case c, string kind, string text, Guid? byUserId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Kind = kind,
        Text = Platform.Web.StoredValueLimits.Cut(text, TextMax), AtUtc = nowUtc, ByUserId = byUserId,
    };
}

/// <summary>当事人: a person (linked to the key-person ledger or added, ID number protected) or a unit (credit code).</summary>
public sealed class CaseParty : IInJurisdiction
{
    private CaseParty() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";

    /// <summary>"person" or "unit".</summary>
    public string Kind { get; private set; } = "";

    public string Name { get; private set; } = "";
    public Guid? KeyPersonId { get; private set; }

    [AuditHidden]
    public string? IdNumberProtected { get; private set; }

    [AuditHidden]
    public string? IdNumberHash { get; private set; }
    public string? IdNumberLast4 { get; private set; }

    /// <summary>统一社会信用代码 of a unit.</summary>
    public string? CreditCode { get; private set; }

    public string? Role { get; private set; }
    public DateTime AddedUtc { get; private set; }

    public static CaseParty Person(Case c, string name, Guid? keyPersonId, string? idProtected, string? idHash, string? last4, string? role, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Kind = "person", Name = name, KeyPersonId = keyPersonId,
        IdNumberProtected = idProtected, IdNumberHash = idHash, IdNumberLast4 = last4, Role = role, AddedUtc = nowUtc,
    };

    public static CaseParty Unit(Case c, string name, string creditCode, string? role, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Kind = "unit", Name = name, CreditCode = creditCode, Role = role,
        AddedUtc = nowUtc,
    };

    public void LinkKeyPerson(Guid keyPersonId) => KeyPersonId = keyPersonId;
}

/// <summary>
/// A person named in the case's records who is deliberately not a party (人不漏案): the name, the reason and who decided.
/// Also records a party of a closed theft case left off the key-person ledger (<see cref="PartyId"/> set).
/// </summary>
public sealed class CaseDismissal : IInJurisdiction
{
    private CaseDismissal() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Guid? PartyId { get; private set; }
    public string Reason { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public Guid? ByUserId { get; private set; }

    public static CaseDismissal Create(Case c, string name, Guid? partyId, string reason, Guid? byUserId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Name = name, PartyId = partyId, Reason = reason, ByUserId = byUserId, AtUtc = nowUtc,
    };
}

/// <summary>证据: an item with its file (hash kept), who collected it, when and where; never deleted, only withdrawn with a reason.</summary>
public sealed class CaseEvidence : IInJurisdiction
{
    private CaseEvidence() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Title { get; private set; } = "";
    public Guid? StoredFileId { get; private set; }
    public string? FileName { get; private set; }
    public string? ContentType { get; private set; }
    public string? Sha256 { get; private set; }
    public string CollectedBy { get; private set; } = "";
    public DateTime CollectedUtc { get; private set; }
    public string Place { get; private set; } = "";

    /// <summary>Who holds it now (the custody log's last hand-over).</summary>
    public string Holder { get; private set; } = "";

    /// <summary>Persons named in it, one a line (人不漏案).</summary>
    public string? NamedPersons { get; private set; }

    public DateTime AddedUtc { get; private set; }
    public DateTime? WithdrawnUtc { get; private set; }
    public string? WithdrawReason { get; private set; }

    public static CaseEvidence Create(Case c, string title, string collectedBy, DateTime collectedUtc, string place, string? namedPersons, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Title = title, CollectedBy = collectedBy, CollectedUtc = collectedUtc,
        Place = place, Holder = collectedBy, NamedPersons = namedPersons, AddedUtc = nowUtc,
    };

    public void Attach(Guid storedFileId, string fileName, string contentType, string sha256) =>
        (StoredFileId, FileName, ContentType, Sha256) = (storedFileId, fileName, contentType, sha256);

    public void HandTo(string holder)
    {
        Rule.Check(WithdrawnUtc is null, "EvidenceWithdrawn", "该证据已撤回");
        Holder = holder;
    }

    public void Withdraw(string reason, DateTime nowUtc)
    {
        Rule.Check(WithdrawnUtc is null, "EvidenceWithdrawn", "该证据已撤回");
        (WithdrawnUtc, WithdrawReason) = (nowUtc, reason);
    }
}

/// <summary>证据保管交接: every hand-over of an evidence item.</summary>
public sealed class CaseCustody : IInJurisdiction
{
    private CaseCustody() { }

    public Guid Id { get; private set; }
    public Guid EvidenceId { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string FromHolder { get; private set; } = "";
    public string ToHolder { get; private set; } = "";
    public string? Note { get; private set; }
    public DateTime AtUtc { get; private set; }
    public Guid? ByUserId { get; private set; }

    public static CaseCustody Create(CaseEvidence e, string from, string to, string? note, Guid? byUserId, DateTime atUtc) => new()
    {
        Id = Guid.CreateVersion7(), EvidenceId = e.Id, CaseId = e.CaseId, DivisionCode = e.DivisionCode, FromHolder = from, ToHolder = to, Note = note,
        ByUserId = byUserId, AtUtc = atUtc,
    };
}

/// <summary>涉案财物: ore (kg, value, how valued), tools, vehicles (plate), explosives; where kept, by whom; disposal.</summary>
public sealed class CaseSeizure : IInJurisdiction
{
    private CaseSeizure() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";

    /// <summary>"ore", "tool", "vehicle" or "explosive".</summary>
    public string Kind { get; private set; } = "";

    public string Description { get; private set; } = "";
    public double? WeightKg { get; private set; }
    public double? ValueYuan { get; private set; }
    public string? ValuedBy { get; private set; }
    public string? Plate { get; private set; }
    public int? Quantity { get; private set; }
    public string StoragePlace { get; private set; } = "";
    public string Keeper { get; private set; } = "";
    public string? NamedPersons { get; private set; }
    public DateTime SeizedUtc { get; private set; }

    /// <summary>"returned", "confiscated", "auctioned" or "destroyed".</summary>
    public string? Disposal { get; private set; }

    public DateOnly? DisposedOn { get; private set; }
    public string? DisposalDocument { get; private set; }

    public static CaseSeizure Create(Case c, string kind, string description, double? weightKg, double? valueYuan, string? valuedBy, string? plate,
        int? quantity, string storagePlace, string keeper, string? namedPersons, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), CaseId = c.Id, DivisionCode = c.DivisionCode, Kind = kind, Description = description, WeightKg = weightKg,
        ValueYuan = valueYuan, ValuedBy = valuedBy, Plate = plate, Quantity = quantity, StoragePlace = storagePlace, Keeper = keeper,
        NamedPersons = namedPersons, SeizedUtc = nowUtc,
    };

    public void Dispose(string disposal, DateOnly on, string document)
    {
        Rule.Check(Disposal is null, "SeizureDisposed", "该财物已处置");
        (Disposal, DisposedOn, DisposalDocument) = (disposal, on, document);
    }
}
