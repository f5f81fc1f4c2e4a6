using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

/// <summary>
/// 排查行动: a named sweep of a division (usually a county) over a period, on one checklist (the eight checks unless an
/// office's own template is named), by area (townships, villages, grids), each area given to persons or teams. A 回头看
/// (kind look-back) names the earlier sweep whose closed problems it re-inspects.
/// </summary>
public sealed class Sweep : IInJurisdiction
{
    private Sweep() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary><see cref="SweepKinds"/>: sweep (排查) or look-back (回头看).</summary>
    public string Kind { get; private set; } = SweepKinds.Sweep;

    public Guid? EarlierSweepId { get; private set; }
    public DateOnly FromDate { get; private set; }
    public DateOnly ToDate { get; private set; }

    /// <summary>The office's template; null = the built-in eight checks (<see cref="Checklists.EightChecksId"/>).</summary>
    public Guid? TemplateId { get; private set; }

    public DateTime CreatedUtc { get; private set; }
    public Guid? CreatedById { get; private set; }
    public List<SweepArea> Areas { get; private set; } = [];

    public static Sweep Create(string divisionCode, string name, string kind, Guid? earlierSweepId, DateOnly from, DateOnly to, Guid? templateId,
        Guid? byUserId, DateTime nowUtc, Guid? id = null) => new()
    {
        Id = id ?? Guid.CreateVersion7(), DivisionCode = divisionCode, Name = name, Kind = kind, EarlierSweepId = earlierSweepId, FromDate = from,
        ToDate = to, TemplateId = templateId, CreatedById = byUserId, CreatedUtc = nowUtc,
    };
}

/// <summary>One area of a sweep (a township, village or grid) and who sweeps it (persons or teams, as the office writes them).</summary>
public sealed class SweepArea : IInJurisdiction
{
    private SweepArea() { }

    public Guid Id { get; private set; }
    public Guid SweepId { get; private set; }

    /// <summary>The area's division code (filed there, so a township's people see their area of a county's sweep).</summary>
    public string DivisionCode { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>排查人员/队伍.</summary>
    public string? Assignees { get; private set; }

    public static SweepArea Create(Guid sweepId, string divisionCode, string name, string? assignees) => new()
    {
        Id = Guid.CreateVersion7(), SweepId = sweepId, DivisionCode = divisionCode, Name = name, Assignees = assignees,
    };
}

public static class SweepKinds
{
    public const string Sweep = "sweep";
    public const string LookBack = "look-back";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string> { [Sweep] = "排查", [LookBack] = "回头看" };
}

/// <summary>
/// 检查表模板: an office's own checklist (a name and its questions, each asked as "is there this problem: 有/无"). The
/// eight checks are the built-in default and are not stored (<see cref="Checklists"/>).
/// </summary>
public sealed class ChecklistTemplate : IInJurisdiction
{
    private ChecklistTemplate() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>The questions, one a line (keys q1, q2… in that order).</summary>
    public string Questions { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }
    public Guid? CreatedById { get; private set; }

    public IReadOnlyList<string> QuestionList => Questions.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static ChecklistTemplate Create(string divisionCode, string name, IEnumerable<string> questions, Guid? byUserId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Name = name, Questions = string.Join('\n', questions), CreatedById = byUserId,
        CreatedUtc = nowUtc,
    };
}

/// <summary>
/// 检查记录: one place inspected (an adit, a mine, a village, a coal yard, a road section), the checklist's answers (JSON
/// object key → true = 有, the problem is there), position, photos (evidence files of subject "inspection"), who
/// inspected and who signed (谁排查谁签字). The id is the client's: the same id with the same content is stored once,
/// with other content refused (<see cref="PayloadHash"/>).
/// </summary>
public sealed class Inspection : IInJurisdiction
{
    public const string FileSubject = "inspection";

    private Inspection() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid? SweepId { get; private set; }

    /// <summary><see cref="PlaceKinds"/>.</summary>
    public string PlaceKind { get; private set; } = "";

    public Guid? AditId { get; private set; }
    public Guid? MineId { get; private set; }
    public string PlaceName { get; private set; } = "";
    public double? Lon { get; private set; }
    public double? Lat { get; private set; }
    public Guid? TemplateId { get; private set; }
    public string Answers { get; private set; } = "{}";
    public string? Note { get; private set; }
    public Guid? InspectorId { get; private set; }
    public string InspectorName { get; private set; } = "";
    public string SignerName { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public DateTime ReceivedUtc { get; private set; }
    public string PayloadHash { get; private set; } = "";

    public static Inspection Create(Guid id, string divisionCode, Guid? sweepId, string placeKind, Guid? aditId, Guid? mineId, string placeName,
        double? lon, double? lat, Guid? templateId, string answers, string? note, Guid? inspectorId, string inspectorName, string signerName,
        DateTime atUtc, DateTime receivedUtc, string payloadHash) => new()
    {
        Id = id, DivisionCode = divisionCode, SweepId = sweepId, PlaceKind = placeKind, AditId = aditId, MineId = mineId, PlaceName = placeName,
        Lon = lon, Lat = lat, TemplateId = templateId, Answers = answers, Note = note, InspectorId = inspectorId, InspectorName = inspectorName,
        SignerName = signerName, AtUtc = atUtc, ReceivedUtc = receivedUtc, PayloadHash = payloadHash,
    };

    /// <summary>The inspection a row of an imported ledger stands for: where, when, who found the problem and who signed.</summary>
    public static Inspection FromLedger(string divisionCode, string place, DateTime foundUtc, string foundBy, string signer, string? note,
        DateTime receivedUtc) =>
        Create(Guid.CreateVersion7(), divisionCode, null, PlaceKinds.Ledger, null, null, place, null, null, null, "{}", note, null, foundBy, signer,
            foundUtc, receivedUtc, "");
}

public static class PlaceKinds
{
    /// <summary>An inspection standing for a row of an imported ledger (not a kind the field app or the form offers).</summary>
    public const string Ledger = "ledger";

