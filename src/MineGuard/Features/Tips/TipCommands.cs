using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

public sealed record TriageInput(string? Note);

public sealed record AssignInput(string? DivisionCode, string? DepartmentCode, string? DueOn);

public sealed record VerifyInput(string? Outcome, string? Evidence);

public sealed record CaseInput(string? CaseNumber, string? FiledOn);

public sealed record MergeInput(Guid? IntoTipId);

public sealed record AditLinkInput(string? AditNumber);

public sealed record MessageInput(string? Text);

public sealed record PayInput(int? Amount, string? PaidOn, string? Method, string? Reference);

public sealed record RefuseInput(string? Reason);

public sealed record RewardRuleInput(int? VerifiedAmount, int? CaseAmount, int? PayWithinDays, string? Text);

public sealed record DuplicateView(Guid Id, string ReceivedAt, string Summary, string Reason);

/// <summary>
/// The office's work on tips: triage, assignment with a deadline, verification (which proposes the reward by the
/// county's rule), linking an adit or a case, merging duplicates, messages to the tipster, and the reward officer's
/// approval and payout. Handlers load through the jurisdiction filter, so a tip outside the caller's scope is absent.
/// </summary>
public sealed class TipCommands(AppDbContext db, TipsterIdentity identity, IConfiguration config)
{
    public const int DefaultVerifyDays = 7;

    /// <summary>Duplicates: pins within this distance and received within <see cref="DuplicateDays"/> of each other.</summary>
    public const double DuplicateMetres = 500;

    public const int DuplicateDays = 14;

    /// <summary>Or descriptions this similar (Jaccard of character bigrams) within <see cref="DuplicateTextDays"/>.</summary>
    public const double DuplicateTextSimilarity = 0.5;

    public const int DuplicateTextDays = 30;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    public IQueryable<Tip> Tips => db.Set<Tip>();

    public Task<Tip?> FindAsync(Guid id, CancellationToken ct) => db.Set<Tip>().FirstOrDefaultAsync(t => t.Id == id, ct);

