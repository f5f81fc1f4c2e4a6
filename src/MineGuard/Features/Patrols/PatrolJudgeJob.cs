using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

/// <summary>
/// 待核验: a patrol whose check-ins must be judged again because a field request stored something that can change a
/// verdict (a check-in, a photo, track). The request writes this row in its own transaction (so a node that dies after
/// answering loses nothing) and the <see cref="PatrolJudgeJob"/> judges the patrol once the burst is over: a phone back in
/// signal sends a day's ~80 requests within a minute, and judging the day once instead of after each request is what
/// makes a request cost about what its rows cost.
/// </summary>
public sealed class PatrolJudgement : IInJurisdiction
{
    private PatrolJudgement() { }

    public Guid PatrolId { get; private set; }

    /// <summary>The member's division when marked (the row is the system's; the scope filter keeps it like the rest).</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>When the first request of this burst marked it.</summary>
    public DateTime MarkedUtc { get; private set; }

    /// <summary>When it is judged: <see cref="JudgeOptions.QuietSeconds"/> after the burst's last request, at the latest
    /// <see cref="LatestUtc"/>.</summary>
    public DateTime DueUtc { get; private set; }

    /// <summary>A burst that goes on and on is judged by then all the same (<see cref="JudgeOptions.MaxWaitSeconds"/> after the first mark).</summary>
    public DateTime LatestUtc { get; private set; }
}

internal sealed class PatrolJudgementConfiguration : IEntityTypeConfiguration<PatrolJudgement>
{
    public void Configure(EntityTypeBuilder<PatrolJudgement> e)
    {
        e.ToTable("PatrolJudgements");
        e.HasKey(j => j.PatrolId);
        e.Property(j => j.DivisionCode).HasMaxLength(24);
        e.HasIndex(j => j.DueUtc);
    }
}

/// <summary>Configuration section "PatrolJudgements".</summary>
public sealed class JudgeOptions
{
    /// <summary>Whether this node runs the judge job (several nodes may: each marked patrol is claimed by one).</summary>
    public bool RunJob { get; set; } = true;

    /// <summary>Seconds without a request for the patrol before its check-ins are judged.</summary>
    public double QuietSeconds { get; set; } = 3;

    /// <summary>Seconds after the first mark by which the patrol is judged even while requests keep coming.</summary>
    public double MaxWaitSeconds { get; set; } = 30;

    /// <summary>Milliseconds between the job's looks for due patrols.</summary>
    public int TickMilliseconds { get; set; } = 1000;

    /// <summary>Minutes before a patrol whose judgement failed is tried again.</summary>
    public int RetryMinutes { get; set; } = 10;
}