    public static string NameOf(string kind) => kind == Ledger ? "台账导入" : Names.GetValueOrDefault(kind, kind);

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["adit"] = "矿硐", ["mine"] = "矿山", ["village"] = "村庄", ["coal-yard"] = "煤场/堆场", ["road"] = "路段",
    };
}

/// <summary>
/// 问题台账: one problem an inspection found, classified, located, linked to the adit, mine or clue it concerns, signed by
/// whoever found it. A lead (someone digging) becomes a clue (<see cref="ClueId"/>); any other problem can become a
/// rectification item (an assignment of kind rectification, <see cref="AssignmentId"/>) with its requirement and
/// measures. <see cref="Repeats"/> counts the times its item was reopened after 销号.
/// </summary>
public sealed class Problem : IInJurisdiction
{
    private Problem() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid InspectionId { get; private set; }
    public Guid? SweepId { get; private set; }

    /// <summary>Its order in the inspection (1, 2…): a resent inspection makes the same problems.</summary>
    public int Seq { get; private set; }

    /// <summary><see cref="ProblemClasses"/>.</summary>
    public string Classification { get; private set; } = "";

    public string Description { get; private set; } = "";
    public string Place { get; private set; } = "";
    public Guid? AditId { get; private set; }
    public Guid? MineId { get; private set; }
    public Guid? ClueId { get; private set; }
    public Guid? CaseId { get; private set; }
    public bool IsLead { get; private set; }
    public DateTime FoundUtc { get; private set; }
    public Guid? FoundById { get; private set; }
    public string FoundByName { get; private set; } = "";
    public string SignerName { get; private set; } = "";
    public Guid? AssignmentId { get; private set; }

    /// <summary>整改要求.</summary>
    public string? Requirement { get; private set; }

    /// <summary>整改措施 (as the office set them with the item).</summary>
    public string? Measures { get; private set; }

    public int Repeats { get; private set; }

    /// <summary>The ledger import that brought it in (the upward layout, <c>mineguard import problems</c>); undone with its batch.</summary>
    public Guid? ImportBatchId { get; private set; }

    public static Problem Create(Guid id, Inspection inspection, int seq, string classification, string description, string place, Guid? clueId,
        bool isLead) => new()
    {
        Id = id, DivisionCode = inspection.DivisionCode, InspectionId = inspection.Id, SweepId = inspection.SweepId, Seq = seq,
        Classification = classification, Description = description, Place = place, AditId = inspection.AditId, MineId = inspection.MineId,
        ClueId = clueId, IsLead = isLead, FoundUtc = inspection.AtUtc, FoundById = inspection.InspectorId, FoundByName = inspection.InspectorName,
        SignerName = inspection.SignerName,
    };

    /// <summary>
    /// A problem from a ledger in the upward layout: its own inspection (<see cref="Inspection.FromLedger"/>) stands for
    /// the row (who found it, where and when), the measures as the ledger wrote them.
    /// </summary>
    public static Problem FromLedger(Inspection inspection, string description, string? measures, Guid batchId)
    {
        var p = Create(Guid.CreateVersion7(), inspection, 1, "other", description, inspection.PlaceName, null, false);
        (p.Measures, p.ImportBatchId) = (measures, batchId);
        return p;
    }

    public void BecameClue(Guid clueId) => ClueId = clueId;

    public void Rectify(Guid assignmentId, string requirement, string? measures)
    {
        Rule.Check(!IsLead, "ProblemIsLead", "该问题是盗采线索，已转为线索核查，不能再列为整改事项");
        Rule.Check(AssignmentId is null, "ProblemAlreadyRectifying", "该问题已列入整改台账");
        (AssignmentId, Requirement, Measures) = (assignmentId, requirement, measures);
    }

    /// <summary>Its item came back after 销号 (a repeat).</summary>
    public void Repeated() => Repeats++;
}

public static class ProblemClasses
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["seal"] = "封堵不到位", ["digging"] = "盗采迹象", ["equipment"] = "设备与用电", ["transport"] = "运输与堆放", ["management"] = "管理责任",
        ["safety"] = "安全隐患", ["other"] = "其他",
    };
}
