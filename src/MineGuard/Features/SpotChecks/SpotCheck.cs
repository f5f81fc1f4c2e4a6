using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.SpotChecks;

/// <summary>The kinds of reported-closed work a spot check draws from, with their names.</summary>
public static class SpotCheckKinds
{
    /// <summary>整改销号: an assignment of kind rectification closed (销号) by a second person in the period.</summary>
    public const string Rectification = "rectification";

    /// <summary>封堵矿硐: an adit sealed or its seal accepted in the period, still sealed.</summary>
    public const string Adit = "adit";

    /// <summary>巡查签到: a check-in in the period that counts (verified, not faked, unflagged or cleared).</summary>
    public const string CheckIn = "check-in";

    /// <summary>属实举报: a tip verified true (属实) in the period, not overturned.</summary>
    public const string Tip = "tip";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Rectification] = "整改销号", [Adit] = "封堵矿硐", [CheckIn] = "巡查签到", [Tip] = "属实举报",
    };

    public static string Choices => string.Join("、", Names.Select(k => $"{k.Key}（{k.Value}）"));
}

/// <summary>
/// 抽查: one draw by a city or province (the drawing division) over what its counties reported closed in a period. It
/// keeps everything needed to reproduce the sample — the published seed, the algorithm version, the frozen list of
/// eligible items (kind, id, stratum; one line each, in <see cref="ListText"/>) and the share or count — and who drew it
/// when. A second draw over the same list is a new row (its <see cref="Round"/>), never a replacement; a seed already used
/// on the same list is refused. Filed at the drawing division, so the counties' users never see it; inside that scope
/// the office, leaders, administrators and the discipline commission (纪委监委) do.
/// </summary>
public sealed class SpotCheckDraw : IInJurisdiction, IDepartmentShared<SpotCheckDraw>
{
    public static System.Linq.Expressions.Expression<Func<SpotCheckDraw, string, bool, bool>> SharedWith { get; } =
        (d, dept, reward) => dept == Department.Discipline;

    private SpotCheckDraw() { }

    public Guid Id { get; private set; }

    /// <summary>The drawing division (a city or province).</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>The target counties, comma-separated.</summary>
    public string Counties { get; private set; } = "";

    /// <summary>The kinds drawn from, comma-separated (<see cref="SpotCheckKinds"/>).</summary>
    public string Kinds { get; private set; } = "";

    public DateOnly FromOn { get; private set; }
    public DateOnly ToOn { get; private set; }

    /// <summary>The share in percent (0 &lt; share ≤ 100) or null when a count was asked.</summary>
    public decimal? SharePercent { get; private set; }

    public int? Count { get; private set; }
    public bool ByTownship { get; private set; }
    public bool ByKind { get; private set; }

    /// <summary>The published seed.</summary>
    public string Seed { get; private set; } = "";

    /// <summary>Whether the user gave the seed (else the server drew it).</summary>
    public bool SeedGiven { get; private set; }

    public string Algorithm { get; private set; } = SpotCheckAlgorithm.Version;

    /// <summary>The frozen list: one line "kind,id,stratum" per eligible item, ordered by kind then id.</summary>
    [AuditHidden]
    public string ListText { get; private set; } = "";

    /// <summary>Lowercase hex SHA-256 of <see cref="ListText"/> (UTF-8): the list's identity.</summary>
    public string ListHash { get; private set; } = "";

    public int ListCount { get; private set; }
    public int SampleCount { get; private set; }

    /// <summary>The n-th draw on this list (1 for the first).</summary>
    public int Round { get; private set; }

    public DateOnly DueOn { get; private set; }
    public Guid? DrawnById { get; private set; }
    public string DrawnByName { get; private set; } = "";
    public DateTime DrawnUtc { get; private set; }

    /// <summary>The client's id for the request: the same request sent twice is stored once.</summary>
    public Guid? ClientId { get; private set; }

    public static SpotCheckDraw Create(string division, IEnumerable<string> counties, IEnumerable<string> kinds, DateOnly from, DateOnly to,
        decimal? share, int? count, bool byTownship, bool byKind, string seed, bool seedGiven, string listText, string listHash, int listCount,
        int sampleCount, int round, DateOnly dueOn, Guid? clientId, Guid? by, string byName, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = division, Counties = string.Join(",", counties), Kinds = string.Join(",", kinds), FromOn = from,
        ToOn = to, SharePercent = share, Count = count, ByTownship = byTownship, ByKind = byKind, Seed = seed, SeedGiven = seedGiven,
        ListText = listText, ListHash = listHash, ListCount = listCount, SampleCount = sampleCount, Round = round, DueOn = dueOn,
        ClientId = clientId, DrawnById = by, DrawnByName = byName, DrawnUtc = nowUtc,
    };
}