/// <summary>
/// Judges marked patrols (<see cref="PatrolJudgement"/>) once their burst of requests is over. Each patrol is claimed
/// and judged in ONE transaction (<c>DELETE … RETURNING</c>; on PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, so two nodes
/// never judge the same patrol at once and never wait on each other; SQLite has one writer): the row goes with the
/// judgement, so a node that dies mid-way leaves the mark for another. A request that marks the patrol again while it is
/// judged waits for the claim and marks it anew, so what it stored is judged in the next round. A judgement that fails
/// is tried again after <see cref="JudgeOptions.RetryMinutes"/>. Tests call <see cref="JudgeAllMarkedAsync"/>.
/// </summary>
public sealed class PatrolJudgeJob(IServiceScopeFactory scopes, IOptions<JudgeOptions> options, ILogger<PatrolJudgeJob> log) : BackgroundService
{
    /// <summary>
    /// Marks the patrol for judgement in the caller's transaction: the first request of a burst inserts the row, each
    /// later one moves its due time to <see cref="JudgeOptions.QuietSeconds"/> from now, never past its latest time.
    /// </summary>
    public static Task MarkAsync(AppDbContext db, JudgeOptions options, Guid patrolId, string divisionCode, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var due = now.AddSeconds(options.QuietSeconds);
        var latest = now.AddSeconds(Math.Max(options.QuietSeconds, options.MaxWaitSeconds));
        var least = db.IsPostgres ? "LEAST" : "MIN";
        var sql = $"""
            INSERT INTO "PatrolJudgements" ("PatrolId", "DivisionCode", "MarkedUtc", "DueUtc", "LatestUtc") VALUES ({"{0}"}, {"{1}"}, {"{2}"}, {"{3}"}, {"{4}"})
            ON CONFLICT ("PatrolId") DO UPDATE SET "DueUtc" = {least}(excluded."DueUtc", "PatrolJudgements"."LatestUtc")
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [patrolId, divisionCode, now, due, latest], ct);
    }

    /// <summary>Judges every patrol that is due; the number judged.</summary>
    public Task<int> JudgeDueAsync(CancellationToken ct) => RunAsync(all: false, ct);

    /// <summary>Judges every marked patrol now, due or not (tests: the test clock does not move by itself).</summary>
    public Task<int> JudgeAllMarkedAsync(CancellationToken ct) => RunAsync(all: true, ct);

    /// <summary>How long judging everything waits for patrols other rounds hold (a test's round beside the job's).</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private async Task<int> RunAsync(bool all, CancellationToken ct)
    {
        var judged = 0;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("system:patrol-judge");
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var until = all ? now.AddYears(100) : now;
            // A read first: the loop looks every second on every node, and on SQLite even a DELETE of nothing takes the writer.
            if (!await db.Set<PatrolJudgement>().Beyond(ScopeExit.SystemJudgement).AnyAsync(j => j.DueUtc <= until, ct)) return judged;
            List<Guid>? claimed = null;
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                claimed = await ClaimAsync(db, until, ct);
                if (claimed.Count == 0)
                {
                    // Every due patrol is held: another round judges it, or a request is marking it again. Judging
                    // everything waits until they are done, so that when it returns, every patrol marked before it began is judged.
                    if (!all) return judged;
                    await tx.RollbackAsync(ct);
                    await WaitAsync(waited, ct);
                    continue;
                }

                // One row (LIMIT 1); every patrol whose mark the claim deleted is judged, whatever the statement returned.
                await scope.ServiceProvider.GetRequiredService<PatrolEvaluator>().EvaluateAsync(claimed, ct);
                await tx.CommitAsync(ct);
                judged += claimed.Count;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (all && DatabaseBusy.Is(ex))
            {
                // Rolled back whole (PostgreSQL chose this round as a deadlock's victim; SQLite's writer was busy): the
                // mark is still there, judged on the next look. The job's own round leaves it for its next tick.
                await WaitAsync(waited, ct);
            }
            catch (Exception ex) when (claimed is { Count: > 0 } failed && !DatabaseBusy.Is(ex))
            {
                log.LogError(ex, "judging patrol {PatrolId} failed; tried again in {Minutes} minutes", string.Join(", ", failed), options.Value.RetryMinutes);
                db.ChangeTracker.Clear();
                var later = now.AddMinutes(Math.Max(1, options.Value.RetryMinutes));
                await db.Set<PatrolJudgement>().Beyond(ScopeExit.SystemJudgement).Where(j => failed.Contains(j.PatrolId))
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.DueUtc, later).SetProperty(j => j.LatestUtc, later), ct);
                // Judging everything marked would take the failed patrol again at once.
                if (all) return judged;
            }
        }
    }

    private static async Task WaitAsync(System.Diagnostics.Stopwatch waited, CancellationToken ct)
    {
        if (waited.Elapsed > MaxWait)
            throw new TimeoutException($"marked patrols were still held by other rounds after {MaxWait.TotalSeconds:0} s");
        await Task.Delay(20, ct);
    }

    /// <summary>
    /// Takes the most overdue marked patrol whose due time has come and no other round holds (none: an empty list). On
    /// PostgreSQL the row is picked in a materialized CTE with <c>FOR UPDATE SKIP LOCKED</c>: run once, and never waiting
    /// on another round's row. The earlier form, <c>DELETE … WHERE "PatrolId" IN (SELECT … LIMIT 1 FOR UPDATE)</c>, waited;
    /// after the wait PostgreSQL's recheck could run the subquery again, so one statement deleted two or three marks
    /// while the round judged only the first: the others' check-ins were left unjudged with no mark to bring them back
    /// (measured: 6 such claims and 4 unjudged check-ins in 160 patrols beside the patrol tests), and claims waiting on
    /// each other's rows deadlocked.
    /// </summary>
    private static Task<List<Guid>> ClaimAsync(AppDbContext db, DateTime until, CancellationToken ct)
    {
        var sql = db.IsPostgres
            ? """
              WITH next AS MATERIALIZED (
                  SELECT "PatrolId" FROM "PatrolJudgements" WHERE "DueUtc" <= {0} ORDER BY "DueUtc" LIMIT 1 FOR UPDATE SKIP LOCKED)
              DELETE FROM "PatrolJudgements" AS j USING next WHERE j."PatrolId" = next."PatrolId"
              RETURNING j."PatrolId" AS "Value"
              """
            : """
              DELETE FROM "PatrolJudgements"
              WHERE "PatrolId" IN (SELECT "PatrolId" FROM "PatrolJudgements" WHERE "DueUtc" <= {0} ORDER BY "DueUtc" LIMIT 1)
              RETURNING "PatrolId" AS "Value"
              """;
        return db.Database.SqlQueryRaw<Guid>(sql, until).ToListAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunJob) return;
        var tick = TimeSpan.FromMilliseconds(Math.Max(50, options.Value.TickMilliseconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Not at the very start: the schema and reference data are being prepared then.
                await Task.Delay(tick, stoppingToken);
                await JudgeDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                log.LogInformation("patrol judgement: the database is busy (a long write elsewhere); tried again at the next tick");
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "patrol judgement round failed");
            }
        }
    }
}
