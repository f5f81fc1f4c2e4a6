using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

/// <summary>How a tip reached the office: the public page with or without JavaScript, or written down by staff.</summary>
public enum TipChannel
{
    /// <summary>The public page with JavaScript (proof-of-work solved).</summary>
    Web = 0,

    /// <summary>The public page without JavaScript (accepted under a stricter limit).</summary>
    WebNoScript = 1,

    /// <summary>The hotline, entered by staff.</summary>
    Phone = 2,

    /// <summary>A letter or a visit, entered by staff.</summary>
    Letter = 3,
}

public enum TipStatus
{
    /// <summary>待分拣: just received.</summary>
    New = 0,

    /// <summary>已分拣: read and judged worth checking, not yet assigned.</summary>
    Triaged = 1,

    /// <summary>核查中: assigned to a township or department with a deadline.</summary>
    Assigned = 2,

    /// <summary>已核查: the verification is recorded.</summary>
    Verified = 3,

    /// <summary>已合并: a duplicate of another tip, which carries the work.</summary>
    Merged = 4,
}

public enum TipOutcome
{
    /// <summary>属实</summary>
    True = 1,

    /// <summary>部分属实</summary>
    PartlyTrue = 2,

    /// <summary>不属实</summary>
    False = 3,
}

/// <summary>
/// 举报线索: one tip from the public. It keeps what was seen, where and when, and a slow salted hash of its receipt code;
/// never the sender's address, browser or cookie (see <see cref="PublicGuard"/>). A named tipster's name and phone
/// are encrypted (<see cref="TipsterIdentity"/>) and only the reward officer and the discipline commission read them.
/// </summary>
public sealed class Tip : IInJurisdiction, IDepartmentShared<Tip>
{
    /// <summary>
    /// A department officer sees the tips assigned to their department; the reward officer also sees verified tips,
    /// whose rewards they decide.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<Tip, string, bool, bool>> SharedWith { get; } =
        (t, dept, reward) => t.AssignedDepartmentCode == dept || (reward && t.Status == TipStatus.Verified);

    private Tip() { }

    public Guid Id { get; private set; }

    /// <summary>The township the tipster chose (or the county when they did not know).</summary>
    public string DivisionCode { get; private set; } = "";

    public string CountyCode { get; private set; } = "";
    public TipChannel Channel { get; private set; }

    /// <summary>What was seen: <see cref="TipKinds"/> codes joined by commas.</summary>
    public string Kinds { get; private set; } = "";

    public string Description { get; private set; } = "";
    public string? Place { get; private set; }

    /// <summary>WGS84 pin (map or the phone's position), when JavaScript ran and the tipster gave one.</summary>
    public double? Lon { get; private set; }

    public double? Lat { get; private set; }
    public string? SeenWhen { get; private set; }
    public DateTime ReceivedUtc { get; private set; }

    /// <summary>Non-secret first part of the receipt code: finds the row without hashing against every tip.</summary>
    public string ReceiptLocator { get; private set; } = "";

    /// <summary>The id the form (or the staff client) gave this submission: a resend with it is the same tip, stored once.</summary>
    public Guid? ClientId { get; private set; }

    /// <summary>
    /// The secret part's hash with <see cref="ReceiptSalt"/>: SHA-256 when <see cref="ReceiptIterations"/> is 0, else
    /// PBKDF2-SHA256 with that count (see <see cref="ReceiptCodes"/>).
    /// </summary>
    [AuditHidden]
    public string ReceiptHash { get; private set; } = "";

    [AuditHidden]

    public string ReceiptSalt { get; private set; } = "";
    public int ReceiptIterations { get; private set; }

    /// <summary>The tipster gave a name or phone for the reward (encrypted in <see cref="TipsterProtected"/>).</summary>
    public bool IsNamed { get; private set; }

    [AuditHidden]

    public string? TipsterProtected { get; private set; }

    public TipStatus Status { get; private set; }
    public string? TriageNote { get; private set; }
    public Guid? MergedIntoId { get; private set; }
    public Guid? AditId { get; private set; }
    public string? AssignedDivisionCode { get; private set; }
    public string? AssignedDepartmentCode { get; private set; }
    public DateOnly? DueOn { get; private set; }
    public DateTime? AssignedUtc { get; private set; }
    public TipOutcome? Outcome { get; private set; }
    public string? VerificationNote { get; private set; }
    public DateTime? VerifiedUtc { get; private set; }
    public Guid? VerifiedById { get; private set; }