public enum SpotCheckResult
{
    /// <summary>属实: the item is as reported.</summary>
    Confirmed = 1,

    /// <summary>不属实: the item was not done as reported (a false 销号); the item is reopened.</summary>
    NotConfirmed = 2,
}

/// <summary>
/// One sampled item of a draw: what it is (kind, id, stratum, key), who signed it off (the verifier of a rectification,
/// the acceptor or sealer of an adit, the patrol member of a check-in, the verifier of a tip), the check task (an
/// assignment of kind spot-check for the drawing level's team) and the result. Filed at the drawing division like its
/// draw; <see cref="ItemDivisionCode"/> is where the item itself lives.
/// </summary>
public sealed class SpotCheckItem : IInJurisdiction, IDepartmentShared<SpotCheckItem>
{
    public static System.Linq.Expressions.Expression<Func<SpotCheckItem, string, bool, bool>> SharedWith { get; } =
        (d, dept, reward) => dept == Department.Discipline;

    private SpotCheckItem() { }

    public Guid Id { get; private set; }
    public Guid DrawId { get; private set; }

    /// <summary>The drawing division (as the draw's).</summary>
    public string DivisionCode { get; private set; } = "";

    public string ItemKind { get; private set; } = "";
    public Guid ItemId { get; private set; }
    public string ItemDivisionCode { get; private set; } = "";
    public string Stratum { get; private set; } = "";

    /// <summary>The item's key: lowercase hex SHA-256 of "{seed}:{kind}:{id}".</summary>
    public string Key { get; private set; } = "";

    /// <summary>Position in the sample (1-based; by stratum, then key).</summary>
    public int Rank { get; private set; }

    public string Label { get; private set; } = "";
    public Guid? SignerUserId { get; private set; }
    public string? SignerName { get; private set; }
    public Guid? AssignmentId { get; private set; }
    public SpotCheckResult? Result { get; private set; }
    public string? Note { get; private set; }
    public Guid? CheckedById { get; private set; }
    public string? CheckerName { get; private set; }
    public DateTime? CheckedUtc { get; private set; }

    /// <summary>The work opened when the item was found not done and had no assignment of its own to reopen (an adit's re-seal).</summary>
    public Guid? FollowUpAssignmentId { get; private set; }

    public static SpotCheckItem Create(SpotCheckDraw draw, SpotCheckAlgorithm.Entry entry, string key, int rank, string itemDivision, string label,
        Guid? signerId, string? signerName) => new()
    {
        Id = Guid.CreateVersion7(), DrawId = draw.Id, DivisionCode = draw.DivisionCode, ItemKind = entry.Kind, ItemId = entry.Id,
        ItemDivisionCode = itemDivision, Stratum = entry.Stratum, Key = key, Rank = rank, Label = label, SignerUserId = signerId, SignerName = signerName,
    };

    public void LinkTask(Guid assignmentId) => AssignmentId = assignmentId;

    public void Record(SpotCheckResult result, string? note, Guid? by, string byName, DateTime nowUtc)
    {
        Rule.Check(Result is null, "SpotCheckAlreadyRecorded", "该抽查事项已记录核查结果");
        (Result, Note, CheckedById, CheckerName, CheckedUtc) = (result, note, by, byName, nowUtc);
    }

    public void FollowedUpBy(Guid assignmentId) => FollowUpAssignmentId = assignmentId;
}

/// <summary>A drawing division's spot-check settings: the default share (30 % when no row and no configuration).</summary>
public sealed class SpotCheckSetting : IInJurisdiction
{
    private SpotCheckSetting() { }

    public string DivisionCode { get; private set; } = "";
    public decimal DefaultSharePercent { get; private set; }
    public Guid? UpdatedById { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static SpotCheckSetting For(string division) => new() { DivisionCode = division };

    public void Set(decimal share, Guid? by, DateTime nowUtc) => (DefaultSharePercent, UpdatedById, UpdatedUtc) = (share, by, nowUtc);
}
