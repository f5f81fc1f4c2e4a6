using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MineGuard.Features.Tips;

/// <summary>
/// What stands between the public tip pages and a flood, without keeping anything that identifies a sender.
/// </summary>
/// <remarks>
/// <para><b>No address, browser or cookie is kept.</b> <see cref="Admit"/> runs first in every public handler: it turns
/// the caller's address into a keyed hash (HMAC-SHA256 under a random key made when the process starts and never
/// written anywhere), then clears the address from the connection and removes the User-Agent, Cookie, Referer and
/// forwarding headers from the request, so nothing later in the request — the audit trail (which records the
/// caller's address for staff), a log line, an exception page — can see them. The hash lives only in this process's
/// memory, in the counters below, for at most the limiter's window; it is never stored with a tip. Because the key
/// changes at every restart, even a memory dump cannot be matched against addresses later.</para>
/// <para><b>Limits</b> (per node; a city deployment behind several nodes lets a flooder send at most N× as much,
/// which the proof-of-work still makes costly): a source may submit <see cref="ScriptedPerHour"/> tips per hour with a
/// solved proof-of-work, <see cref="PlainPerHour"/> without one (a phone with JavaScript off), and the node accepts at
/// most <see cref="PlainPerHourAll"/> tips without proof-of-work per hour from all sources together. Wrong receipt
/// codes are limited per source and per locator (so a guesser spread over many addresses still gets
/// <see cref="GuessesPerHour"/> tries per locator per hour, against ≈ 2^83 secrets). The price: someone who knows a
/// tipster's locator can keep that tipster out for an hour at a time; the locator is on the tipster's paper only, and
/// an hour's wait costs a villager little, while letting guesses through would cost their safety.</para>
/// <para><b>Proof-of-work</b> instead of a captcha a villager cannot solve: the form carries a signed challenge; the
/// page's script finds a nonce whose SHA-256 with it starts with <see cref="PowBits"/> zero bits (about a second on a
/// cheap phone) and posts it. A challenge is signed with the process key, valid for two hours and used once.</para>
/// </remarks>
public sealed class PublicGuard(TimeProvider clock, IConfiguration config)
{
    public const int ScriptedPerHour = 10;
    public const int PlainPerHour = 3;
    public const int PlainPerHourAll = 120;
    public const int GuessesPerHour = 10;

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan ChallengeLife = TimeSpan.FromHours(2);
    private const string SourceItem = "mg:tips:source";

    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Queue<DateTime>> hits = new();
    private readonly ConcurrentDictionary<string, DateTime> usedChallenges = new();

    public int PowBits { get; } = int.TryParse(config["Tips:PowBits"], out var b) && b is >= 1 and <= 28 ? b : 16;

    /// <summary>Keys the caller by a hash of its address, then removes everything identifying from the request.</summary>
    public void Admit(HttpContext http)
    {
        if (http.Items.ContainsKey(SourceItem)) return;
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        http.Items[SourceItem] = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(address)))[..32];
        http.Connection.RemoteIpAddress = null;
        http.Connection.RemotePort = 0;
        foreach (var header in new[] { "User-Agent", "Cookie", "Referer", "X-Forwarded-For", "X-Original-For", "X-Real-IP", "Forwarded", "Via" })
        {
            http.Request.Headers.Remove(header);
        }
    }

    private static string Source(HttpContext http) =>
        http.Items[SourceItem] as string ?? throw new InvalidOperationException("PublicGuard.Admit was not called");

    /// <summary>May this source submit a tip now? Counts the attempt when it may.</summary>
    public bool TrySubmit(HttpContext http, bool solvedPow)
    {
        var source = Source(http);
        if (solvedPow) return Take("s:" + source, ScriptedPerHour);
        if (Count("p:" + source) >= PlainPerHour || Count("p:*") >= PlainPerHourAll) return false;
        Take("p:" + source, PlainPerHour);
        Take("p:*", PlainPerHourAll);
        return true;
    }

    /// <summary>Too many wrong codes lately from this source or for this locator (whether or not a tip has it).</summary>
    public bool GuessingBlocked(HttpContext http, string? locator) =>
        Count("g:" + Source(http)) >= GuessesPerHour || (locator is not null && Count("l:" + locator) >= GuessesPerHour);

    public void WrongGuess(HttpContext http, string? locator)
    {
        Take("g:" + Source(http), int.MaxValue);
        if (locator is not null) Take("l:" + locator, int.MaxValue);
    }

    private int Count(string bucket)
    {
        if (!hits.TryGetValue(bucket, out var q)) return 0;
        lock (q)
        {
            Trim(q);
            return q.Count;
        }
    }

    private bool Take(string bucket, int limit)
    {
        if (hits.Count > 100_000) Sweep();
        var q = hits.GetOrAdd(bucket, _ => new Queue<DateTime>());
        lock (q)
        {
            Trim(q);
            if (q.Count >= limit) return false;
            q.Enqueue(clock.GetUtcNow().UtcDateTime);
            return true;
        }
    }

    private void Trim(Queue<DateTime> q)
    {
        var since = clock.GetUtcNow().UtcDateTime - Window;
        while (q.Count > 0 && q.Peek() <= since) q.Dequeue();
    }

    private void Sweep()
    {
        foreach (var (bucket, q) in hits)
        {
            lock (q)
            {
                Trim(q);
                if (q.Count == 0) hits.TryRemove(bucket, out _);
            }
        }
    }

    /// <summary>A new signed challenge for the form: "v1.{issued unix seconds}.{random}.{signature}".</summary>
    public string NewChallenge()
    {
        var body = $"v1.{clock.GetUtcNow().ToUnixTimeSeconds()}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        return body + "." + Sign(body);
    }

    /// <summary>True when the challenge is ours, fresh, unused, and the nonce solves it; the challenge is then spent.</summary>
    public bool CheckProofOfWork(string? challenge, string? nonce)
    {
        if (string.IsNullOrEmpty(challenge) || string.IsNullOrEmpty(nonce) || challenge.Length > 200 || nonce.Length > 40) return false;
        var parts = challenge.Split('.');
        if (parts is not ["v1", var issuedText, _, var signature]) return false;
        var body = challenge[..challenge.LastIndexOf('.')];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body)), Encoding.ASCII.GetBytes(signature))) return false;
        if (!long.TryParse(issuedText, out var issued)) return false;
        var now = clock.GetUtcNow();
        var age = now - DateTimeOffset.FromUnixTimeSeconds(issued);
        if (age < TimeSpan.FromMinutes(-5) || age > ChallengeLife) return false;
        if (!Solves(challenge, nonce, PowBits)) return false;
        if (usedChallenges.Count > 100_000)
        {
            foreach (var (c, at) in usedChallenges) if (now.UtcDateTime - at > ChallengeLife) usedChallenges.TryRemove(c, out _);
        }
        return usedChallenges.TryAdd(challenge, now.UtcDateTime);
    }

    /// <summary>SHA-256 of "challenge:nonce" starts with <paramref name="bits"/> zero bits.</summary>
    public static bool Solves(string challenge, string nonce, int bits)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(challenge + ":" + nonce));
        for (var i = 0; i < bits; i++)
        {
            if ((hash[i / 8] & (0x80 >> (i % 8))) != 0) return false;
        }
        return true;
    }

    /// <summary>What the page's script does, for tests and the benchmark.</summary>
    public static string Solve(string challenge, int bits)
    {
        for (var n = 0L; ; n++)
        {
            var nonce = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Solves(challenge, nonce, bits)) return nonce;
        }
    }

    private string Sign(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)))[..32];
}
