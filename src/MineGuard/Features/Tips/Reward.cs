using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

/// <summary>
/// A county's reward rule (举报奖励标准): the amount for a verified tip, the amount when it leads to a filed case, and
/// the days the county promises between verification and payout. Counties without a row use <see cref="Default"/>,
/// Hongjiang's published rule (2,000 yuan / 20,000 yuan).
/// </summary>
public sealed class RewardRule : IInJurisdiction
{
    private RewardRule() { }

    /// <summary>The county's code (the rule's own jurisdiction).</summary>
    public string DivisionCode { get; private set; } = "";

    public int VerifiedAmount { get; private set; }
    public int CaseAmount { get; private set; }
    public int PayWithinDays { get; private set; }

    /// <summary>The rule in the county's words, shown on the public page.</summary>
    public string? Text { get; private set; }

    public DateTime UpdatedUtc { get; private set; }

    public const int DefaultVerified = 2_000;
    public const int DefaultCase = 20_000;
    public const int DefaultPayWithinDays = 30;

    public static RewardRule Default(string countyCode) => new()
    {
        DivisionCode = countyCode, VerifiedAmount = DefaultVerified, CaseAmount = DefaultCase, PayWithinDays = DefaultPayWithinDays,
    };

    public static RewardRule Create(string countyCode, int verified, int caseAmount, int payWithinDays, string? text, DateTime nowUtc) =>
        new RewardRule { DivisionCode = countyCode, UpdatedUtc = nowUtc }.With(verified, caseAmount, payWithinDays, text, nowUtc);

    public RewardRule With(int verified, int caseAmount, int payWithinDays, string? text, DateTime nowUtc)
    {
        VerifiedAmount = verified;
        CaseAmount = caseAmount;
        PayWithinDays = payWithinDays;
        Text = text;
        UpdatedUtc = nowUtc;
        return this;
    }

    public int AmountFor(RewardTier tier) => tier == RewardTier.Case ? CaseAmount : VerifiedAmount;

    public string Describe() => Text is { Length: > 0 } t ? t
        : $"举报经核查属实的，奖励 {VerifiedAmount:0} 元；因举报立案查处的，奖励 {CaseAmount:0} 元。核查属实后 {PayWithinDays} 日内兑现。";
}

public enum RewardTier
{
    /// <summary>查实: the tip was verified true or partly true.</summary>
    Verified = 1,

    /// <summary>立案: the tip led to a filed case.</summary>
    Case = 2,
}

public enum RewardStatus
{
    /// <summary>拟奖励: proposed automatically from the outcome.</summary>
    Proposed = 0,

    /// <summary>已审批</summary>
    Approved = 1,

    /// <summary>已兑现</summary>
    Paid = 2,

    /// <summary>不予奖励 (with a reason).</summary>
    Refused = 3,
}

/// <summary>
/// 举报奖励: proposed from a tip's outcome by the county's rule, approved by the reward officer, paid through a recorded
/// payout. An anonymous tipster claims it with the receipt code and a payout method; the method is encrypted like a
/// name, because an account number identifies its holder.
/// </summary>
public sealed class Reward : IInJurisdiction
{
    private Reward() { }

    public Guid Id { get; private set; }
    public Guid TipId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public RewardTier Tier { get; private set; }
    public int Amount { get; private set; }
    public RewardStatus Status { get; private set; }
    public DateTime ProposedUtc { get; private set; }

    /// <summary>When the tip was verified: the start of the county's promise.</summary>
    public DateTime VerifiedUtc { get; private set; }

    public DateOnly PayBy { get; private set; }
    public DateTime? ApprovedUtc { get; private set; }
    public Guid? ApprovedById { get; private set; }
    public string? RefusedReason { get; private set; }
    public DateTime? ClaimedUtc { get; private set; }

    /// <summary>The tipster's payout method and account, encrypted (<see cref="TipsterIdentity"/>).</summary>
    [AuditHidden]
    public string? ClaimProtected { get; private set; }

    public DateOnly? PaidOn { get; private set; }
    public DateTime? PaidUtc { get; private set; }
    public int? PaidAmount { get; private set; }
    public string? PaidMethod { get; private set; }
    public string? PaidReference { get; private set; }
    public Guid? PaidById { get; private set; }

