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

    /// <summary>Deadlines claimed and escalated per transaction (oldest first); a full batch starts the next at once.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>Minutes before a deadline whose escalation failed on its own is looked at again.</summary>
    public int RetryMinutes { get; set; } = 10;

    /// <summary>
    /// Batches escalated at once within a round on PostgreSQL (each takes its own rows, <c>SKIP LOCKED</c>); while one
    /// waits on the database the other works. SQLite has one writer, so one batch at a time there.
    /// </summary>
    public int Workers { get; set; } = 2;
}

/// <summary>
/// The one clock (issue 12). Each round claims a batch of open deadlines whose <see cref="Deadline.EscalateAtUtc"/> has
/// passed, oldest first, with one <c>UPDATE … RETURNING</c> (on PostgreSQL the rows are picked <c>FOR UPDATE SKIP
/// LOCKED</c>, so two nodes take disjoint batches and never wait on each other; SQLite has one writer). In the same
/// transaction each subject type's <see cref="IEscalation"/> escalates its share of the batch (tells the next level,
/// writes its timeline line), the job records the new levels and next looks, and one save commits the batch (audited;
/// notifications and SMS go in one bulk insert: <see cref="AppDbContext.SaveManyAsync"/>). Each escalation happens once
/// with several nodes; a node that dies mid-way leaves nothing half done. When a batch fails, its deadlines are tried one by one so that one bad item cannot hold up the others; an item that fails on
/// its own is looked at again after <see cref="DeadlineOptions.RetryMinutes"/>. Tests call <see cref="RunOnceAsync"/>
/// after moving the injected clock.
/// </summary>
public sealed class DeadlineJob(IServiceScopeFactory scopes, IOptions<DeadlineOptions> options, SmsSender sms, ILogger<DeadlineJob> log)
    : BackgroundService
{
    private readonly HashSet<string> reportedUnhandled = [];
    private readonly Lock reportedLock = new();

    /// <summary>What a round did; More when it stopped at its batch limit and work is still waiting.</summary>
    public sealed record Round(int Escalated, int Closed, int Failed, bool More = false);

    /// <summary>
    /// A whole round: batches until nothing due is left, <see cref="DeadlineOptions.Workers"/> at a time on PostgreSQL.
    /// </summary>
    public async Task<Round> RunRoundAsync(CancellationToken ct)
    {
        bool postgres;
        using (var scope = scopes.CreateScope())
        {
            // Once per round, not per batch: which kinds are due without a handler, and whether batches may run side by side.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("system:deadlines");
            var known = scope.ServiceProvider.GetServices<IEscalation>().Select(h => h.SubjectType).Distinct();
            await ReportUnhandledAsync(db, known, db.Clock.GetUtcNow().UtcDateTime, ct);
            postgres = db.IsPostgres;
        }
        var workers = postgres ? Math.Max(1, options.Value.Workers) : 1;
        var rounds = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int escalated = 0, closed = 0, failed = 0;
            Round r;
            do
            {
                r = await RunBatchAsync(reportUnhandled: false, ct);
                (escalated, closed, failed) = (escalated + r.Escalated, closed + r.Closed, failed + r.Failed);
            }
            while (r.More);
            return new Round(escalated, closed, failed);
        }, ct)));
        return new Round(rounds.Sum(r => r.Escalated), rounds.Sum(r => r.Closed), rounds.Sum(r => r.Failed));
    }

    /// <summary>One batch (tests call this after moving the injected clock).</summary>
    public Task<Round> RunOnceAsync(CancellationToken ct) => RunBatchAsync(reportUnhandled: true, ct);

    private async Task<Round> RunBatchAsync(bool reportUnhandled, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:deadlines");
        var handlers = scope.ServiceProvider.GetServices<IEscalation>().GroupBy(h => h.SubjectType).ToDictionary(g => g.Key, g => g.First());
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var batch = Math.Max(1, options.Value.BatchSize);
        if (reportUnhandled) await ReportUnhandledAsync(db, handlers.Keys, now, ct);

        List<Guid> claimed;
        try
        {
            var (ids, escalated, closed) = await EscalateBatchAsync(db, handlers, now, batch, null, ct);
            if (escalated > 0) sms.Wake();
            return new Round(escalated, closed, 0, ids.Count == batch);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (!DatabaseBusy.Is(ex))
        {
            // The batch rolled back; find the bad item by trying each of the due deadlines on its own (a busy database
            // is no bad item: the round ends and the next tick takes the same batch).
            log.LogWarning(ex, "escalating a batch of deadlines failed; trying them one by one");
            db.ChangeTracker.Clear();
            claimed = await DueAsync(db, handlers.Keys, now, batch, ct);
        }

        int escalatedOne = 0, closedOne = 0, failed = 0;
        foreach (var id in claimed)
        {
            db.ChangeTracker.Clear();
            try
            {
                var (_, e, c) = await EscalateBatchAsync(db, handlers, now, 1, id, ct);
                escalatedOne += e;
                closedOne += c;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (!DatabaseBusy.Is(ex))
            {
                failed++;
                log.LogWarning(ex, "escalating deadline {DeadlineId} failed; looked at again in {Minutes} minutes", id, options.Value.RetryMinutes);
                db.ChangeTracker.Clear();
                var later = now.AddMinutes(Math.Max(1, options.Value.RetryMinutes));
                await db.Deadlines().Beyond(ScopeExit.SystemJudgement)
                    .Where(d => d.Id == id && d.ClosedUtc == null && d.EscalateAtUtc != null && d.EscalateAtUtc <= now)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.EscalateAtUtc, later), ct);
            }
        }
        db.ChangeTracker.Clear();
        if (escalatedOne > 0) sms.Wake();
        return new Round(escalatedOne, closedOne, failed, claimed.Count == batch);
    }

    /// <summary>
    /// One transaction: claim up to <paramref name="batch"/> due deadlines (or only <paramref name="only"/>), let each
    /// subject type's handler escalate its share, record the outcomes, commit.
    /// </summary>
    private static async Task<(List<Guid> Claimed, int Escalated, int Closed)> EscalateBatchAsync(AppDbContext db,
        IReadOnlyDictionary<string, IEscalation> handlers, DateTime now, int batch, Guid? only, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await ClaimAsync(db, [.. handlers.Keys], now, batch, only, ct);
        if (claimed.Count == 0) return (claimed, 0, 0);
        var deadlines = await db.Deadlines().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(d => claimed.Contains(d.Id)).ToListAsync(ct);
        var outcomes = new List<(Guid Id, Escalation? Result)>(deadlines.Count);
        foreach (var group in deadlines.GroupBy(d => d.SubjectType))
        {
            var items = group.OrderBy(d => d.DueUtc).ToList();
            var results = await handlers[group.Key].EscalateAsync(items, ct);
            if (results.Count != items.Count) throw new InvalidOperationException($"{group.Key}: {results.Count} answers for {items.Count} deadlines");
            outcomes.AddRange(items.Select((d, i) => (d.Id, results[i])));
        }
        await db.SaveManyAsync(ct);
        await RecordAsync(db, outcomes, now, ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        var escalated = outcomes.Count(o => o.Result is not null);
        var closed = outcomes.Count - escalated;
        return (claimed, escalated, closed);
    }

    /// <summary>
    /// Records the batch's outcomes on the deadlines, set-based: work no longer needing escalation is closed; escalated work
    /// takes its new level, one more escalation and its next due time (none: nobody above is left, never looked at again).
    /// One UPDATE per distinct (level, next due) — a batch of assignments shares one — instead of one per row.
    /// </summary>
    private static async Task RecordAsync(AppDbContext db, List<(Guid Id, Escalation? Result)> outcomes, DateTime now, CancellationToken ct)
    {
        var done = outcomes.Where(o => o.Result is null).Select(o => o.Id).ToList();
        if (done.Count > 0)
        {
            await db.Deadlines().Beyond(ScopeExit.SystemJudgement).Where(d => done.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClosedUtc, now), ct);
        }
        foreach (var group in outcomes.Where(o => o.Result is not null).GroupBy(o => o.Result!))
        {
            var ids = group.Select(o => o.Id).ToList();
            var (level, next) = (group.Key.Level, group.Key.NextDueUtc);
            var rows = db.Deadlines().Beyond(ScopeExit.SystemJudgement).Where(d => ids.Contains(d.Id));
            if (next is { } due)
            {
                await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Level, level).SetProperty(d => d.Escalations, d => d.Escalations + 1)
                    .SetProperty(d => d.DueUtc, due).SetProperty(d => d.EscalateAtUtc, due), ct);
            }
            else
            {
                // The claim already took the row off the clock (EscalateAtUtc = null).
                await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Level, level).SetProperty(d => d.Escalations, d => d.Escalations + 1), ct);
            }
        }
    }

    /// <summary>
    /// The claim: one UPDATE takes the due rows off the clock (EscalateAtUtc = null) and returns their ids. Whoever
    /// changes a row first owns its escalation; on PostgreSQL rows another node holds are skipped, not waited for.
    /// </summary>
    private static async Task<List<Guid>> ClaimAsync(AppDbContext db, IReadOnlyList<string> known, DateTime now, int batch, Guid? only, CancellationToken ct)
    {
        if (known.Count == 0) return [];
        object[] values = [now, batch, .. known, .. only is { } id ? new object[] { id } : []];
        var types = string.Join(", ", known.Select((_, i) => "{" + (i + 2) + "}"));
        var one = only is null ? "" : "AND \"Id\" = {" + (known.Count + 2) + "}";
        var skipLocked = db.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE "Deadlines" SET "EscalateAtUtc" = NULL
            WHERE "Id" IN (SELECT "Id" FROM "Deadlines"
                           WHERE "ClosedUtc" IS NULL AND "EscalateAtUtc" <= {"{0}"} AND "SubjectType" IN ({types}) {one}
                           ORDER BY "EscalateAtUtc" LIMIT {"{1}"} {skipLocked})
            RETURNING "Id" AS "Value"
            """;
        return await db.Database.SqlQueryRaw<Guid>(sql, values).ToListAsync(ct);
    }

    /// <summary>The ids a batch would claim, read without claiming (to try a failed batch's items one by one).</summary>
    private static Task<List<Guid>> DueAsync(AppDbContext db, IEnumerable<string> known, DateTime now, int batch, CancellationToken ct)
    {
        var types = known.ToList();
        return db.Deadlines().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(d => d.ClosedUtc == null && d.EscalateAtUtc != null && d.EscalateAtUtc <= now && types.Contains(d.SubjectType))
            .OrderBy(d => d.EscalateAtUtc).Take(batch).Select(d => d.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Kinds of work nobody handles (a feature switched off, a handler not yet written) are left where they are: reported
    /// once, and never claimed, so they cannot make the job spin.
    /// </summary>
    private async Task ReportUnhandledAsync(AppDbContext db, IEnumerable<string> known, DateTime now, CancellationToken ct)
    {
        var types = known.ToList();
        var unhandled = await db.Deadlines().Beyond(ScopeExit.SystemJudgement)
            .Where(d => d.ClosedUtc == null && d.EscalateAtUtc != null && d.EscalateAtUtc <= now && !types.Contains(d.SubjectType))
            .Select(d => d.SubjectType).Distinct().ToListAsync(ct);
        foreach (var type in unhandled)
        {
            bool first;
            lock (reportedLock) first = reportedUnhandled.Add(type);
            if (first) log.LogWarning("Deadlines of subject type {SubjectType} are due but no IEscalation handles them; they are skipped", type);
        }
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
                await RunRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                log.LogInformation("deadline round: the database is busy (a long write elsewhere); the round runs again at the next tick");
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "deadline round failed");
            }
        }
    }
}
