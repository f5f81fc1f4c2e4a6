using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Accountability;

/// <summary>
/// The daily evaluation of the accountability rules: once a day after <c>Referrals:EvaluateHour</c> (China time, default
/// 3) the current month and the month before are evaluated over everything, as the system (a month's facts keep arriving
/// — a spot-check result, a review — after it ends). <c>Referrals:RunJob</c> (default true) switches it off. The office's
/// <c>POST /api/referrals/evaluate</c> runs the same <see cref="ReferralEvaluator"/> over its own scope.
/// </summary>
public sealed class ReferralJob(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<ReferralJob> log) : BackgroundService
{
    /// <summary>Evaluates the month of <paramref name="today"/> and the month before; returns the referrals created.</summary>
    public async Task<int> RunOnceAsync(DateOnly today, CancellationToken ct)
    {
        var created = 0;
        foreach (var month in new[] { ReferralMonth.Of(today.AddMonths(-1)), ReferralMonth.Of(today) })
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("system:referrals");
            var evaluator = scope.ServiceProvider.GetRequiredService<ReferralEvaluator>();
            created += (await evaluator.EvaluateAsync(JurisdictionScope.All, month, ct)).Count;
            await db.SaveChangesAsync(ct);
        }
        return created;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Referrals:RunJob", true)) return;
        await DailyAt.RunAsync(clock, Math.Clamp(config.GetValue("Referrals:EvaluateHour", 3), 0, 23), async ct =>
        {
            var created = await RunOnceAsync(DateOnly.FromDateTime(ChinaTime.ToLocal(clock.GetUtcNow().UtcDateTime)), ct);
            if (created > 0) log.LogInformation("Accountability rules: {Created} referrals created", created);
        }, log, "Accountability rules: the daily evaluation failed; tried again tomorrow", stoppingToken);
    }
}