    public static Reward Propose(Tip tip, RewardTier tier, int amount, DateOnly payBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), TipId = tip.Id, DivisionCode = tip.DivisionCode, Tier = tier, Amount = amount,
        Status = RewardStatus.Proposed, ProposedUtc = nowUtc, VerifiedUtc = tip.VerifiedUtc ?? nowUtc, PayBy = payBy,
    };

    /// <summary>A case was filed before payment: the proposal becomes the case tier's amount.</summary>
    public void Raise(RewardTier tier, int amount)
    {
        Rule.Check(Status is RewardStatus.Proposed or RewardStatus.Approved, "RewardClosed", "该奖励已兑现或已不予奖励。");
        Tier = tier;
        Amount = amount;
        Status = RewardStatus.Proposed;
        ApprovedUtc = null;
        ApprovedById = null;
    }

    /// <summary>Approval: by someone other than the person who verified the tip (<paramref name="verifiedById"/>).</summary>
    public void Approve(Guid? byUserId, Guid? verifiedById, DateTime nowUtc)
    {
        Rule.Check(Status == RewardStatus.Proposed, "RewardNotProposed", "只有拟奖励状态的奖励才能审批。");
        NotTheVerifier(byUserId, verifiedById);
        Status = RewardStatus.Approved;
        ApprovedById = byUserId;
        ApprovedUtc = nowUtc;
    }

    public void Refuse(string reason, Guid? byUserId, Guid? verifiedById, DateTime nowUtc)
    {
        Rule.Check(Status is RewardStatus.Proposed or RewardStatus.Approved, "RewardClosed", "该奖励已兑现或已不予奖励。");
        NotTheVerifier(byUserId, verifiedById);
        Status = RewardStatus.Refused;
        RefusedReason = reason;
        ApprovedById = byUserId;
        ApprovedUtc = nowUtc;
    }

    public void Claim(string claimProtected, DateTime nowUtc)
    {
        Rule.Check(Status is RewardStatus.Proposed or RewardStatus.Approved, "RewardClosed", "该奖励已兑现或已不予奖励，不能再申领。");
        ClaimProtected = claimProtected;
        ClaimedUtc = nowUtc;
    }

    /// <summary>
    /// Records the payout. An anonymous tipster can only be paid through the method they chose when claiming with the
    /// receipt code (the office has no other way to reach them); a named tipster can be contacted, so the office may pay
    /// without a claim. The payer is someone other than the verifier, and other than the approver unless the deployment
    /// merges approval and payment (<c>Tips:MergeApprovalAndPayment</c>, for a county with a single reward officer).
    /// </summary>
    public void Pay(int amount, DateOnly paidOn, string method, string? reference, Guid? byUserId, Guid? verifiedById,
        bool mergeApprovalAndPayment, DateTime nowUtc, bool tipsterNamed)
    {
        Rule.Check(Status == RewardStatus.Approved, "RewardNotApproved", "奖励须先经审批才能兑现。");
        Rule.Check(ClaimedUtc is not null || tipsterNamed, "RewardNotClaimed",
            "匿名举报人尚未凭查询码申领、未提供领取方式，不能登记兑现；请等待举报人申领。");
        NotTheVerifier(byUserId, verifiedById);
        Rule.Check(mergeApprovalAndPayment || byUserId is null || byUserId != ApprovedById, "RewardPayerIsApprover",
            "审批奖励的人不能再兑现同一笔奖励，请由另一位奖励经办人兑现。");
        Status = RewardStatus.Paid;
        PaidAmount = amount;
        PaidOn = paidOn;
        PaidMethod = method;
        PaidReference = reference;
        PaidById = byUserId;
        PaidUtc = nowUtc;
    }

    /// <summary>Verification, approval and payment are separate hands (举报奖励“核查、审批、兑现”分离): never the verifier.</summary>
    private static void NotTheVerifier(Guid? byUserId, Guid? verifiedById) =>
        Rule.Check(byUserId is null || byUserId != verifiedById, "RewardDecidedByVerifier",
            "核查本线索的人不能审批或兑现它的奖励，请由另一位奖励审批人办理。");

    /// <summary>Days from verification to payout (paid) or to today (not yet paid).</summary>
    public int DaysToPay(DateOnly today) =>
        (PaidOn ?? today).DayNumber - DateOnly.FromDateTime(Platform.Time.ChinaTime.ToLocal(VerifiedUtc)).DayNumber;

    /// <summary>Past the county's promise and still not paid (or paid late).</summary>
    public bool Overdue(DateOnly today) => Status != RewardStatus.Refused && (PaidOn ?? today) > PayBy;

    public static string Chinese(RewardStatus s) => s switch
    {
        RewardStatus.Proposed => "拟奖励",
        RewardStatus.Approved => "已审批",
        RewardStatus.Paid => "已兑现",
        RewardStatus.Refused => "不予奖励",
        _ => s.ToString(),
    };

    /// <summary>What the tipster reads on the receipt page: a short state and what happens next, in their terms.</summary>
    public (string State, string Next) ForTipster(bool tipsterNamed)
    {
        var claimed = ClaimedUtc is not null;
        return Status switch
        {
            RewardStatus.Proposed when claimed => ("拟奖励，正在审批", "您已提交领取方式，审批通过后按您选择的方式发放。"),
            RewardStatus.Proposed => ("拟奖励，正在审批", "您现在就可以在下方选择领取方式（银行卡、微信、支付宝或现场领取）。"),
            RewardStatus.Approved when claimed => ("已审批，等待发放", "您已提交领取方式，工作人员将按您选择的方式发放。"),
            RewardStatus.Approved when tipsterNamed => ("已审批，等待发放", "工作人员将按您留下的联系方式与您联系发放；您也可以在下方选择领取方式。"),
            RewardStatus.Approved => ("已审批，等待您申领", "请在下方选择领取方式（银行卡、微信、支付宝或现场领取），工作人员收到后发放。"),
            RewardStatus.Paid when claimed || tipsterNamed => ("已兑现", $"已于 {PaidOn:yyyy-MM-dd} 发放（{PaidMethod}）。"),
            // Recorded as paid before a payout method was known (no longer possible): say exactly that.
            RewardStatus.Paid => ("已登记发放，您未提交过领取方式",
                $"工作人员于 {PaidOn:yyyy-MM-dd} 登记发放（{PaidMethod}），但您没有提交过领取方式；如未收到，请在上方回复。"),
            RewardStatus.Refused => ("不予奖励", RefusedReason ?? ""),
            _ => (Chinese(Status), ""),
        };
    }

    public static string Chinese(RewardTier t) => t == RewardTier.Case ? "立案奖励" : "查实奖励";
}
