using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Incidents;

/// <summary>
/// 事件/事故: what went wrong at an adit, recorded the way the Songxian "9·26" investigation report holds it — the
/// timeline up to the report upward and the rescue, the people affected (blind rescuers counted apart), the losses, the
/// causes, the measures and lessons, the accountability of each unit and official, and the cases it led to. Filed under
/// the adit's division, so the adit's office sees it.
/// </summary>
public sealed class Incident : IInJurisdiction
{
    private Incident() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string CountyCode { get; private set; } = "";
    public Guid AditId { get; private set; }
    public DateTime OccurredUtc { get; private set; }

    /// <summary><see cref="IncidentKinds"/>: poisoning (中毒窒息), collapse (坍塌), blast (爆炸), flood (透水), fall (坠落), other.</summary>
    public string Kind { get; private set; } = IncidentKinds.Other;
    public string Title { get; private set; } = "";
    public string Summary { get; private set; } = "";

    /// <summary>Everyone caught up in it: <see cref="Dead"/> + <see cref="Injured"/> + <see cref="Unharmed"/>.</summary>
    public int Involved { get; private set; }
    public int Dead { get; private set; }
    public int Injured { get; private set; }
    public int Unharmed { get; private set; }

    /// <summary>获救: brought out alive by the rescue.</summary>
    public int Rescued { get; private set; }

    /// <summary>盲目施救: those who went in to help without equipment, and how many of them died or were injured.</summary>
    public int BlindRescuers { get; private set; }
    public int BlindRescuerDead { get; private set; }
    public int BlindRescuerInjured { get; private set; }

    /// <summary>盗采矿石 (kg), its value and the direct economic loss (yuan).</summary>
    public double? OreKg { get; private set; }
    public decimal? OreValue { get; private set; }
    public decimal? DirectLoss { get; private set; }

    /// <summary>When the first report upward was due (the rule's hours after the incident) and when it was made.</summary>
    public DateTime FirstReportDueUtc { get; private set; }
    public DateTime? FirstReportedUtc { get; private set; }

    /// <summary>The assignments the incident opened: the first report upward, re-sealing to standard, the safety notice.</summary>
    public Guid? ReportAssignmentId { get; private set; }
    public Guid? ResealAssignmentId { get; private set; }
    public Guid? NoticeAssignmentId { get; private set; }

    public Guid? ClientId { get; private set; }
    public bool IsDemo { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static Incident Record(string divisionCode, string countyCode, Guid aditId, DateTime occurredUtc, string kind, string title, string summary,
        Casualties people, Losses losses, DateTime firstReportDueUtc, Guid? clientId, bool isDemo, Guid? by, DateTime nowUtc) => new()
    {
        Id = Guid.NewGuid(), DivisionCode = divisionCode, CountyCode = countyCode, AditId = aditId, OccurredUtc = occurredUtc, Kind = kind,
        Title = title, Summary = summary, Involved = people.Involved, Dead = people.Dead, Injured = people.Injured, Unharmed = people.Unharmed,
        Rescued = people.Rescued, BlindRescuers = people.BlindRescuers, BlindRescuerDead = people.BlindRescuerDead,
        BlindRescuerInjured = people.BlindRescuerInjured, OreKg = losses.OreKg, OreValue = losses.OreValue, DirectLoss = losses.DirectLoss,
        FirstReportDueUtc = firstReportDueUtc, ClientId = clientId, IsDemo = isDemo, CreatedById = by, CreatedUtc = nowUtc, UpdatedUtc = nowUtc,
    };

    public Casualties People => new(Involved, Dead, Injured, Unharmed, Rescued, BlindRescuers, BlindRescuerDead, BlindRescuerInjured);

    public void OpenedWork(Guid? report, Guid? reseal, Guid? notice) => (ReportAssignmentId, ResealAssignmentId, NoticeAssignmentId) = (report, reseal, notice);

    /// <summary>The timeline changed: the first report upward is the earliest report entry, if there is one.</summary>
    public void Reported(DateTime? firstReportUtc, DateTime nowUtc)
    {
        FirstReportedUtc = firstReportUtc;
        UpdatedUtc = nowUtc;
    }
}

/// <summary>People affected; the totals add up (<see cref="IncidentRules"/>).</summary>
public sealed record Casualties(int Involved, int Dead, int Injured, int Unharmed, int Rescued, int BlindRescuers, int BlindRescuerDead,
    int BlindRescuerInjured);

public sealed record Losses(double? OreKg, decimal? OreValue, decimal? DirectLoss);

/// <summary>One line of the timeline (事件经过): an event, a report (who reported to whom) or a rescue step.</summary>
public sealed class IncidentEntry : IInJurisdiction
{
    private IncidentEntry() { }

