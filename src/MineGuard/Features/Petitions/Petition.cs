using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Petitions;

/// <summary>The nature of a petition about mining, which decides the responsible department (<see cref="PetitionRouting"/>).</summary>
public enum PetitionNature
{
    IllegalMining = 1,
    Explosives = 2,
    Violence = 3,
    Forest = 4,
    Pollution = 5,
    PowerSupply = 6,
    Officials = 7,
    Other = 8,
}

public enum PetitionStatus
{
    /// <summary>已转办: routed to the responsible department, waiting for its reply.</summary>
    Routed = 0,

    /// <summary>已答复</summary>
    Replied = 1,

    /// <summary>已归档</summary>
    Archived = 2,
}

/// <summary>
/// 信访事项 about mining, received by the petitions office: recorded, routed by nature to the responsible department,
/// tracked to a reply, the reply recorded, archived. Overdue items escalate on the one clock (<see cref="PetitionEscalation"/>).
/// </summary>
public sealed class Petition : IInJurisdiction, IDepartmentShared<Petition>
{
    /// <summary>The petitions bureau (信访局) sees every petition; another department only those handed to it.</summary>
    public static System.Linq.Expressions.Expression<Func<Petition, string, bool, bool>> SharedWith { get; } =
        (p, dept, _) => p.DepartmentCode == dept || dept == Department.Petitions;

    private Petition() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Number { get; private set; } = "";
    public DateOnly ReceivedOn { get; private set; }
    public string? Petitioner { get; private set; }
    public string? Contact { get; private set; }
    public PetitionNature Nature { get; private set; }
    [AuditHidden]
    public string Content { get; private set; } = "";
    public string DepartmentCode { get; private set; } = "";
    public DateOnly DueOn { get; private set; }
    public PetitionStatus Status { get; private set; }
    public string? Reply { get; private set; }
    public DateTime? RepliedUtc { get; private set; }
    public Guid? RepliedById { get; private set; }
    public DateTime? ArchivedUtc { get; private set; }
    public DateTime? EscalatedUtc { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public Guid? CreatedById { get; private set; }

    public static Petition Record(string divisionCode, string number, DateOnly receivedOn, string? petitioner, string? contact,
        PetitionNature nature, string content, DateOnly dueOn, Guid? createdById, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Number = number, ReceivedOn = receivedOn, Petitioner = petitioner,
        Contact = contact, Nature = nature, Content = content, DepartmentCode = PetitionRouting.DepartmentFor(nature), DueOn = dueOn,
        Status = PetitionStatus.Routed, CreatedUtc = nowUtc, CreatedById = createdById,
    };

    /// <summary>The office sends it elsewhere by hand (the table is the default, not a cage).</summary>
    public void Reroute(string departmentCode)
    {
        Rule.Check(Status == PetitionStatus.Routed, "PetitionNotOpen", "已答复或已归档的信访事项不能再转办。");
        DepartmentCode = departmentCode;
        EscalatedUtc = null;
    }

    public void RecordReply(string reply, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(Status == PetitionStatus.Routed, "PetitionNotOpen", "该信访事项已答复或已归档。");
        Reply = reply;
        RepliedById = byUserId;
        RepliedUtc = nowUtc;
        Status = PetitionStatus.Replied;
    }

    public void Archive(DateTime nowUtc)
    {
        Rule.Check(Status == PetitionStatus.Replied, "PetitionNotReplied", "信访事项须先记录答复才能归档。");
        Status = PetitionStatus.Archived;
        ArchivedUtc = nowUtc;
    }

    public bool IsOverdue(DateOnly today) => Status == PetitionStatus.Routed && today > DueOn;

    public void Escalate(DateTime nowUtc) => EscalatedUtc = nowUtc;
}

/// <summary>
/// The routing table of the Hongjiang plan (洪江市矿山领域打非治违工作方案): 自然资源 for illegal mining, 公安 for explosives
/// and violence, 林业 for destroyed forest, 生态环境 for pollution, 电力 for illegal power supply, 纪委监委 for officials.
/// </summary>
public static class PetitionRouting
{
    public static readonly IReadOnlyList<(PetitionNature Nature, string Chinese, string Department)> Table =
    [
        (PetitionNature.IllegalMining, "非法采矿", "natural-resources"),
        (PetitionNature.Explosives, "涉爆物品", "public-security"),
        (PetitionNature.Violence, "暴力抗法、威胁举报人", "public-security"),
        (PetitionNature.Forest, "毁坏林地", "forestry"),
        (PetitionNature.Pollution, "污染环境", "ecology"),
        (PetitionNature.PowerSupply, "违规供电", "power"),
        (PetitionNature.Officials, "公职人员参与、包庇", "discipline"),
        (PetitionNature.Other, "其他", "natural-resources"),
    ];

    public static string DepartmentFor(PetitionNature nature) => Table.First(r => r.Nature == nature).Department;

    public static string Chinese(PetitionNature nature) => Table.First(r => r.Nature == nature).Chinese;

    public static PetitionNature? Parse(string? text) =>
        Table.Where(r => r.Chinese == text?.Trim() || string.Equals(r.Nature.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(r => (PetitionNature?)r.Nature).FirstOrDefault();

    public static string Chinese(PetitionStatus s) => s switch
    {
        PetitionStatus.Routed => "已转办待答复",
        PetitionStatus.Replied => "已答复",
        PetitionStatus.Archived => "已归档",
        _ => s.ToString(),
    };
}
