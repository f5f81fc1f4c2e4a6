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

    public async Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        var ids = deadlines.Select(d => d.SubjectId).ToList();
        var unpaid = await db.Set<Reward>().AsNoTracking()
            .Where(r => ids.Contains(r.Id) && r.Status != RewardStatus.Paid && r.Status != RewardStatus.Refused).ToDictionaryAsync(r => r.Id, ct);
        var asks = deadlines.Select(d => unpaid.TryGetValue(d.SubjectId, out var r)
            ? (new Place(r.DivisionCode[..Math.Min(6, r.DivisionCode.Length)]), AnswerLevel.County) : ((Place, AnswerLevel)?)null).ToList();
        var answers = await responsibility.WhoAnswersEachAsync(asks, ct);
        return deadlines.Select((deadline, i) =>
        {
            if (!unpaid.TryGetValue(deadline.SubjectId, out var reward)) return null;
            var state = reward.Status == RewardStatus.Approved ? "已审批未兑现" : "尚未审批";
            foreach (var who in answers[i])
            {
                db.Tell(who, reward.DivisionCode, "举报奖励逾期未兑现",
                    $"一笔{Reward.Chinese(reward.Tier)} {reward.Amount} 元已超过兑现期限 {reward.PayBy:yyyy-MM-dd}（{state}），请督促兑现。",
                    $"/tips/{reward.TipId}", "tip-reward", reward.Id, sms: true);
            }
            // The reward itself does not change, so the escalation is audited as an event.
            db.AuditEvent("escalate", nameof(Reward), reward.Id.ToString(), $"逾期未兑现（{state}），已通知 {answers[i].Count} 人", reward.DivisionCode);
            return (Escalation?)new Escalation(AnswerLevel.County, null);
        }).ToList();
    }
}
