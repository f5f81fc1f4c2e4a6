using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using MineGuard.Data;

namespace MineGuard.Platform.Notifications;

/// <summary>
/// Hands the SMS outbox to the gateway, safe with several nodes on one PostgreSQL: a round claims a few due messages
/// atomically (UPDATE … WHERE Id IN (SELECT … FOR UPDATE SKIP LOCKED) on PostgreSQL; on SQLite the one writer makes the
/// UPDATE itself atomic), records an attempt before calling the gateway and its answer after. A node killed mid-send
/// leaves its claim to expire; another node then retries, and the attempt left in flight is marked "outcome unknown"
/// (answers are recorded once per round, so a node that dies mid-round leaves up to <see cref="SmsOptions.BatchSize"/>
/// attempts unknown: a message may then arrive twice, never not at all).
/// Failures retry with doubling back-off until <see cref="SmsOptions.MaxAttempts"/>, then the message is Failed.
/// </summary>
public sealed class SmsSender(IServiceScopeFactory scopes, ISmsGateway gateway, IOptions<SmsOptions> options, ILogger<SmsSender> log)
    : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>How often the gateway's answers are offered to a busy database before the round gives up on them.</summary>
    private const int RecordTries = 5;

    /// <summary>The longest pause a draining sender leaves SQLite's writer free between rounds.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(100);

    /// <summary>This node's name in claims and attempts.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    public void Wake()
    {
        try
        {
            if (wake.CurrentCount == 0) wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>
    /// One round: claim due messages and send them. Returns how many were handed to the gateway. The round writes in
    /// two short transactions whatever the batch holds: the claim with one attempt per message recorded before any call
    /// (an attempt still in flight from a dead node marked "outcome unknown"), then, after the gateway has answered
    /// every message, each attempt's outcome and each message's new state. Nothing holds the database while the gateway
    /// is called, and SQLite's one writer is taken twice a round, not four times a message.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var round = await RoundAsync([], ct);
        if (round.Answers.Count > 0) await RoundAsync(round.Answers, ct, claim: false);
        return round.Sent;
    }

    /// <summary>A message handed to the gateway, with its attempt, the gateway's answer and the round's claim.</summary>
    private sealed record Answer(SmsMessage Message, SmsAttempt Attempt, SmsResult Result, DateTime Done, string Claim);

    /// <summary>
    /// One transaction, then the gateway: the previous round's <paramref name="answers"/> recorded, and (unless
    /// <paramref name="claim"/> is false) due messages claimed with their attempts, in ONE transaction; then the claimed
    /// messages handed to the gateway, whose answers the caller records in its next round (a draining sender takes
    /// SQLite's one writer once a round instead of twice: the ingestion waited behind the sender's 80 commits for 2,000
    /// SMS). Returns how many were sent, their answers (not yet recorded), and how long a draining sender should then leave
    /// the database free: on SQLite as long as this round held its one writer (at most <see cref="MaxPause"/>), else nothing.
    /// A node that dies between the gateway's answers and the next round leaves them unrecorded: the claim expires, and
    /// another node marks the attempts "outcome unknown" and sends again (a message may arrive twice, never not at all).
    /// </summary>
    private async Task<(int Sent, List<Answer> Answers, TimeSpan Pause)> RoundAsync(List<Answer> answers, CancellationToken ct, bool claim = true)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:sms");
        var o = options.Value;
        var claimId = $"{Node}/{Guid.NewGuid().ToString("N")[..8]}";

        List<(SmsMessage Message, SmsAttempt Attempt)> work = [];
        // Held from the lock taken to the commit: a round that waited for the writer must not pause for that wait too.
        var held = new System.Diagnostics.Stopwatch();
        // Answers already given are recorded even when the round is being cancelled (these messages were handed over),
        // and a busy database (SQLite's writer held beyond the busy timeout) is waited out rather than the answers lost,
        // which would send the messages again once the claim expired.
        for (var tries = 1; ; tries++)
        {
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(answers.Count > 0 ? CancellationToken.None : ct);
                held.Start();
                if (answers.Count > 0) await RecordAsync(db, answers);
                if (claim && !ct.IsCancellationRequested)
                {
                    var now = db.Clock.GetUtcNow().UtcDateTime;
                    var ids = await ClaimAsync(db, claimId, now, now.AddSeconds(o.ClaimSeconds), o.BatchSize, ct);
                    if (ids.Count > 0)
                    {
                        var messages = await db.Set<SmsMessage>().AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync(ct);
                        // An attempt still in flight belongs to a node that died (or overran its claim): its outcome is unknown.
                        await db.Set<SmsAttempt>().Where(a => ids.Contains(a.SmsMessageId) && a.Outcome == SmsAttemptOutcome.InFlight)
                            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Outcome, SmsAttemptOutcome.Unknown).SetProperty(a => a.FinishedUtc, now)
                                .SetProperty(a => a.Error, "发送结果未知（发送节点中断或超时），已由其他尝试接替"), ct);
                        work = messages.OrderBy(m => m.NextAttemptUtc)
                            .Select(m => (m, SmsAttempt.Start(m.Id, m.DivisionCode, m.Attempts, Node, now))).ToList();
                        // Bookkeeping of the sender, not a change anyone made: no audit record per attempt.
                        await db.InsertAsync(work.Select(w => (object)w.Attempt).ToList(), ct);
                    }
                }

                await tx.CommitAsync(answers.Count > 0 ? CancellationToken.None : ct);
                break;
            }
            catch (Exception ex) when (answers.Count > 0 && DatabaseBusy.Is(ex) && tries < RecordTries)
            {
                log.LogInformation("SMS round {Claim}: the database is busy, recording the gateway's answers again (try {Try})", answers[0].Claim, tries + 1);
                held.Stop();
                work = [];
                await Task.Delay(TimeSpan.FromSeconds(tries), CancellationToken.None);
            }
        }

        held.Stop();
        var results = new List<Answer>(work.Count);
        foreach (var (message, attempt) in work)
        {
            SmsResult result;
            try
            {
                result = await gateway.SendAsync(message.Id, message.Phone, message.Text, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                result = SmsResult.Retry($"发送出错：{ex.Message}");
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping before this one was handed over: its claim expires and it is sent again.
                break;
            }

            results.Add(new Answer(message, attempt, result, db.Clock.GetUtcNow().UtcDateTime, claimId));
        }

        return (work.Count, results, db.IsPostgres ? TimeSpan.Zero : held.Elapsed < MaxPause ? held.Elapsed : MaxPause);
    }

    private static async Task<List<Guid>> ClaimAsync(AppDbContext db, string claim, DateTime now, DateTime until, int batch, CancellationToken ct)
    {
        if (!db.IsPostgres)
        {
            // SQLite: one writer at a time, so the conditional UPDATE is the claim.
            await db.Set<SmsMessage>().Where(s => s.Status == SmsStatus.Pending && s.NextAttemptUtc <= now && (s.ClaimedUntilUtc == null || s.ClaimedUntilUtc < now))
                .OrderBy(s => s.NextAttemptUtc).Take(batch)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, claim).SetProperty(m => m.ClaimedUntilUtc, until)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            return await db.Set<SmsMessage>().Where(s => s.ClaimedBy == claim).Select(s => s.Id).ToListAsync(ct);
        }
        // Inside the round's transaction: the connection is open and the command joins the transaction.
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        cmd.CommandText = """
            UPDATE "SmsMessages" SET "ClaimedBy" = @claim, "ClaimedUntilUtc" = @until, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (
                SELECT "Id" FROM "SmsMessages"
                WHERE "Status" = 0 AND "NextAttemptUtc" <= @now AND ("ClaimedUntilUtc" IS NULL OR "ClaimedUntilUtc" < @now)
                ORDER BY "NextAttemptUtc" LIMIT @batch
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id"
            """;
        Add(cmd, "claim", claim);
        Add(cmd, "until", until);
        Add(cmd, "now", now);
        Add(cmd, "batch", batch);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>
    /// A round's answers: each attempt's outcome, and each message sent, failed or due again after a back-off (only while
    /// its round's claim holds). Three UPDATEs prepared once and run per message with parameters built by the columns'
    /// own type mappings (<see cref="PreparedUpdate"/>, as <see cref="BulkInsert"/> does), not an EF query per statement: on SQLite this transaction
    /// holds the one writer, and ingestion waits behind it; on PostgreSQL the round's statements go in one round trip.
    /// </summary>
    private async Task RecordAsync(AppDbContext db, List<Answer> results)
    {
        var o = options.Value;
        var ct = CancellationToken.None;
        await using var attempt = db.PreparedUpdate<SmsAttempt>([nameof(SmsAttempt.Outcome), nameof(SmsAttempt.FinishedUtc),
            nameof(SmsAttempt.GatewayMessageId), nameof(SmsAttempt.Error)], [nameof(SmsAttempt.Id)], "");
        const string unclaim = ", \"ClaimedBy\" = NULL, \"ClaimedUntilUtc\" = NULL";
        await using var sent = db.PreparedUpdate<SmsMessage>([nameof(SmsMessage.Status), nameof(SmsMessage.SentUtc), nameof(SmsMessage.GatewayMessageId)],
            [nameof(SmsMessage.Id), nameof(SmsMessage.ClaimedBy)], ", \"LastError\" = NULL" + unclaim);
        await using var again = db.PreparedUpdate<SmsMessage>([nameof(SmsMessage.Status), nameof(SmsMessage.NextAttemptUtc), nameof(SmsMessage.LastError)],
            [nameof(SmsMessage.Id), nameof(SmsMessage.ClaimedBy)], unclaim);
        var rows = new List<(PreparedUpdate, object?[])>(results.Count * 2);
        foreach (var (message, tried, result, done, claim) in results)
        {
            var error = result.Error is { Length: > 500 } e ? e[..500] : result.Error;
            rows.Add((attempt, [result.Outcome, done, result.GatewayMessageId, error, tried.Id]));
            if (result.Outcome == SmsAttemptOutcome.Accepted)
            {
                rows.Add((sent, [SmsStatus.Sent, done, result.GatewayMessageId, message.Id, claim]));
            }
            else
            {
                var giveUp = result.Outcome == SmsAttemptOutcome.Refused || message.Attempts >= o.MaxAttempts;
                var next = done.AddSeconds(Math.Min(3600, o.FirstRetrySeconds * Math.Pow(2, Math.Max(0, message.Attempts - 1))));
                rows.Add((again, [giveUp ? SmsStatus.Failed : SmsStatus.Pending, next, error, message.Id, claim]));
            }
        }
        var changed = await PreparedUpdate.RunAllAsync(rows, ct);
        for (var i = 0; i < results.Count; i++)
        {
            if (changed[2 * i + 1] == 0)
                log.LogWarning("SMS {Id}: claim {Claim} expired before the gateway answered ({Outcome})", results[i].Message.Id, results[i].Claim, results[i].Result.Outcome);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.IntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            List<Answer> answers = [];
            try
            {
                // Drain: each round records the last one's answers and claims the next batch in one transaction, until a
                // round finds nothing due. On SQLite a draining sender leaves the one writer free, after a full batch,
                // for as long as its round held it (at most MaxPause): a fast gateway otherwise made the rounds back to
                // back, and an ingest batch or a user's save, polling for the lock at SQLite's growing intervals (up to
                // 100 ms), kept finding it taken — waits of 100–600 ms for a lock held 6 ms at a time.
                for (var round = await RoundAsync(answers, stoppingToken); round.Sent > 0; round = await RoundAsync(answers, stoppingToken))
                {
                    answers = round.Answers;
                    if (round.Sent >= options.Value.BatchSize) await Task.Delay(round.Pause, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await RecordBeforeStopAsync(answers);
                return;
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                // The claim rolled back: the messages stay due, and the next tick claims them.
                log.LogInformation("SMS sender: the database is busy (a long write elsewhere); the round runs again at the next tick");
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "SMS sender round failed");
            }
            try
            {
                await wake.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Stopping: what the gateway has answered is recorded before the node goes. If that fails too (the database gone at
    /// shutdown), the node still stops cleanly: the claims expire, and another node marks the attempts "outcome unknown"
    /// and sends again.
    /// </summary>
    private async Task RecordBeforeStopAsync(List<Answer> answers)
    {
        if (answers.Count == 0) return;
        try
        {
            await RoundAsync(answers, CancellationToken.None, claim: false);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "SMS sender: the gateway's answers for {Count} messages could not be recorded while stopping; their claims expire and the messages may be sent again", answers.Count);
        }
    }
}