    /// <summary>When a spot check (抽查) found the verification not true: the tip no longer counts as verified true.</summary>
    public DateTime? OverturnedUtc { get; private set; }

    public Guid? OverturnedById { get; private set; }
    public string? OverturnNote { get; private set; }

    /// <summary>The overturn note's column (a spot check's "核查不属实：{note}" is cut to it).</summary>
    public const int OverturnNoteMax = 2000;
    public string? CaseNumber { get; private set; }
    public DateOnly? CaseFiledOn { get; private set; }

    /// <summary>Whether the tipster has an unread question from the office (shown on the receipt page).</summary>
    public bool AwaitingTipster { get; private set; }

    public bool IsDemo { get; private set; }

    public static Tip Receive(string divisionCode, string countyCode, TipChannel channel, IEnumerable<string> kinds, string description,
        string? place, double? lon, double? lat, string? seenWhen, ReceiptHash receipt, string? tipsterProtected, DateTime nowUtc,
        bool isDemo = false, Guid? clientId = null) => new()
    {
        ClientId = clientId,
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, CountyCode = countyCode, Channel = channel,
        Kinds = string.Join(',', kinds), Description = description, Place = place, Lon = lon, Lat = lat, SeenWhen = seenWhen,
        ReceivedUtc = nowUtc, ReceiptLocator = receipt.Locator, ReceiptHash = receipt.Hash, ReceiptSalt = receipt.Salt,
        ReceiptIterations = receipt.Iterations, IsNamed = tipsterProtected is not null, TipsterProtected = tipsterProtected,
        Status = TipStatus.New, IsDemo = isDemo,
    };

    public IReadOnlyList<string> KindList => Kinds.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public void Triage(string? note)
    {
        Rule.Check(Status is TipStatus.New or TipStatus.Triaged, "TipAlreadyInHand", "该线索已分派或已核查，无需再分拣。");
        Status = TipStatus.Triaged;
        TriageNote = note;
    }

    public void Assign(string? divisionCode, string? departmentCode, DateOnly dueOn, DateTime nowUtc)
    {
        Rule.Check(Status is not (TipStatus.Verified or TipStatus.Merged), "TipClosed", "该线索已核查或已合并，不能再分派。");
        AssignedDivisionCode = divisionCode;
        AssignedDepartmentCode = departmentCode;
        DueOn = dueOn;
        AssignedUtc = nowUtc;
        Status = TipStatus.Assigned;
    }

    public void Verify(TipOutcome outcome, string note, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(Status != TipStatus.Merged, "TipMerged", "该线索已合并到另一条线索，请在那条线索上记录核查结果。");
        Rule.Check(Status != TipStatus.Verified, "TipAlreadyVerified", "该线索已记录核查结果。");
        Outcome = outcome;
        VerificationNote = note;
        VerifiedById = byUserId;
        VerifiedUtc = nowUtc;
        Status = TipStatus.Verified;
    }

    /// <summary>A spot check found the verification not as recorded (核查不实): marked overturned, once.</summary>
    public void Overturn(string note, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(Status == TipStatus.Verified, "TipNotVerified", "该线索尚未记录核查结果");
        Rule.Check(OverturnedUtc is null, "TipAlreadyOverturned", "该线索的核查结果已被推翻");
        (OverturnedUtc, OverturnedById, OverturnNote) = (nowUtc, byUserId, Platform.Web.StoredValueLimits.Cut(note, OverturnNoteMax));
    }

    public void MergeInto(Tip main)
    {
        Rule.Check(main.Id != Id, "TipMergeSelf", "不能把线索合并到它自己。");
        Rule.Check(main.Status != TipStatus.Merged, "TipMergeTargetMerged", "目标线索本身已被合并。");
        Rule.Check(Status is not (TipStatus.Verified or TipStatus.Merged), "TipClosed", "已核查或已合并的线索不能再合并。");
        Status = TipStatus.Merged;
        MergedIntoId = main.Id;
    }

    public void LinkAdit(Guid aditId) => AditId = aditId;

