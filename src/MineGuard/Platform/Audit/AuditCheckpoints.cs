using System.Text;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Audit;

/// <summary>
/// Signs the audit chain's head now and then (<see cref="AuditCheckpointTimer"/>, <c>audit verify</c>,
/// <c>audit checkpoint</c>) and writes the checkpoint where the database's administrator cannot reach it: an
/// append-only JSON-lines file, the structured log and, when configured, an external HTTP witness. <see cref="VerifyAsync"/>
/// checks the chain against those checkpoints, which finds what the hash chain alone cannot: records cut from the end
/// (truncation) and a rewrite whose later hashes were recomputed (re-chaining).
/// </summary>
public sealed class AuditCheckpoints(IConfiguration config, IHostEnvironment env, IHttpClientFactory http, ILogger<AuditCheckpoints> log)
{
    public const string WitnessClient = "audit-witness";
    private static readonly EventId CheckpointEvent = new(7305, "AuditCheckpoint");
    private static readonly EventId TamperEvent = new(7306, "AuditTampering");
    private readonly SemaphoreSlim oneWriter = new(1, 1);
    private AuditSigningKey? key;

    public string KeyFile => SecretFile.Resolve(config, env, "Audit:CheckpointKeyFile", "data/keys/audit-checkpoint.pem");

    public string CheckpointFile => SecretFile.Resolve(config, env, "Audit:CheckpointFile", "data/audit-checkpoints.jsonl");

    /// <summary>How often the timer looks at the head; "0" turns the timer off (the CLI still writes checkpoints).</summary>
    public TimeSpan Interval => TimeSpan.TryParse(config["Audit:CheckpointInterval"], System.Globalization.CultureInfo.InvariantCulture, out var t)
        ? t : TimeSpan.FromMinutes(5);

    public Uri? WitnessUrl => Uri.TryCreate(config["Audit:WitnessUrl"], UriKind.Absolute, out var u) ? u : null;

    public AuditSigningKey Key => key ??= AuditSigningKey.LoadOrCreate(KeyFile, log);

