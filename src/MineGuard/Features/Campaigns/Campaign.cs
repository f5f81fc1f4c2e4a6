using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

/// <summary>The level a campaign is run at: the national plan, or a province, city or county adopting the one above.</summary>
public static class CampaignLevels
{
    public const string National = "national";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [National] = "全国", ["province"] = "省级", ["city"] = "市级", ["county"] = "县级",
    };

    /// <summary>By the division code's length: "" national, 2 province, 4 city, 6 county; anything else is no level.</summary>
    public static string? Of(string divisionCode) => divisionCode.Length switch
    {
        0 => National, 2 => "province", 4 => "city", 6 => "county", _ => null,
    };
}

/// <summary>
/// 专项行动: a campaign run at one level — the national plan (division ""), or a province, city or county campaign
/// adopting the one above it (<see cref="ParentId"/>) with its own plan document and tasks. Its phases are copied from the
/// campaign it adopts, so each level reports on its own phases (自然资发〔2022〕61号: four phases, each with a report day).
/// </summary>
public sealed class Campaign : IInJurisdiction
{
    private Campaign() { }

    public Guid Id { get; private set; }

    /// <summary>The level's division: "" for the national plan, a province, city or county code.</summary>
    public string DivisionCode { get; private set; } = "";

    public string Level { get; private set; } = "";
    public Guid? ParentId { get; private set; }
    public string Title { get; private set; } = "";

    /// <summary>文号 of the plan (e.g. 自然资发〔2022〕61号).</summary>
    public string? DocumentNumber { get; private set; }

    /// <summary>The plan document (实施方案), a stored file.</summary>
    public Guid? PlanFileId { get; private set; }

    public string? PlanFileName { get; private set; }
    public bool IsDemo { get; private set; }
    public Guid? ClientId { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    public static Campaign Create(string divisionCode, Guid? parentId, string title, string? documentNumber, Guid? clientId, bool isDemo,
        Guid? createdById, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Level = CampaignLevels.Of(divisionCode) ?? "", ParentId = parentId, Title = title,
        DocumentNumber = documentNumber, ClientId = clientId, IsDemo = isDemo, CreatedById = createdById, CreatedUtc = nowUtc,
    };

    public void AttachPlan(Guid fileId, string fileName) => (PlanFileId, PlanFileName) = (fileId, fileName);
}

/// <summary>阶段: dates and the day its report is due (报告期限), which must fall within the phase.</summary>
public sealed class CampaignPhase : IInJurisdiction
{
    private CampaignPhase() { }

    public Guid Id { get; private set; }
    public Guid CampaignId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public int Ordinal { get; private set; }
    public string Name { get; private set; } = "";
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public DateOnly ReportDueOn { get; private set; }

    /// <summary>The report's assignment (kind report) on the one clock, for an adopting level.</summary>
    public Guid? ReportAssignmentId { get; private set; }

    public static CampaignPhase Create(Campaign c, int ordinal, string name, DateOnly startsOn, DateOnly endsOn, DateOnly reportDueOn)
    {
        Rule.Check(endsOn >= startsOn, "CampaignPhaseEndsBeforeStart", "阶段结束日期不能早于开始日期");
        Rule.Check(reportDueOn >= startsOn && reportDueOn <= endsOn, "CampaignReportOutsidePhase", "报告期限须在阶段起止日期之内");
        return new()
        {
            Id = Guid.CreateVersion7(), CampaignId = c.Id, DivisionCode = c.DivisionCode, Ordinal = ordinal, Name = name, StartsOn = startsOn,
            EndsOn = endsOn, ReportDueOn = reportDueOn,
        };
    }

    public void ReportOnClock(Guid assignmentId) => ReportAssignmentId = assignmentId;
}

/// <summary>任务: a task of a phase given to a department in a division, tracked as an assignment (kind campaign-task).</summary>
public sealed class CampaignTask : IInJurisdiction
{
    private CampaignTask() { }

    public Guid Id { get; private set; }
    public Guid CampaignId { get; private set; }
    public Guid PhaseId { get; private set; }

    /// <summary>The division the task is given to (within the campaign's).</summary>
    public string DivisionCode { get; private set; } = "";

    public string? DepartmentCode { get; private set; }
    public string Title { get; private set; } = "";
    public DateOnly DueOn { get; private set; }
    public Guid AssignmentId { get; private set; }
    public Guid? ClientId { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    public static CampaignTask Create(Guid id, Campaign c, CampaignPhase p, string divisionCode, string? departmentCode, string title, DateOnly dueOn,
        Guid assignmentId, Guid? clientId, DateTime nowUtc) => new()
    {
        Id = id, CampaignId = c.Id, PhaseId = p.Id, DivisionCode = divisionCode, DepartmentCode = departmentCode, Title = title, DueOn = dueOn,
        AssignmentId = assignmentId, ClientId = clientId, CreatedUtc = nowUtc,
    };
}

/// <summary>阶段报告: the level's report on a phase — a submitted file and figures (until the supervision issue's stage reports).</summary>
public sealed class CampaignReport : IInJurisdiction
{
    private CampaignReport() { }

    public Guid Id { get; private set; }
    public Guid CampaignId { get; private set; }
    public Guid PhaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid FileId { get; private set; }
    public string FileName { get; private set; } = "";

    /// <summary>排查矿硐数, 发现问题数, 整改完成数, 立案数.</summary>
    public int Adits { get; private set; }

    public int Problems { get; private set; }
    public int Rectified { get; private set; }
    public int Cases { get; private set; }
    public string? Note { get; private set; }
    public bool Late { get; private set; }
    public Guid? SubmittedById { get; private set; }
    public DateTime SubmittedUtc { get; private set; }

    public static CampaignReport Create(Guid id, CampaignPhase p, Guid fileId, string fileName, int adits, int problems, int rectified, int cases, string? note,
        bool late, Guid? byId, DateTime nowUtc) => new()
    {
        Id = id, CampaignId = p.CampaignId, PhaseId = p.Id, DivisionCode = p.DivisionCode, FileId = fileId, FileName = fileName,
        Adits = adits, Problems = problems, Rectified = rectified, Cases = cases, Note = note, Late = late, SubmittedById = byId, SubmittedUtc = nowUtc,
    };
}