    public void FileCase(string caseNumber, DateOnly filedOn)
    {
        Rule.Check(Outcome is TipOutcome.True or TipOutcome.PartlyTrue, "TipCaseNeedsVerifiedTip", "只有核查属实或部分属实的线索才能关联立案。");
        CaseNumber = caseNumber;
        CaseFiledOn = filedOn;
    }

    public void AskedTipster() => AwaitingTipster = true;

    public void TipsterAnswered() => AwaitingTipster = false;
}

/// <summary>A photo or short video sent with a tip; its own EXIF time and position are kept for the office only.</summary>
public sealed class TipAttachment
{
    private TipAttachment() { }

    public Guid Id { get; private set; }
    public Guid TipId { get; private set; }
    public Guid StoredFileId { get; private set; }
    public string ContentType { get; private set; } = "";
    public long Length { get; private set; }
    public DateTime? TakenUtc { get; private set; }
    public double? Lon { get; private set; }
    public double? Lat { get; private set; }

    public static TipAttachment Create(Guid tipId, Guid fileId, string contentType, long length, DateTime? takenUtc, double? lon, double? lat) => new()
    {
        Id = Guid.CreateVersion7(), TipId = tipId, StoredFileId = fileId, ContentType = contentType, Length = length,
        TakenUtc = takenUtc, Lon = lon, Lat = lat,
    };
}

/// <summary>A message between the office and the tipster, carried by the receipt code: the office never learns who reads it.</summary>
public sealed class TipMessage
{
    private TipMessage() { }

    public Guid Id { get; private set; }
    public Guid TipId { get; private set; }
    public bool FromOffice { get; private set; }
    public string Text { get; private set; } = "";
    public Guid? AuthorUserId { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    public static TipMessage Office(Guid tipId, string text, Guid? author, DateTime nowUtc) =>
        new() { Id = Guid.CreateVersion7(), TipId = tipId, FromOffice = true, Text = text, AuthorUserId = author, CreatedUtc = nowUtc };

    public static TipMessage Tipster(Guid tipId, string text, DateTime nowUtc) =>
        new() { Id = Guid.CreateVersion7(), TipId = tipId, FromOffice = false, Text = text, CreatedUtc = nowUtc };
}

/// <summary>What a tipster can say they saw (the public form's check boxes).</summary>
public static class TipKinds
{
    public static readonly IReadOnlyList<(string Code, string Chinese)> All =
    [
        ("digging", "有人挖矿、打洞"),
        ("transport", "运输矿石"),
        ("adit", "已封矿洞被重新打开"),
        ("power", "发电机或私拉电线"),
        ("cyanide", "用氰化物等选矿、炼矿"),
        ("buying", "收购矿石"),
        ("protection", "有干部或公职人员包庇、参与"),
        ("other", "其他"),
    ];

    public static string Chinese(string code) => All.FirstOrDefault(k => k.Code == code).Chinese ?? code;

    public static bool IsKnown(string code) => All.Any(k => k.Code == code);
}

public static class TipNames
{
    public static string Chinese(this TipStatus s) => s switch
    {
        TipStatus.New => "待分拣",
        TipStatus.Triaged => "已分拣",
        TipStatus.Assigned => "核查中",
        TipStatus.Verified => "已核查",
        TipStatus.Merged => "已合并",
        _ => s.ToString(),
    };

    public static string Chinese(this TipOutcome o) => o switch
    {
        TipOutcome.True => "属实",
        TipOutcome.PartlyTrue => "部分属实",
        TipOutcome.False => "不属实",
        _ => o.ToString(),
    };

    /// <summary>
    /// The channel as a villager or an officer names it. Web and WebNoScript are the same public report page (with or
    /// without JavaScript in the browser), one channel to the people who read it: 网上举报.
    /// </summary>
    public static string Chinese(this TipChannel c) => c switch
    {
        TipChannel.Web or TipChannel.WebNoScript => "网上举报",
        TipChannel.Phone => "电话",
        TipChannel.Letter => "来信来访",
        _ => c.ToString(),
    };

    public static TipOutcome? ParseOutcome(string? text) => text?.Trim() switch
    {
        "属实" or "true" => TipOutcome.True,
        "部分属实" or "partly" => TipOutcome.PartlyTrue,
        "不属实" or "false" => TipOutcome.False,
        _ => null,
    };
}
