using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Tips;

/// <summary>
/// A reward payout on the one clock (subject "reward-payout"): proposed with the county's promise (<see cref="Reward.PayBy"/>),
/// due at the end of that day (China time), taken off when paid or refused. Past due and still unpaid, the county's
/// office and leaders are told once (in-app and SMS): the promise to a tipster is the county's to keep.
/// </summary>
public sealed class RewardPayoutEscalation(AppDbContext db, Responsibility responsibility) : IEscalation
{
    public const string Subject = "reward-payout";

    public string SubjectType => Subject;

    public static DateTime DueUtc(DateOnly payBy) => ChinaTime.ToUtc(payBy.AddDays(1).ToDateTime(TimeOnly.MinValue));

    /// <summary>Puts a proposed reward on the clock (saved with the caller's changes).</summary>
    public static void Open(AppDbContext db, Reward reward) =>
        db.Open(Subject, reward.Id, reward.DivisionCode, null, DueUtc(reward.PayBy), AnswerLevel.County);

    public async Task<Escalation?> EscalateAsync(Deadline deadline, CancellationToken ct)
    {
        var reward = await db.Set<Reward>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == deadline.SubjectId, ct);
        if (reward is null || reward.Status is RewardStatus.Paid or RewardStatus.Refused) return null;
        var county = reward.DivisionCode[..Math.Min(6, reward.DivisionCode.Length)];
        var state = reward.Status == RewardStatus.Approved ? "已审批未兑现" : "尚未审批";
        foreach (var who in await responsibility.WhoAnswersAsync(new Place(county), AnswerLevel.County, null, ct))
        {
            db.Tell(who, reward.DivisionCode, "举报奖励逾期未兑现",
                $"一笔{Reward.Chinese(reward.Tier)} {reward.Amount} 元已超过兑现期限 {reward.PayBy:yyyy-MM-dd}（{state}），请督促兑现。",
                $"/tips/{reward.TipId}", "tip-reward", reward.Id, sms: true);
        }
        return new Escalation(AnswerLevel.County, null);
    }
}
