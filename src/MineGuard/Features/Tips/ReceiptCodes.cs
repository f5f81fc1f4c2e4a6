using System.Security.Cryptography;
using System.Text;

namespace MineGuard.Features.Tips;

/// <summary>
/// A receipt code's stored form: the locator in clear, the secret part only as a salted hash — SHA-256 of salt and
/// secret when <see cref="Iterations"/> is 0 (new codes), PBKDF2-HMAC-SHA256 with that many iterations otherwise (codes
/// made before 3 Dec 2026, or with <c>Tips:ReceiptIterations</c> set).
/// </summary>
public sealed record ReceiptHash(string Locator, string Hash, string Salt, int Iterations);

/// <summary>
/// 查询码: the tipster's only key to their tip. Format <c>LLLLLL-SSSS-SSSS-SSSS-SSSS-S</c> in a 30-letter alphabet
/// without look-alikes (no 0/O, 1/I/L, U): a 6-letter <b>locator</b> (not secret, unique in the table, used only to find
/// the row without hashing against every tip) and a 17-letter <b>secret</b> (17 × log2 30 ≈ 83.4 bits from the system's
/// CSPRNG). The secret is stored only as a salted SHA-256 (16-byte random salt).
/// </summary>
/// <remarks>
/// <para>Why not a slow password hash: a slow hash multiplies the cost of each guess against a stolen table, which matters when
/// the secret is a password a person chose (20–40 bits). This secret is 83 bits from the CSPRNG: trying 2^82 SHA-256
/// hashes (half the space) at 10^11 a second, a rack of GPUs, takes about 5 × 10^13 s (1.5 million years) per tip; PBKDF2's
/// 100,000 iterations bought nothing a person could use and cost 25–50 ms of CPU on every tip and every receipt check
/// (issue 21). A key (pepper) would add nothing either for the same reason. Online guessing is what matters, and it is
/// throttled (<see cref="PublicGuard"/>). Rows made earlier keep their PBKDF2 hash and count and verify as before; an
/// office that wants a slow hash anyway sets <c>Tips:ReceiptIterations</c> (≥ 1,000).
/// </para><para>
/// Checking a code always costs exactly one hash: when the locator finds no tip, the secret is hashed against a fixed
/// dummy salt with the current scheme, and the answer is the same "wrong code" either way, so neither the answer nor its
/// time tells a guesser whether a tip with that locator exists (one exception: a tip made before the change still costs
/// its PBKDF2 count, so a slow "wrong code" tells that its locator is an old tip's; the locator is not secret, and the
/// guesser is throttled per source by <see cref="PublicGuard"/>).
/// </remarks>
public sealed class ReceiptCodes(IConfiguration config)
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"; // 30 letters: no 0 O 1 I L U
    public const int LocatorLength = 6;

    /// <summary>17 letters of a 30-letter alphabet: 17 × log2 30 ≈ 83.4 bits of randomness in the secret part alone.</summary>
    public const int SecretLength = 17;

    public static double SecretBits => SecretLength * Math.Log2(Alphabet.Length);

    private static readonly byte[] DummySalt = SHA256.HashData("MineGuard tips: dummy salt for unknown locators"u8);

    /// <summary>
    /// PBKDF2 iterations for new codes, 0 (the default) for salted SHA-256; each row keeps its own count, so changing it
    /// later breaks nothing.
    /// </summary>
    public int Iterations { get; } = int.TryParse(config["Tips:ReceiptIterations"], out var n) && n >= 1000 ? n : 0;

    private long derivations;

    /// <summary>How many hashes of a secret this process has made (tests show a wrong code costs the same as a right one).</summary>
    public long Derivations => Interlocked.Read(ref derivations);

    public static string RandomLetters(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>A new code and its stored form.</summary>
    public (string Code, ReceiptHash Stored) Create()
    {
        var locator = RandomLetters(LocatorLength);
        var secret = RandomLetters(SecretLength);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Derive(secret, salt, Iterations);
        return (Format(locator, secret), new ReceiptHash(locator, Convert.ToBase64String(hash), Convert.ToBase64String(salt), Iterations));
    }

    public static string Format(string locator, string secret) =>
        locator + "-" + string.Join("-", secret.Chunk(4).Select(c => new string(c)));

    /// <summary>Splits what a person typed (any case, with or without spaces and dashes) into locator and secret.</summary>
    public static (string Locator, string Secret)? Parse(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return null;
        var sb = new StringBuilder();
        foreach (var ch in typed.ToUpperInvariant())
        {
            var c = ch;
            if (char.IsWhiteSpace(c) || c == '-') continue;
            if (Alphabet.Contains(c)) sb.Append(c);
            else return null;
        }
        var s = sb.ToString();
        return s.Length == LocatorLength + SecretLength ? (s[..LocatorLength], s[LocatorLength..]) : null;
    }

    /// <summary>
    /// Constant work: one hash whether or not <paramref name="stored"/> exists (an unknown locator costs what a new code
    /// costs; a code made before the change still costs its own PBKDF2 count).
    /// </summary>
    public bool Verify(string secret, ReceiptHash? stored)
    {
        var salt = stored is null ? DummySalt : Convert.FromBase64String(stored.Salt);
        var iterations = stored?.Iterations ?? Iterations;
        var actual = Derive(secret, salt, iterations);
        var expected = stored is null ? new byte[actual.Length] : Convert.FromBase64String(stored.Hash);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && stored is not null;
    }

    private byte[] Derive(string secret, byte[] salt, int iterations)
    {
        Interlocked.Increment(ref derivations);
        return iterations == 0
            ? SHA256.HashData([.. salt, .. Encoding.ASCII.GetBytes(secret)])
            : Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, 32);
    }
}
