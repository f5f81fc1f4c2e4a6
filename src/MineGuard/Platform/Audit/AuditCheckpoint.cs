using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MineGuard.Platform.Audit;

/// <summary>
/// 审计检查点: a signed statement "record <see cref="Sequence"/> of the chain had hash <see cref="Hash"/> at
/// <see cref="AtUtc"/>", kept outside the database. Whoever holds only the database cannot make one, so a chain cut
/// short or rewritten after a checkpoint no longer matches it. One JSON object per line; the standalone verifier
/// (tools/audit-verify/verify.cs) builds the same signed bytes.
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, string AtUtc, string KeyId, string Signature)
{
    public const string Format = "mineguard-audit-checkpoint/1";

    /// <summary>The exact bytes that are signed: format, sequence, hash and time, one per line.</summary>
    public static byte[] SignedBytes(long sequence, string hash, string atUtc) =>
        Encoding.UTF8.GetBytes($"{Format}\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}\n{atUtc}");

    public static string FormatTime(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static AuditCheckpoint Create(long sequence, string hash, DateTime nowUtc, AuditSigningKey key)
    {
        var at = FormatTime(nowUtc);
        return new(sequence, hash, at, key.KeyId, key.Sign(SignedBytes(sequence, hash, at)));
    }

    public bool IsSignedBy(ECDsa publicKey)
    {
        try
        {
            return publicKey.VerifyData(SignedBytes(Sequence, Hash, AtUtc), Convert.FromBase64String(Signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public string ToJson() => new JsonObject
    {
        ["format"] = Format, ["sequence"] = Sequence, ["hash"] = Hash, ["atUtc"] = AtUtc, ["keyId"] = KeyId,
        ["signature"] = Signature,
    }.ToJsonString();

    /// <summary>A line of the checkpoint file, or null when it is not a checkpoint at all.</summary>
    public static AuditCheckpoint? Parse(string line)
    {
        try
        {
            var o = JsonNode.Parse(line)?.AsObject();
            if (o is null || (string?)o["format"] != Format) return null;
            return new((long)o["sequence"]!, (string)o["hash"]!, (string)o["atUtc"]!, (string)o["keyId"]!, (string)o["signature"]!);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// The checkpoint signing key: ECDSA P-256, a PKCS#8 PEM file outside the database. Generated on first use when the
/// file does not exist (owner-only permissions); every node and the CLI must read the same file.
/// </summary>
public sealed class AuditSigningKey
{
    private readonly ECDsa key;

    private AuditSigningKey(ECDsa key, string path)
    {
        this.key = key;
        Path = path;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = KeyIdOf(key);
    }

    public string Path { get; }

    public string KeyId { get; }

    public string PublicKeyPem { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo): what an auditor compares.</summary>
    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    public string Sign(byte[] data) => Convert.ToBase64String(key.SignData(data, HashAlgorithmName.SHA256));

    public ECDsa PublicKey()
    {
        var pub = ECDsa.Create();
        pub.ImportFromPem(PublicKeyPem);
        return pub;
    }

    public static AuditSigningKey LoadOrCreate(string path, ILogger log)
    {
        if (!File.Exists(path))
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            if (SecretFile.TryCreate(path, fresh.ExportPkcs8PrivateKeyPem()))
                log.LogWarning("Generated the audit checkpoint signing key {KeyFile} (key id {KeyId}); keep it out of the database's reach and back it up (Audit:CheckpointKeyFile)",
                    path, KeyIdOf(fresh));
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256) throw new InvalidOperationException($"{path}: the audit checkpoint key must be ECDSA P-256.");
        return new AuditSigningKey(key, path);
    }
}
