using System.Security.Cryptography;
using System.Text;

using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

/// <summary>
/// What stands between the public tip pages and a flood, without keeping anything that identifies a sender.
/// </summary>
/// <remarks>
/// <para><b>No address, browser or cookie is kept.</b> <see cref="Admit"/> runs first in every public handler: it turns
/// the caller's address into a keyed hash (HMAC-SHA256 under <c>Tips:SourceKey</c> from configuration, or a random
/// key made when the process starts; never under a key in the database), then clears the address from the connection
/// and removes the User-Agent, Cookie, Referer and forwarding headers from the request, so nothing later in the
/// request — the audit trail (which records the caller's address for staff), a log line, an exception page — can see
/// them. The hash is used only as a rate-limit bucket name (<see cref="RateLimits"/>), kept for the limiter's window
/// and then deleted; it is never stored with a tip, and without the key it cannot be matched to an address.</para>
/// <para><b>Limits</b> are counted in the database, so every node sees them and a restart forgets nothing (set the
/// same <c>Tips:SourceKey</c> on every node, or each node keys addresses differently): a source may submit
/// <see cref="ScriptedPerHour"/> tips per hour with a solved proof-of-work, <see cref="PlainPerHour"/> without one
/// (a phone with JavaScript off), and at most <see cref="PlainPerHourAll"/> tips without proof-of-work per hour are
/// accepted from all sources together.</para>
/// <para><b>Receipt codes</b>: the guesser is throttled, never the tip. The first <see cref="GuessesFree"/> wrong
/// codes an hour from a source are free; after that each attempt from that source must wait 2 s × 2^(n − 5) since
/// its latest wrong code (up to an hour), and attempts made while waiting count too. Nothing is counted per locator:
/// a count per locator would let anyone who knows a tipster's locator keep that tipster out, and the 83-bit secret
/// behind the locator makes guessing hopeless however many addresses a guesser uses.</para>
/// <para><b>Proof-of-work</b> instead of a captcha a villager cannot solve: the form carries a signed challenge; the
/// page's script finds a nonce whose SHA-256 with it starts with <see cref="PowBits"/> zero bits (about a second on a
/// cheap phone) and posts it. A challenge is signed with the same key, valid for two hours and used once (on any node).</para>
/// </remarks>
public sealed class PublicGuard(TimeProvider clock, IConfiguration config, RateLimits limits)
{
    public const int ScriptedPerHour = 10;
    public const int PlainPerHour = 3;
    public const int PlainPerHourAll = 120;
    public const int GuessesFree = 5;

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan ChallengeLife = TimeSpan.FromHours(2);
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(2);
    private const string SourceItem = "mg:tips:source";

    private readonly byte[] key = config["Tips:SourceKey"] is { Length: >= 16 } configured
        ? SHA256.HashData(Encoding.UTF8.GetBytes("MineGuard tips source key:" + configured))
        : RandomNumberGenerator.GetBytes(32);

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

    /// <summary>
    /// A posted tip's admission, in one unit of work (one commit; on SQLite one turn of the writer, which tips at a
    /// county's busiest wait for): the challenge checked (before the unit of work: a bad one costs no write) and spent,
    /// then whether this source may submit now, counted when it may. Solved: whether the proof of work held.
    /// </summary>
    public Task<(bool Solved, bool Admitted)> AdmitTipAsync(HttpContext http, string? challenge, string? nonce, CancellationToken ct)
    {
        var valid = Valid(challenge, nonce, out var signature);
        return limits.TogetherAsync(async counting =>
        {
            var solved = valid && await SpendAsync(counting, signature, ct);
            return (solved, await TrySubmitAsync(counting, Source(http), solved, ct));
        }, ct);
    }

    private static async Task<bool> TrySubmitAsync(RateLimits.Counting counting, string source, bool solvedPow, CancellationToken ct)
    {
        if (solvedPow)
        {
            if ((await counting.ReadAsync("tips:s:" + source, Window, ct)).Count >= ScriptedPerHour) return false;
            await counting.HitAsync("tips:s:" + source, Window, ct);
            return true;
        }
        if ((await counting.ReadAsync("tips:p:" + source, Window, ct)).Count >= PlainPerHour
            || (await counting.ReadAsync("tips:p:*", Window, ct)).Count >= PlainPerHourAll) return false;
        await counting.HitAsync("tips:p:" + source, Window, ct);
        await counting.HitAsync("tips:p:*", Window, ct);
        return true;
    }

    /// <summary>How long this source must wait before its next receipt code is checked (zero: go). A refused attempt counts.</summary>
    public async Task<TimeSpan> GuessWaitAsync(HttpContext http, CancellationToken ct)
    {
        var bucket = "tips:g:" + Source(http);
        var wait = (await limits.ReadAsync(bucket, Window, ct)).Wait(GuessesFree, FirstWait, Window, clock.GetUtcNow().UtcDateTime);
        if (wait > TimeSpan.Zero) await limits.HitAsync(bucket, Window, ct);
        return wait;
    }

    public Task WrongGuessAsync(HttpContext http, CancellationToken ct) => limits.HitAsync("tips:g:" + Source(http), Window, ct);

    /// <summary>A new signed challenge for the form: "v1.{issued unix seconds}.{random}.{signature}".</summary>
    public string NewChallenge()
    {
        var body = $"v1.{clock.GetUtcNow().ToUnixTimeSeconds()}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        return body + "." + Sign(body);
    }

    /// <summary>True when the challenge is ours, fresh, unused (on any node), and the nonce solves it; the challenge is then spent.</summary>
    public async Task<bool> CheckProofOfWorkAsync(string? challenge, string? nonce, CancellationToken ct = default) =>
        Valid(challenge, nonce, out var signature)
        && await limits.TogetherAsync(counting => SpendAsync(counting, signature, ct), ct);

    /// <summary>The challenge is ours (its signature, returned), fresh, and the nonce solves it. Pure: nothing is read or written.</summary>
    private bool Valid(string? challenge, string? nonce, out string signature)
    {
        signature = "";
        if (string.IsNullOrEmpty(challenge) || string.IsNullOrEmpty(nonce) || challenge.Length > 200 || nonce.Length > 40) return false;
        var parts = challenge.Split('.');
        if (parts is not ["v1", var issuedText, _, var signed]) return false;
        var body = challenge[..challenge.LastIndexOf('.')];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body)), Encoding.ASCII.GetBytes(signed))) return false;
        if (!long.TryParse(issuedText, out var issued)) return false;
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        if (age < TimeSpan.FromMinutes(-5) || age > ChallengeLife) return false;
        if (!Solves(challenge, nonce, PowBits)) return false;
        signature = signed;
        return true;
    }

    /// <summary>Spends a valid challenge: the first use counts 1; a replay (on this node or another) sees more.</summary>
    private static async Task<bool> SpendAsync(RateLimits.Counting counting, string signature, CancellationToken ct) =>
        (await counting.HitAsync("tips:pow:" + signature, ChallengeLife + TimeSpan.FromMinutes(10), ct)).Count == 1;

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
