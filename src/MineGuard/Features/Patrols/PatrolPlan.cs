using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

/// <summary>
/// 巡查计划: which adits a team must check in a period. A cross plan (交叉巡查) sends a team outside its own area and is
/// assigned by the county or the city; patrols started under it count as cross patrols.
/// </summary>
public sealed class PatrolPlan : IInJurisdiction
{
    private readonly List<PatrolPlanItem> items = [];

    private PatrolPlan() { }

    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }

    /// <summary>The team's division for an own-area plan; the assigning office's for a cross plan.</summary>
    public string DivisionCode { get; private set; } = "";

    public DateOnly PeriodStart { get; private set; }
    public DateOnly PeriodEnd { get; private set; }
    public bool IsCross { get; private set; }
    public string? Note { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public Guid? CreatedById { get; private set; }
    public IReadOnlyList<PatrolPlanItem> Items => items;

    public static PatrolPlan Create(Guid teamId, string divisionCode, DateOnly start, DateOnly end, bool isCross, string? note,
        Guid? createdBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), TeamId = teamId, DivisionCode = divisionCode, PeriodStart = start, PeriodEnd = end,
        IsCross = isCross, Note = note, CreatedUtc = nowUtc, CreatedById = createdBy,
    };

    public void Add(Guid aditId, string reason)
    {
        if (items.Any(i => i.AditId == aditId)) return;
        items.Add(new PatrolPlanItem(Guid.CreateVersion7(), Id, aditId, items.Count + 1, reason));
    }

    public void Remove(Guid aditId)
    {
        items.RemoveAll(i => i.AditId == aditId);
        var rank = 1;
        foreach (var item in items.OrderBy(i => i.Rank)) item.Rank = rank++;
    }

    public bool IsActiveOn(DateOnly day) => day >= PeriodStart && day <= PeriodEnd;
}

public sealed class PatrolPlanItem(Guid id, Guid planId, Guid aditId, int rank, string reason)
{
    public Guid Id { get; private set; } = id;
    public Guid PlanId { get; private set; } = planId;
    public Guid AditId { get; private set; } = aditId;

    /// <summary>1 = check first.</summary>
    public int Rank { get; internal set; } = rank;

    /// <summary>Why it is where it is in the list (最久未查, 封堵被破坏…).</summary>
    public string Reason { get; private set; } = reason;
}