    public async Task<FieldErrors> TriageAsync(Tip tip, TriageInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if ((input.Note?.Length ?? 0) > 1000) errors.Add(nameof(input.Note), "分拣意见不能超过 1000 字");
        if (!errors.Ok) return errors;
        tip.Triage(Blank(input.Note));
        await Clues.ClueIntake.OpenAsync(db, new Clues.ClueLead("tip", tip.Id, tip.Description, tip.DivisionCode, tip.AditId, tip.AssignedDepartmentCode), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> AssignAsync(Tip tip, AssignInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var division = Blank(input.DivisionCode);
        var department = Blank(input.DepartmentCode);
        if (division is null && department is null) errors.Add(nameof(input.DivisionCode), "请选择承办乡镇或部门");
        if (division is not null && !(division.StartsWith(tip.CountyCode, StringComparison.Ordinal)
                                      && await db.Divisions.AnyAsync(d => d.Code == division, ct)))
            errors.Add(nameof(input.DivisionCode), "承办乡镇须在本县（市）范围内");
        if (department is not null && Department.NameOf(department) is null) errors.Add(nameof(input.DepartmentCode), "承办部门不存在");
        var due = Today.AddDays(DefaultVerifyDays);
        if (Blank(input.DueOn) is { } text)
        {
            var problem = CalendarDate.Problem("核查期限", text, out due);
            if (problem is not null) errors.Add(nameof(input.DueOn), problem);
            else if (due < Today) errors.Add(nameof(input.DueOn), "核查期限不能早于今天");
        }
        if (!errors.Ok) return errors;
        tip.Assign(division, department, due, Now);
        await Clues.ClueIntake.OpenAsync(db, new Clues.ClueLead("tip", tip.Id, tip.Description, tip.DivisionCode, tip.AditId, tip.AssignedDepartmentCode), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Records the verification; a true or partly true tip gets its reward proposed by the county's rule.</summary>
    public async Task<FieldErrors> VerifyAsync(Tip tip, VerifyInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var outcome = TipNames.ParseOutcome(input.Outcome);
        if (outcome is null) errors.Add(nameof(input.Outcome), "请选择核查结果：属实、部分属实或不属实");
        var evidence = Blank(input.Evidence);
        if (evidence is null) errors.Add(nameof(input.Evidence), "请填写核查情况和证据");
        else if (evidence.Length > 4000) errors.Add(nameof(input.Evidence), "核查情况不能超过 4000 字");
        if (!errors.Ok) return errors;
        tip.Verify(outcome!.Value, evidence!, db.CurrentUser.Id, Now);
        if (outcome is TipOutcome.True or TipOutcome.PartlyTrue)
        {
            var rule = await RuleAsync(tip.CountyCode, ct);
            var reward = Reward.Propose(tip, RewardTier.Verified, rule.VerifiedAmount, Today.AddDays(rule.PayWithinDays), Now);
            db.Add(reward);
            RewardPayoutEscalation.Open(db, reward);
            await TipNotices.RewardProposedAsync(db, tip, reward, ct);
        }
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>A case was filed on the tip: the unpaid reward rises to the case tier; a paid one gets a top-up.</summary>
    public async Task<FieldErrors> FileCaseAsync(Tip tip, CaseInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var number = Blank(input.CaseNumber);
        if (number is null) errors.Add(nameof(input.CaseNumber), "请填写立案编号");
        else if (number.Length > 100) errors.Add(nameof(input.CaseNumber), "立案编号不能超过 100 字");
        var filed = Today;
        if (Blank(input.FiledOn) is { } text && CalendarDate.Problem("立案日期", text, out filed) is { } problem) errors.Add(nameof(input.FiledOn), problem);
        if (!errors.Ok) return errors;
        await RaiseForCaseAsync(tip, number!, filed, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// The tip led to a filed case (typed on the tip, or a case filed from its clue): the unpaid reward rises to the case
    /// tier, a paid one gets a top-up. For the caller's SaveChanges.
    /// </summary>
    public async Task RaiseForCaseAsync(Tip tip, string number, DateOnly filed, CancellationToken ct)
    {
        tip.FileCase(number, filed);
        var rule = await RuleAsync(tip.CountyCode, ct);
        var rewards = await db.Set<Reward>().Where(r => r.TipId == tip.Id && r.Status != RewardStatus.Refused).ToListAsync(ct);
        var open = rewards.FirstOrDefault(r => r.Status is RewardStatus.Proposed or RewardStatus.Approved);
        var paid = rewards.Where(r => r.Status == RewardStatus.Paid).Sum(r => r.PaidAmount ?? r.Amount);
        if (open is not null && open.Tier != RewardTier.Case) open.Raise(RewardTier.Case, rule.CaseAmount - paid);
        else if (open is null && rewards.All(r => r.Tier != RewardTier.Case) && rule.CaseAmount > paid)
        {
            var topUp = Reward.Propose(tip, RewardTier.Case, rule.CaseAmount - paid, Today.AddDays(rule.PayWithinDays), Now);
            db.Add(topUp);
            RewardPayoutEscalation.Open(db, topUp);
            await TipNotices.RewardProposedAsync(db, tip, topUp, ct);
        }
    }

    public async Task<FieldErrors> LinkAditAsync(Tip tip, AditLinkInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var number = Blank(input.AditNumber);
        var adit = number is null ? null : await db.Set<Adit>().Where(a => a.Number == number).Select(a => new { a.Id, a.CountyCode }).FirstOrDefaultAsync(ct);
        if (number is null) errors.Add(nameof(input.AditNumber), "请填写矿硐编号");
        else if (adit is null || adit.CountyCode != tip.CountyCode) errors.Add(nameof(input.AditNumber), "本县（市）没有这个编号的矿硐");
        if (!errors.Ok) return errors;
        tip.LinkAdit(adit!.Id);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> MergeAsync(Tip tip, MergeInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var main = input.IntoTipId is { } id ? await FindAsync(id, ct) : null;
        if (main is null || main.CountyCode != tip.CountyCode) errors.Add(nameof(input.IntoTipId), "请选择本县（市）的一条线索作为合并目标");
        if (!errors.Ok) return errors;
        tip.MergeInto(main!);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> MessageAsync(Tip tip, MessageInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var text = Blank(input.Text);
        if (text is null) errors.Add(nameof(input.Text), "请填写要问举报人的内容");
        else if (text.Length > 2000) errors.Add(nameof(input.Text), "内容不能超过 2000 字");
        if (!errors.Ok) return errors;
        db.Add(TipMessage.Office(tip.Id, text!, db.CurrentUser.Id, Now));
        tip.AskedTipster();
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Probable duplicates of a tip in its county: pins within <see cref="DuplicateMetres"/> and
    /// <see cref="DuplicateDays"/> days, or descriptions alike within <see cref="DuplicateTextDays"/> days.
    /// </summary>
    public async Task<List<DuplicateView>> DuplicatesAsync(Tip tip, CancellationToken ct)
    {
        var from = tip.ReceivedUtc.AddDays(-DuplicateTextDays);
        var to = tip.ReceivedUtc.AddDays(DuplicateTextDays);
        var candidates = await db.Set<Tip>().AsNoTracking()
            .Where(t => t.CountyCode == tip.CountyCode && t.Id != tip.Id && t.Status != TipStatus.Merged && t.ReceivedUtc >= from && t.ReceivedUtc <= to)
            .OrderByDescending(t => t.ReceivedUtc).Take(500).ToListAsync(ct);
        var result = new List<DuplicateView>();
        foreach (var c in candidates)
        {
            string? reason = null;
            var days = Math.Abs((c.ReceivedUtc - tip.ReceivedUtc).TotalDays);
            if (tip.Lon is { } x1 && tip.Lat is { } y1 && c.Lon is { } x2 && c.Lat is { } y2 && days <= DuplicateDays)
            {
                var metres = Metres(x1, y1, x2, y2);
                if (metres <= DuplicateMetres) reason = $"位置相距约 {metres:0} 米，时间相差 {days:0} 天";
            }
            if (reason is null && Similarity(tip.Description + tip.Place, c.Description + c.Place) is var s && s >= DuplicateTextSimilarity)
                reason = $"内容相似（{s:P0}）";
            if (reason is not null)
                result.Add(new DuplicateView(c.Id, ChinaTime.Format(c.ReceivedUtc), Summary(c), reason));
        }
        return result;
    }

    public static string Summary(Tip t)
    {
        var kinds = string.Join("、", t.KindList.Select(TipKinds.Chinese));
        var text = t.Description.Length > 60 ? t.Description[..60] + "…" : t.Description;
        return string.Join("：", new[] { kinds, text }.Where(s => s.Length > 0));
    }

    public static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6_371_000;
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLon = (lon2 - lon1) * Math.PI / 180;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * r * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Jaccard similarity of the two texts' character bigrams (punctuation and spaces ignored).</summary>
    public static double Similarity(string a, string b)
    {
        static HashSet<string> Bigrams(string s)
        {
            var chars = s.Where(char.IsLetterOrDigit).ToArray();
            var set = new HashSet<string>();
            for (var i = 0; i + 1 < chars.Length; i++) set.Add(new string(chars, i, 2));
            return set;
        }
        var x = Bigrams(a);
        var y = Bigrams(b);
        if (x.Count < 3 || y.Count < 3) return 0;
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    // Rewards ---------------------------------------------------------------------------------------------------

    public Task<Reward?> FindRewardAsync(Guid id, CancellationToken ct) => db.Set<Reward>().FirstOrDefaultAsync(r => r.Id == id, ct);

    public async Task<RewardRule> RuleAsync(string countyCode, CancellationToken ct) =>
        await db.Set<RewardRule>().Beyond(ScopeExit.InheritedSettings).FirstOrDefaultAsync(r => r.DivisionCode == countyCode, ct) ?? RewardRule.Default(countyCode);

    /// <summary>A small county with one reward officer may let the approver also pay (<c>Tips:MergeApprovalAndPayment</c>); verification never merges.</summary>
    public bool MergeApprovalAndPayment => config.GetValue("Tips:MergeApprovalAndPayment", false);

    /// <summary>Who verified the reward's tip (the verifier may neither approve nor pay its reward).</summary>
    private Task<Guid?> VerifierAsync(Reward reward, CancellationToken ct) =>
        db.Set<Tip>().Where(t => t.Id == reward.TipId).Select(t => t.VerifiedById).FirstOrDefaultAsync(ct);

    public async Task ApproveAsync(Reward reward, CancellationToken ct)
    {
        reward.Approve(db.CurrentUser.Id, await VerifierAsync(reward, ct), Now);
        await db.SaveChangesAsync(ct);
    }

    public async Task<FieldErrors> RefuseAsync(Reward reward, RefuseInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = Blank(input.Reason);
        if (reason is null) errors.Add(nameof(input.Reason), "请填写不予奖励的理由");
        if (!errors.Ok) return errors;
        reward.Refuse(reason!, db.CurrentUser.Id, await VerifierAsync(reward, ct), Now);
        await db.CloseAsync(RewardPayoutEscalation.Subject, reward.Id, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> PayAsync(Reward reward, PayInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var amount = input.Amount ?? reward.Amount;
        if (amount <= 0 || amount > 10_000_000) errors.Add(nameof(input.Amount), "兑现金额须为正数（元）");
        var paidOn = Today;
        if (Blank(input.PaidOn) is { } text)
        {
            if (CalendarDate.Problem("兑现日期", text, out paidOn) is { } problem) errors.Add(nameof(input.PaidOn), problem);
            else if (paidOn > Today) errors.Add(nameof(input.PaidOn), "兑现日期不能晚于今天");
        }
        var method = Blank(input.Method);
        if (method is null) errors.Add(nameof(input.Method), "请填写兑现方式");
        else if (method.Length > 100) errors.Add(nameof(input.Method), "兑现方式不能超过 100 字");
        if ((input.Reference?.Length ?? 0) > 200) errors.Add(nameof(input.Reference), "凭证号不能超过 200 字");
        if (!errors.Ok) return errors;
        var named = await db.Set<Tip>().Where(t => t.Id == reward.TipId).Select(t => t.IsNamed).FirstOrDefaultAsync(ct);
        reward.Pay(amount, paidOn, method!, Blank(input.Reference), db.CurrentUser.Id, await VerifierAsync(reward, ct), MergeApprovalAndPayment, Now, named);
        await db.CloseAsync(RewardPayoutEscalation.Subject, reward.Id, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<(RewardRule? Rule, FieldErrors Errors)> SetRuleAsync(string countyCode, RewardRuleInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.VerifiedAmount is not > 0) errors.Add(nameof(input.VerifiedAmount), "查实奖励金额须为正数（元）");
        if (input.CaseAmount is not > 0) errors.Add(nameof(input.CaseAmount), "立案奖励金额须为正数（元）");
        else if (input.VerifiedAmount is > 0 && input.CaseAmount < input.VerifiedAmount) errors.Add(nameof(input.CaseAmount), "立案奖励不能低于查实奖励");
        if (input.PayWithinDays is not (>= 1 and <= 365)) errors.Add(nameof(input.PayWithinDays), "兑现时限须为 1 至 365 天");
        if ((input.Text?.Length ?? 0) > 1000) errors.Add(nameof(input.Text), "说明不能超过 1000 字");
        if (!errors.Ok) return (null, errors);
        var rule = await db.Set<RewardRule>().FirstOrDefaultAsync(r => r.DivisionCode == countyCode, ct);
        if (rule is null) db.Add(rule = RewardRule.Create(countyCode, input.VerifiedAmount!.Value, input.CaseAmount!.Value, input.PayWithinDays!.Value, Blank(input.Text), Now));
        else rule.With(input.VerifiedAmount!.Value, input.CaseAmount!.Value, input.PayWithinDays!.Value, Blank(input.Text), Now);
        await db.SaveChangesAsync(ct);
        return (rule, errors);
    }

    /// <summary>Decrypts a named tipster's identity for the reward officer or the discipline commission; audited first.</summary>
    public async Task<Tipster?> RevealTipsterAsync(Tip tip, CancellationToken ct)
    {
        if (tip.TipsterProtected is null) return null;
        db.AuditRead(nameof(Tip), tip.Id.ToString(), tip.DivisionCode, "查看举报人身份信息");
        await db.SaveChangesAsync(ct);
        return identity.UnprotectTipster(tip.TipsterProtected);
    }

    public async Task<PayoutChoice?> RevealClaimAsync(Reward reward, CancellationToken ct)
    {
        if (reward.ClaimProtected is null) return null;
        db.AuditRead(nameof(Reward), reward.Id.ToString(), reward.DivisionCode, "查看举报奖励领取方式和账号");
        await db.SaveChangesAsync(ct);
        return identity.UnprotectClaim(reward.ClaimProtected);
    }

    public Task<TipDetail> QueriesDetailAsync(Tip tip, CancellationToken ct) => new TipQueries(db).DetailAsync(tip, ct);

    public async Task<TipDetail> QueriesDetailAsync(Guid tipId, CancellationToken ct) =>
        await new TipQueries(db).DetailAsync(await db.Set<Tip>().FirstAsync(t => t.Id == tipId, ct), ct);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
