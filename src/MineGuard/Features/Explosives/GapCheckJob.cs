using MineGuard.Data;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Explosives;

/// <summary>
/// The daily gap check of the explosives loop: once a day after <c>Explosives:CheckHour</c> (China time, default 4,
/// after the source systems' night exports) <see cref="GapDesk.CheckAsync"/> runs over everything as the system, so a
/// gap becomes an alert without anyone asking. <c>Explosives:RunJob</c> (default true) switches it off. The office's
/// <c>POST /api/explosives/gaps/check</c> runs the same check over its own scope.
/// </summary>
public sealed class GapCheckJob(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<GapCheckJob> log) : BackgroundService
{
    /// <summary>Runs the check once as the system; returns the gaps raised.</summary>
    public async Task<GapCheckView> RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:explosives");
        return await scope.ServiceProvider.GetRequiredService<GapDesk>().CheckAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Explosives:RunJob", true)) return;
        await DailyAt.RunAsync(clock, Math.Clamp(config.GetValue("Explosives:CheckHour", 4), 0, 23), async ct =>
        {
            var round = await RunOnceAsync(ct);
            if (round.Raised > 0) log.LogInformation("Explosives loop: {Raised} new gaps raised as alerts", round.Raised);
        }, log, "Explosives loop: the daily gap check failed; tried again tomorrow", stoppingToken);
    }
}