    public Guid Id { get; private set; }
    public Guid IncidentId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public int Seq { get; private set; }
    public DateTime AtUtc { get; private set; }

    /// <summary>event (经过), report (报告), rescue (救援).</summary>
    public string Kind { get; private set; } = "event";
    public string What { get; private set; } = "";
    public string? ReportedBy { get; private set; }
    public string? ReportedTo { get; private set; }

    public static IncidentEntry Create(Incident i, int seq, DateTime atUtc, string kind, string what, string? by, string? to) => new()
    {
        Id = Guid.NewGuid(), IncidentId = i.Id, DivisionCode = i.DivisionCode, Seq = seq, AtUtc = atUtc, Kind = kind, What = what,
        ReportedBy = by, ReportedTo = to,
    };
}

/// <summary>A cause (direct, indirect, a unit's failure such as 底数不清 or 巡查流于形式), a measure or a lesson.</summary>
public sealed class IncidentFinding : IInJurisdiction
{
    private IncidentFinding() { }

    public Guid Id { get; private set; }
    public Guid IncidentId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public int Seq { get; private set; }

    /// <summary><see cref="IncidentKinds.Findings"/>: direct, indirect, unit, measure, lesson.</summary>
    public string Kind { get; private set; } = "";
    public string? Unit { get; private set; }
    public string Text { get; private set; } = "";

    public static IncidentFinding Create(Incident i, int seq, string kind, string? unit, string text) => new()
    {
        Id = Guid.NewGuid(), IncidentId = i.Id, DivisionCode = i.DivisionCode, Seq = seq, Kind = kind, Unit = unit, Text = text,
    };
}

/// <summary>责任追究: a named unit or official, what they answer for, and whether it was referred to the discipline commission.</summary>
public sealed class IncidentAccountability : IInJurisdiction
{
    private IncidentAccountability() { }

    public Guid Id { get; private set; }
    public Guid IncidentId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public int Seq { get; private set; }
    public string Unit { get; private set; } = "";
    public string? Official { get; private set; }
    public string? Post { get; private set; }
    public string What { get; private set; } = "";
    public bool Referred { get; private set; }

    public static IncidentAccountability Create(Incident i, int seq, string unit, string? official, string? post, string what, bool referred) => new()
    {
        Id = Guid.NewGuid(), IncidentId = i.Id, DivisionCode = i.DivisionCode, Seq = seq, Unit = unit, Official = official, Post = post,
        What = what, Referred = referred,
    };
}

/// <summary>A case (案件) opened over the incident.</summary>
public sealed class IncidentCase : IInJurisdiction
{
    private IncidentCase() { }

    public Guid IncidentId { get; private set; }
    public Guid CaseId { get; private set; }
    public string DivisionCode { get; private set; } = "";

    public static IncidentCase Create(Incident i, Guid caseId) => new() { IncidentId = i.Id, CaseId = caseId, DivisionCode = i.DivisionCode };
}

public static class IncidentKinds
{
    public const string Other = "other";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["poisoning"] = "中毒窒息", ["collapse"] = "坍塌", ["blast"] = "爆炸", ["flood"] = "透水", ["fall"] = "坠落", [Other] = "其他",
    };

    public static readonly IReadOnlyDictionary<string, string> Entries = new Dictionary<string, string>
    {
        ["event"] = "事件经过", ["report"] = "报告", ["rescue"] = "救援处置",
    };

    public static readonly IReadOnlyDictionary<string, string> Findings = new Dictionary<string, string>
    {
        ["direct"] = "直接原因", ["indirect"] = "间接原因", ["unit"] = "有关单位存在的问题", ["measure"] = "防范措施", ["lesson"] = "事件教训",
    };
}
