using System.Security.Cryptography;
using System.Text;

namespace MineGuard.Features.Tips;

/// <summary>A receipt code's stored form: the locator in clear, the secret part only as a salted PBKDF2 hash.</summary>
public sealed record ReceiptHash(string Locator, string Hash, string Salt, int Iterations);

/// <summary>
/// 查询码: the tipster's only key to their tip. Format <c>LLLLLL-SSSS-SSSS-SSSS-SSSS-S</c> in a 30-letter alphabet
/// without look-alikes (no 0/O, 1/I/L, U): a 6-letter <b>locator</b> (not secret, unique in the table, used only to find
/// the row without hashing against every tip) and a 17-letter <b>secret</b> (17 × log2 30 ≈ 83.4 bits from the system's
/// CSPRNG). The secret is stored only as PBKDF2-HMAC-SHA256 with a 16-byte random salt.
/// </summary>
/// <remarks>
/// Checking a code always costs exactly one PBKDF2 derivation: when the locator finds no tip, the secret is hashed
/// against a fixed dummy salt with the same iteration count, and the answer is the same "wrong code" either way, so
/// neither the answer nor its time tells a guesser whether a tip with that locator exists. Guessing is throttled
/// per source and per locator by <see cref="PublicGuard"/>.
/// </remarks>
public sealed class ReceiptCodes(IConfiguration config)
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"; // 30 letters: no 0 O 1 I L U
    public const int LocatorLength = 6;

    /// <summary>17 letters of a 30-letter alphabet: 17 × log2 30 ≈ 83.4 bits of randomness in the secret part alone.</summary>
    public const int SecretLength = 17;

    public static double SecretBits => SecretLength * Math.Log2(Alphabet.Length);

    private static readonly byte[] DummySalt = SHA256.HashData("MineGuard tips: dummy salt for unknown locators"u8);

    /// <summary>PBKDF2 iterations for new codes; each row keeps its own count, so raising it later breaks nothing.</summary>
    public int Iterations { get; } = int.TryParse(config["Tips:ReceiptIterations"], out var n) && n >= 1000 ? n : 100_000;

    private long derivations;

    /// <summary>How many PBKDF2 derivations this process has made (tests show a wrong code costs the same as a right one).</summary>
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

    /// <summary>Constant work: one derivation whether or not <paramref name="stored"/> exists.</summary>
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
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, 32);
    }
}
