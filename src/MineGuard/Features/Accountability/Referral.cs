using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Accountability;

/// <summary>The accountability rules (问责规则): codes in English, the Chinese names and the source document in this one place.</summary>
public static class ReferralRules
{
    /// <summary>吉林通知: a township where illegal mining was found and not effectively stopped (a further confirmed signal at the place after N days).</summary>
    public const string TownshipNotStopped = "jilin-township";

    /// <summary>吉林通知: a county with two or more such places in one month.</summary>
    public const string CountyRepeated = "jilin-county";

    /// <summary>晋城方案: a higher level found what a township's sweep signed as clean (应发现而未发现).</summary>
    public const string MissedBySweep = "jincheng-missed";

    /// <summary>晋城方案: a 销号 a spot check found false (弄虚作假).</summary>
    public const string FalseClosure = "jincheng-false-closure";

    /// <summary>晋城方案: check-ins the review found faked (弄虚作假).</summary>
    public const string FakedCheckIns = "jincheng-faked-check-ins";

    /// <summary>洪江方案: theft by residents of a village (村民盗采) → the township leader, 包村干部, village party secretary, 包片 leader.</summary>
    public const string VillageTheft = "hongjiang-village-theft";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [TownshipNotStopped] = "乡镇发现非法采矿未有效制止",
        [CountyRepeated] = "县级一个月内两处及以上非法采矿未有效制止",
        [MissedBySweep] = "应发现问题而未发现（上级发现排查签字无问题的点位）",
        [FalseClosure] = "虚假销号（抽查发现）",
        [FakedCheckIns] = "巡查签到弄虚作假（审核认定）",
        [VillageTheft] = "村（林场）人员盗采，追责乡镇、包村、村支部及包片领导",
    };

    /// <summary>Where each rule comes from (the seed documents).</summary>
    public static readonly IReadOnlyDictionary<string, string> Sources = new Dictionary<string, string>
    {
        [TownshipNotStopped] = "吉林省安委会通知（2022）第五条", [CountyRepeated] = "吉林省安委会通知（2022）第五条",
        [MissedBySweep] = "晋城市专项行动方案（2021）", [FalseClosure] = "晋城市专项行动方案（2021）",
        [FakedCheckIns] = "晋城市专项行动方案（2021）", [VillageTheft] = "洪江市实施方案（2025）强化责任追究",
    };

    public static string Choices => string.Join("、", Names.Select(k => $"{k.Key}（{k.Value}）"));
}

public enum ReferralState
{
    /// <summary>新移送: waiting for the commission's decision.</summary>
    New = 0,

    /// <summary>已处理: the commission recorded its decision.</summary>
    Decided = 1,
}

/// <summary>
/// 问责线索: a rule that fired for a place (township, county or village) in a period, with the records it counted (the
/// facts, each with its id, so the evaluation can be reproduced) and the officials it names from the responsibility
/// records. Stored once per (rule, place, period): evaluating again stores nothing twice. Shared with the discipline
/// commission (纪委监委) only among the departments; the office, leaders and administrators see it in their scope.
/// </summary>
public sealed class Referral : IInJurisdiction, IDepartmentShared<Referral>
{
    public static System.Linq.Expressions.Expression<Func<Referral, string, bool, bool>> SharedWith { get; } =
        (r, dept, reward) => dept == Department.Discipline;

    private Referral() { }

    public Guid Id { get; private set; }
    public string RuleCode { get; private set; } = "";

    /// <summary>The place referred: a township, a county or a village.</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>The period evaluated, as "yyyy-MM" (a calendar month in China time).</summary>
    public string Period { get; private set; } = "";

    public DateOnly PeriodFrom { get; private set; }
    public DateOnly PeriodTo { get; private set; }
    public string Summary { get; private set; } = "";

    /// <summary>The records counted, JSON: [{type, id, label, atUtc}].</summary>
    public string Facts { get; private set; } = "[]";

    /// <summary>The officials named, JSON: [{post, personId, name, phone}].</summary>
    public string Officials { get; private set; } = "[]";

    public ReferralState State { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public string? Decision { get; private set; }
    public Guid? DecidedById { get; private set; }
    public string? DecidedByName { get; private set; }
    public DateTime? DecidedUtc { get; private set; }

    public static Referral Create(string rule, string division, string period, DateOnly from, DateOnly to, string summary, string facts, string officials,
        DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), RuleCode = rule, DivisionCode = division, Period = period, PeriodFrom = from, PeriodTo = to, Summary = summary,
        Facts = facts, Officials = officials, State = ReferralState.New, CreatedUtc = nowUtc,
    };

    public void Decide(string decision, Guid? by, string byName, DateTime nowUtc)
    {
        Rule.Check(State == ReferralState.New, "ReferralAlreadyDecided", "该问责线索已记录处理决定");
        (Decision, DecidedById, DecidedByName, DecidedUtc, State) = (decision, by, byName, nowUtc, ReferralState.Decided);
    }
}

/// <summary>
/// A jurisdiction's accountability settings (问责规则设置): which rules apply and their numbers. A place reads the nearest
/// setting at or above it (county, city, province), else the defaults from the seed documents (every rule on, a further
/// signal counted after 7 days, 2 places a month for a county).
/// </summary>
public sealed class AccountabilitySetting : IInJurisdiction
{
    public const int DefaultNotStoppedDays = 7;
    public const int DefaultCountyThreshold = 2;

    private AccountabilitySetting() { }

    public string DivisionCode { get; private set; } = "";

    /// <summary>Rules switched off here, comma-separated codes (empty: all on).</summary>
    public string DisabledRules { get; private set; } = "";

    public int NotStoppedDays { get; private set; } = DefaultNotStoppedDays;
    public int CountyThreshold { get; private set; } = DefaultCountyThreshold;
    public Guid? UpdatedById { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static AccountabilitySetting For(string division) => new() { DivisionCode = division };

    public static AccountabilitySetting Defaults(string division) => new() { DivisionCode = division };

    /// <summary>The codes a place reads its setting from, nearest first: itself, its township, county, city, province.</summary>
    public static IReadOnlyList<string> Chain(string code) =>
        new[] { 9, 6, 4, 2 }.Where(n => n < code.Length).Select(n => code[..n]).Prepend(code).Distinct().ToList();

    /// <summary>The setting in force at a place: the nearest stored one at or above it, else the defaults.</summary>
    public static AccountabilitySetting InForce(string code, IReadOnlyDictionary<string, AccountabilitySetting> stored) =>
        Chain(code).Select(c => stored.GetValueOrDefault(c)).FirstOrDefault(s => s is not null) ?? Defaults(code);

    public bool Applies(string rule) => !DisabledRules.Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(rule, StringComparer.Ordinal);

    public void Set(IEnumerable<string> disabled, int days, int threshold, Guid? by, DateTime nowUtc) =>
        (DisabledRules, NotStoppedDays, CountyThreshold, UpdatedById, UpdatedUtc) = (string.Join(",", disabled.Order(StringComparer.Ordinal)), days, threshold, by, nowUtc);
}
