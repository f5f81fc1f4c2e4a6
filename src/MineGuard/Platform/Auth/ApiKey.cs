using System.Security.Cryptography;
using System.Text;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Auth;

/// <summary>
/// An integration's key (camera platform, telecom e-fence, power company…). The secret is shown once at creation and
/// stored only as a SHA-256 hash: it carries 256 bits of randomness, so a slow hash would add nothing.
/// </summary>
public sealed class ApiKey : IInJurisdiction
{
    private const string Marker = "mg_";

    private ApiKey() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>Public lookup part of the key, shown in lists so people can tell keys apart.</summary>
    public string Prefix { get; private set; } = "";

    public string SecretHash { get; private set; } = "";

    /// <summary>The jurisdiction the integration may write into.</summary>
    public string DivisionCode { get; private set; } = "";

    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime? LastUsedUtc { get; private set; }
    public DateTime? RevokedUtc { get; private set; }

    public bool IsActive => RevokedUtc is null;

    /// <summary>Creates a key and returns it with the one-time plain text "mg_{prefix}_{secret}".</summary>
    public static (ApiKey Key, string PlainText) Create(string name, string divisionCode, Guid? createdById, DateTime nowUtc)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = name, Prefix = prefix, SecretHash = Hash(secret),
            DivisionCode = divisionCode, CreatedById = createdById, CreatedUtc = nowUtc,
        };
        return (key, $"{Marker}{prefix}_{secret}");
    }

    /// <summary>Splits a presented key into prefix and secret, or null when it is not shaped like one of ours.</summary>
    public static (string Prefix, string Secret)? Parse(string presented)
    {
        if (!presented.StartsWith(Marker, StringComparison.Ordinal)) return null;
        var rest = presented[Marker.Length..];
        var cut = rest.IndexOf('_');
        return cut == 12 ? (rest[..cut], rest[(cut + 1)..]) : null;
    }

    public bool Matches(string secret) =>
        IsActive && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(SecretHash));

    public void Revoke(DateTime nowUtc) => RevokedUtc ??= nowUtc;

    public void MarkUsed(DateTime nowUtc) => LastUsedUtc = nowUtc;

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