    /// <summary>The checkpoint file: the checkpoints signed by this key, and what is wrong with the other lines.</summary>
    public (List<AuditCheckpoint> Checkpoints, List<string> Problems) Read()
    {
        List<AuditCheckpoint> valid = [];
        List<string> problems = [];
        if (!File.Exists(CheckpointFile)) return (valid, problems);
        using var publicKey = Key.PublicKey();
        var number = 0;
        foreach (var line in File.ReadLines(CheckpointFile))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var checkpoint = AuditCheckpoint.Parse(line);
            if (checkpoint is null)
                problems.Add($"检查点文件第 {number} 行无法读取 / checkpoint file line {number} is not a checkpoint (altered or cut off)");
            else if (checkpoint.KeyId != Key.KeyId || !checkpoint.IsSignedBy(publicKey))
                problems.Add($"检查点文件第 {number} 行签名无效 / checkpoint file line {number}: signature does not verify with key {Key.KeyId} (forged or altered)");
            else
                valid.Add(checkpoint);
        }
        return (valid, problems);
    }

    public sealed record Report(AuditChain.Result Chain, long Head, int CheckpointCount, AuditCheckpoint? Latest, IReadOnlyList<string> Problems)
    {
        public bool IsIntact => Chain.IsIntact && Problems.Count == 0;
    }

    /// <summary>Walks the whole chain and compares it with every valid checkpoint. The context must act as the system.</summary>
    public async Task<Report> VerifyAsync(AppDbContext db, CancellationToken ct = default)
    {
        RequireSystem(db);
        var (checkpoints, problems) = Read();
        var wanted = checkpoints.Select(c => c.Sequence).ToHashSet();
        var seen = new Dictionary<long, string>();
        var chain = await AuditChain.VerifyFromAsync(db, 0, AuditRecord.GenesisHash, r =>
        {
            if (wanted.Contains(r.Sequence)) seen[r.Sequence] = r.Hash;
        }, ct);
        var head = await HeadAsync(db, ct);
        var latest = checkpoints.MaxBy(c => c.Sequence);
        if (latest is not null && latest.Sequence > head)
        {
            problems.Add(head == 0
                ? $"审计记录被截断 / audit trail TRUNCATED: 已签名检查点（{latest.AtUtc}）记录到第 {latest.Sequence} 条，数据库中已没有任何审计记录 / the signed checkpoint of {latest.AtUtc} covers record {latest.Sequence} but the database holds no audit record"
                : $"审计记录被截断 / audit trail TRUNCATED: 已签名检查点（{latest.AtUtc}）记录到第 {latest.Sequence} 条，数据库中最后一条是第 {head} 条 / the signed checkpoint of {latest.AtUtc} covers record {latest.Sequence} but the database ends at record {head}");
        }
        var rewritten = new List<AuditCheckpoint>();
        foreach (var checkpoint in checkpoints.Where(c => c.Sequence <= head).OrderBy(c => c.Sequence).DistinctBy(c => c.Sequence))
        {
            var hash = seen.TryGetValue(checkpoint.Sequence, out var h) ? h : await HashAtAsync(db, checkpoint.Sequence, ct);
            if (hash is null)
                problems.Add($"已签名检查点的第 {checkpoint.Sequence} 条记录缺失 / checkpointed record {checkpoint.Sequence} is MISSING from the database");
            else if (hash != checkpoint.Hash) rewritten.Add(checkpoint);
        }
        if (rewritten.Count > 0)
        {
            var first = rewritten[0];
            problems.Add($"审计链被改写 / audit trail REWRITTEN: 第 {first.Sequence} 条记录的哈希与已签名检查点（{first.AtUtc}）不符，链在改动后被重新计算 / record {first.Sequence} does not match the signed checkpoint of {first.AtUtc}: the chain was changed and re-chained ({rewritten.Count} checkpoint(s) differ)");
        }
        if (problems.Count > 0 || !chain.IsIntact)
            log.LogCritical(TamperEvent, "Audit trail verification failed: {Chain} {Problems}", chain.Reason, string.Join(" | ", problems));
        return new Report(chain, head, checkpoints.Count, latest, problems);
    }

    public sealed record Outcome(AuditCheckpoint? Written, AuditCheckpoint? Latest, string? Refused);

    /// <summary>
    /// Signs the head if it moved since the last checkpoint, after checking that the chain still holds the last
    /// checkpoint and extends it unbroken (so a tampered chain is never signed). One writer at a time: an advisory lock
    /// on PostgreSQL (several nodes), a semaphore within the process.
    /// </summary>
    public async Task<Outcome> WriteAsync(AppDbContext db, CancellationToken ct = default)
    {
        RequireSystem(db);
        await oneWriter.WaitAsync(ct);
        try
        {
            await using var tx = db.IsPostgres ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.LockAsync(LockKey.AuditCheckpoint, ct);
            var (checkpoints, _) = Read();
            var last = checkpoints.MaxBy(c => c.Sequence);
            if (last is not null)
            {
                var hash = await HashAtAsync(db, last.Sequence, ct);
                if (hash != last.Hash) return Refuse(last, hash is null
                    ? $"已签名检查点的第 {last.Sequence} 条记录已不在数据库中 / checkpointed record {last.Sequence} is gone"
                    : $"第 {last.Sequence} 条记录与已签名检查点不符 / record {last.Sequence} differs from its signed checkpoint");
            }
            var headHash = last?.Hash ?? AuditRecord.GenesisHash;
            var chain = await AuditChain.VerifyFromAsync(db, last?.Sequence ?? 0, headHash, r => headHash = r.Hash, ct);
            if (!chain.IsIntact) return Refuse(last, chain.Reason!);
            if (chain.Checked == (last?.Sequence ?? 0)) return new Outcome(null, last, null);

            var checkpoint = AuditCheckpoint.Create(chain.Checked, headHash, db.Clock.GetUtcNow().UtcDateTime, Key);
            Append(checkpoint);
            await SendToWitnessAsync(checkpoint, ct);
            return new Outcome(checkpoint, checkpoint, null);
        }
        finally
        {
            oneWriter.Release();
        }
    }

    private Outcome Refuse(AuditCheckpoint? last, string reason)
    {
        log.LogCritical(TamperEvent, "Audit checkpoint refused, the chain no longer extends the last checkpoint: {Reason}", reason);
        return new Outcome(null, last, reason);
    }

    private void Append(AuditCheckpoint checkpoint)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CheckpointFile)!);
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        using (var stream = new FileStream(CheckpointFile, options))
        {
            // One write of one whole line, flushed to the disk: a crash leaves at most a cut-off last line.
            stream.Write(Encoding.UTF8.GetBytes(checkpoint.ToJson() + "\n"));
            stream.Flush(flushToDisk: true);
        }
        log.LogInformation(CheckpointEvent, "Audit checkpoint: record {Sequence} hash {Hash} at {AtUtc}, key {KeyId}, signature {Signature}",
            checkpoint.Sequence, checkpoint.Hash, checkpoint.AtUtc, checkpoint.KeyId, checkpoint.Signature);
    }

    private async Task SendToWitnessAsync(AuditCheckpoint checkpoint, CancellationToken ct)
    {
        if (WitnessUrl is not { } url) return;
        try
        {
            using var client = http.CreateClient(WitnessClient);
            using var content = new StringContent(checkpoint.ToJson(), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content, ct);
            if (!response.IsSuccessStatusCode)
                log.LogWarning("Audit witness {Url} answered {Status} for checkpoint {Sequence}", url, (int)response.StatusCode, checkpoint.Sequence);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The file and the log hold the checkpoint; the witness gets the next one.
            log.LogWarning(e, "Audit witness {Url} not reached for checkpoint {Sequence}", url, checkpoint.Sequence);
        }
    }

    // The context acts as the system (scope: all), so the jurisdiction filter lets every audit record through.
    private static async Task<long> HeadAsync(AppDbContext db, CancellationToken ct) =>
        await db.AuditRecords.AsNoTracking().Select(a => (long?)a.Sequence).MaxAsync(ct) ?? 0;

    private static Task<string?> HashAtAsync(AppDbContext db, long sequence, CancellationToken ct) =>
        db.AuditRecords.AsNoTracking().Where(a => a.Sequence == sequence).Select(a => a.Hash).FirstOrDefaultAsync(ct);

    private static void RequireSystem(AppDbContext db)
    {
        if (!db.CurrentUser.Scope.IsAll) throw new InvalidOperationException("Audit checkpoints read the whole chain: act as the system.");
    }
}

/// <summary>Checkpoints the audit chain's head every <see cref="AuditCheckpoints.Interval"/> when it moved.</summary>
public sealed class AuditCheckpointTimer(AuditCheckpoints checkpoints, IServiceScopeFactory scopes, ILogger<AuditCheckpointTimer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = checkpoints.Interval;
        if (interval <= TimeSpan.Zero) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Not at start-up: the schema is being prepared then.
            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                db.CurrentUser.ActAsSystem("system:audit-checkpoint");
                await checkpoints.WriteAsync(db, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Audit checkpoint failed; retrying at the next interval");
            }
        }
    }
}
