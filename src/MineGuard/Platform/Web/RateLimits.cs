using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;

namespace MineGuard.Platform.Web;

/// <summary>
/// Hits on one rate-limit bucket in one time slot. Kept in the database so that every node sees the same counts and a
/// restart forgets nothing; written only by <see cref="RateLimits"/> with one upsert, never through the change tracker
/// (so never in the audit trail).
/// </summary>
public sealed class RateCounter
{
    private RateCounter() { }

    /// <summary>What is counted, e.g. "login:src:10.0.0.7" or "tips:g:{keyed hash of an address}".</summary>
    public string Bucket { get; private set; } = "";

    /// <summary>Start of the slot, Unix seconds (an integer: the same on both engines, no date conversion).</summary>
    public long Slot { get; private set; }

    public int Hits { get; private set; }

    /// <summary>The latest hit, Unix milliseconds: the start of a growing delay.</summary>
    public long LastMs { get; private set; }
}

internal sealed class RateCounterConfiguration : IEntityTypeConfiguration<RateCounter>
{
    public void Configure(EntityTypeBuilder<RateCounter> e)
    {
        e.ToTable("RateCounters");
        e.HasKey(c => new { c.Bucket, c.Slot });
        e.Property(c => c.Bucket).HasMaxLength(120);
        e.HasIndex(c => c.Slot);
    }
}

/// <summary>How often a bucket was hit within a window, and when last.</summary>
public readonly record struct RateState(int Count, DateTime? LastUtc)
{
    /// <summary>
    /// A growing delay: the first <paramref name="free"/> hits cost nothing; after that each further attempt must wait
    /// <paramref name="first"/> × 2^(hits − free) since the latest hit, up to <paramref name="max"/>. Zero when it may go now.
    /// </summary>
    public TimeSpan Wait(int free, TimeSpan first, TimeSpan max, DateTime nowUtc)
    {
        if (Count < free || LastUtc is not { } last) return TimeSpan.Zero;
        var exponent = Math.Min(Count - free, 30);
        var delay = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << exponent)));
        var left = last + delay - nowUtc;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

/// <summary>
/// Rate-limit counters shared by every node (a small table of per-bucket time slots, see <see cref="RateCounter"/>).
/// A window is counted in 60 slots, so a one-hour window moves a minute at a time. Each call runs in its own short
/// unit of work, outside any transaction of the request, so a refused or failed request still counts.
/// </summary>
public sealed class RateLimits(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>Slots older than this are deleted now and then; no window is longer.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The hits of <paramref name="bucket"/> within <paramref name="window"/> until now.</summary>
    public async Task<RateState> ReadAsync(string bucket, TimeSpan window, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await ReadAsync(db, bucket, window, ct);
    }

    /// <summary>Counts one hit now and returns the state including it.</summary>
    public async Task<RateState> HitAsync(string bucket, TimeSpan window, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await HitAsync(db, bucket, window, ct);
    }

    /// <summary>
    /// Several reads and hits as one unit of work (one transaction, still outside the request's): one commit and, on
    /// SQLite, one turn of the writer instead of one per hit. A public tip's admission (the challenge spent, the source
    /// counted) is one such unit.
    /// </summary>
    public async Task<T> TogetherAsync<T>(Func<Counting, Task<T>> work, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work(new Counting(this, db));
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>The reads and hits of one <see cref="TogetherAsync"/>.</summary>
    public sealed class Counting
    {
        private readonly RateLimits limits;
        private readonly AppDbContext db;

        internal Counting(RateLimits limits, AppDbContext db) => (this.limits, this.db) = (limits, db);

        public Task<RateState> ReadAsync(string bucket, TimeSpan window, CancellationToken ct) => limits.ReadAsync(db, bucket, window, ct);

        public Task<RateState> HitAsync(string bucket, TimeSpan window, CancellationToken ct) => limits.HitAsync(db, bucket, window, ct);
    }

    private async Task<RateState> HitAsync(AppDbContext db, string bucket, TimeSpan window, CancellationToken ct)
    {
        var now = Now;
        var unix = new DateTimeOffset(now).ToUnixTimeSeconds();
        var slotLength = SlotSeconds(window);
        var slot = unix - unix % slotLength;
        var ms = new DateTimeOffset(now).ToUnixTimeMilliseconds();
        // One statement, atomic on both engines: concurrent hits on several nodes all count.
        var sql = db.IsPostgres
            ? """
              INSERT INTO "RateCounters" ("Bucket", "Slot", "Hits", "LastMs") VALUES ({0}, {1}, 1, {2})
              ON CONFLICT ("Bucket", "Slot") DO UPDATE SET "Hits" = "RateCounters"."Hits" + 1, "LastMs" = GREATEST("RateCounters"."LastMs", EXCLUDED."LastMs")
              """
            : """
              INSERT INTO "RateCounters" ("Bucket", "Slot", "Hits", "LastMs") VALUES ({0}, {1}, 1, {2})
              ON CONFLICT ("Bucket", "Slot") DO UPDATE SET "Hits" = "Hits" + 1, "LastMs" = MAX("LastMs", excluded."LastMs")
              """;
        await db.Database.ExecuteSqlRawAsync(sql, [Trim(bucket), slot, ms], ct);
        if (Random.Shared.Next(500) == 0)
        {
            var old = unix - (long)Longest.TotalSeconds;
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "RateCounters" WHERE "Slot" < {0}""", [old], ct);
        }
        return await ReadAsync(db, bucket, window, ct);
    }

    /// <summary>Forgets a bucket (e.g. an administrator releases an account).</summary>
    public async Task ClearAsync(string bucket, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "RateCounters" WHERE "Bucket" = {0}""", [Trim(bucket)], ct);
    }

    private async Task<RateState> ReadAsync(AppDbContext db, string bucket, TimeSpan window, CancellationToken ct)
    {
        var unix = new DateTimeOffset(Now).ToUnixTimeSeconds();
        var slotLength = SlotSeconds(window);
        // Slots that end after the window's start: at most one slot's length more than the window.
        var since = unix - (long)window.TotalSeconds - slotLength;
        var row = await db.Database.SqlQueryRaw<Totals>(
                """SELECT COALESCE(SUM("Hits"), 0) AS "Count", MAX("LastMs") AS "LastMs" FROM "RateCounters" WHERE "Bucket" = {0} AND "Slot" > {1}""",
                Trim(bucket), since)
            .ToListAsync(ct);
        var t = row.FirstOrDefault();
        return t is null ? new RateState(0, null)
            : new RateState((int)Math.Min(int.MaxValue, t.Count), t.LastMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null);
    }

    private static long SlotSeconds(TimeSpan window) => Math.Max(1, (long)window.TotalSeconds / 60);

    private static string Trim(string bucket) => bucket.Length <= 120 ? bucket : bucket[..120];

    private sealed class Totals
    {
        public long Count { get; set; }
        public long? LastMs { get; set; }
    }
}
