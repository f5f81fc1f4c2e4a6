using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;

namespace MineGuard.Platform.Deadlines;

/// <summary>Configuration section "Deadlines": whether this node runs the one clock, and how often.</summary>
public sealed class DeadlineOptions
{
    /// <summary>Whether the hosted job runs on this node (several nodes may all run it: each escalation happens once).</summary>
    public bool RunJob { get; set; } = true;

    /// <summary>Seconds between rounds.</summary>
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>Deadlines read per round (oldest first); a full batch starts the next round at once.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// The one clock (issue 12): every round reads the open deadlines whose <see cref="Deadline.EscalateAtUtc"/> has passed,
/// oldest first, and escalates each in its own transaction: a conditional UPDATE claims it (same level, same count of
/// escalations, still open), the subject's <see cref="IEscalation"/> tells the next level and writes its timeline line,
/// the job records the new level and next look, and one SaveChanges commits it all (audited). Of two nodes racing for one
/// deadline exactly one claims it; a node that dies mid-way leaves nothing half done. Tests call <see cref="RunOnceAsync"/>
/// after moving the injected clock.
/// </summary>
public sealed class DeadlineJob(IServiceScopeFactory scopes, IOptions<DeadlineOptions> options, SmsSender sms, ILogger<DeadlineJob> log)
    : BackgroundService
{
    private readonly HashSet<string> reportedUnhandled = [];
    private readonly Lock reportedLock = new();

    /// <summary>What a round did; More when it stopped at its batch limit and work is still waiting.</summary>
    public sealed record Round(int Escalated, int Closed, int Lost, bool More = false);

    public async Task<Round> RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:deadlines");
        var handlers = scope.ServiceProvider.GetServices<IEscalation>().GroupBy(h => h.SubjectType).ToDictionary(g => g.Key, g => g.First());
        var known = handlers.Keys.ToList();
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var batch = Math.Max(1, options.Value.BatchSize);

        // Kinds of work nobody handles (a feature switched off, a handler not yet written) are left where they are:
        // reported once, and never read again by the batch query, so they cannot make the job spin.
        var unhandled = await db.Deadlines().Beyond(ScopeExit.SystemJudgement)
            .Where(d => d.ClosedUtc == null && d.EscalateAtUtc != null && d.EscalateAtUtc <= now && !known.Contains(d.SubjectType))
            .Select(d => d.SubjectType).Distinct().ToListAsync(ct);
        foreach (var type in unhandled)
        {
            bool first;
            lock (reportedLock) first = reportedUnhandled.Add(type);
            if (first) log.LogWarning("Deadlines of subject type {SubjectType} are due but no IEscalation handles them; they are skipped", type);
        }

        var due = await db.Deadlines().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(d => d.ClosedUtc == null && d.EscalateAtUtc != null && d.EscalateAtUtc <= now && known.Contains(d.SubjectType))
            .OrderBy(d => d.EscalateAtUtc).Take(batch)
            .Select(d => new { d.Id, d.SubjectType, d.Level, d.Escalations })
            .ToListAsync(ct);

        int escalated = 0, closed = 0, lost = 0;
        foreach (var item in due)
        {
            db.ChangeTracker.Clear();
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // The claim: whoever changes the row first owns this escalation; the other node's UPDATE (blocked on the
                // row lock on PostgreSQL, serialised by the write lock on SQLite) then matches nothing.
                var claimed = await db.Deadlines().Beyond(ScopeExit.SystemJudgement)
                    .Where(d => d.Id == item.Id && d.Level == item.Level && d.Escalations == item.Escalations && d.ClosedUtc == null && d.EscalateAtUtc != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.EscalateAtUtc, (DateTime?)null), ct);
                if (claimed == 0)
                {
                    lost++;
                    continue;
                }
                var deadline = await db.Deadlines().Beyond(ScopeExit.SystemJudgement).FirstAsync(d => d.Id == item.Id, ct);
                var result = await handlers[item.SubjectType].EscalateAsync(deadline, ct);
                if (result is null)
                {
                    deadline.Close(now);
                    closed++;
                }
                else
                {
                    deadline.Escalated(result);
                    escalated++;
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // This deadline stays as it was (its transaction rolled back); the next round tries it again.
                log.LogWarning(ex, "escalating deadline {DeadlineId} ({SubjectType}) failed", item.Id, item.SubjectType);
            }
        }
        db.ChangeTracker.Clear();
        if (escalated > 0) sms.Wake();
        // A full batch means more may wait, unless nothing moved (every item failed): then the interval, not a spin.
        return new Round(escalated, closed, lost, due.Count == batch && escalated + closed + lost > 0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunJob) return;
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.IntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Not at the very start: the schema and reference data are being prepared then.
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                while ((await RunOnceAsync(stoppingToken)).More) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "deadline round failed");
            }
        }
    }
}
