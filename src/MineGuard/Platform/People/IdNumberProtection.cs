using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.People;

/// <summary>
/// A secret the application generated for itself, stored encrypted with the data-protection key ring. Written once
/// by plain SQL (never through the change tracker, so its value cannot reach the audit trail) and never changed.
/// </summary>
public sealed class ProtectedSecret
{
    private ProtectedSecret() { }

    public string Name { get; private set; } = "";
    public string ProtectedValue { get; private set; } = "";
    public DateTime CreatedUtc { get; private set; }
}

/// <summary>
/// How a key person's ID number is kept: encrypted with Data Protection (so the office can show it on request), and
/// as an HMAC-SHA256 keyed hash (so the same number is found twice without decrypting every row).
/// </summary>
/// <remarks>
/// The hash key is not configured but generated: 32 random bytes made on first use, stored in
/// <c>ProtectedSecrets</c> encrypted with the same key ring that encrypts the numbers, and the HMAC key derived from
/// it with HKDF. Why not a configured key: every node of a city deployment would need the same value, a county
/// machine started with the README's two commands would have none, and a lost or changed value silently breaks
/// duplicate detection for every number already stored (their hashes no longer match). Kept in the database, the
/// secret is backed up with the rows it belongs to and shared by every node. It protects the hashes exactly as well
/// as the key ring protects the encrypted numbers: anyone who can read the key ring can decrypt the numbers anyway,
/// so a separate key would not add protection here. Without the key the hash is not a plain SHA-256 of the number,
/// which could be reversed by trying all ~10^11 plausible numbers.
/// </remarks>
public sealed class IdNumberProtection(IDataProtectionProvider dataProtection, IServiceScopeFactory scopes)
{
    public const string Purpose = "MineGuard.KeyPersons.IdNumber";
    private const string SecretPurpose = "MineGuard.KeyPersons.IdNumberHashSecret";
    private const string SecretName = "key-persons.id-number-hash";
    private static readonly byte[] HkdfInfo = "MineGuard key persons: ID number HMAC-SHA256 v1"u8.ToArray();

    private readonly IDataProtector protector = dataProtection.CreateProtector(Purpose);
    private readonly SemaphoreSlim gate = new(1, 1);
    private byte[]? hashKey;

    public string Protect(string idNumber) => protector.Protect(idNumber);

    public string Unprotect(string protectedIdNumber) => protector.Unprotect(protectedIdNumber);

    /// <summary>Lower-case hex HMAC-SHA256 of the normalized number (64 characters).</summary>
    public async Task<string> HashAsync(string idNumber, CancellationToken ct)
    {
        var key = hashKey ?? await LoadKeyAsync(ct);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(idNumber)));
    }

    private async Task<byte[]> LoadKeyAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (hashKey is not null) return hashKey;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("system:key-persons");
            var secretProtector = dataProtection.CreateProtector(SecretPurpose);
            var stored = await ReadAsync(db, ct) ?? await CreateAsync(db, secretProtector, ct);
            var secret = secretProtector.Unprotect(Convert.FromBase64String(stored));
            hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: HkdfInfo);
            CryptographicOperations.ZeroMemory(secret);
            return hashKey;
        }
        finally
        {
            gate.Release();
        }
    }

    private static Task<string?> ReadAsync(AppDbContext db, CancellationToken ct) =>
        db.Set<ProtectedSecret>().AsNoTracking().Where(s => s.Name == SecretName).Select(s => s.ProtectedValue).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Makes the secret. Nodes starting together may both try: the first insert wins and everyone reads the winner's,
    /// so all nodes hash with the same key.
    /// </summary>
    private static async Task<string> CreateAsync(AppDbContext db, IDataProtector secretProtector, CancellationToken ct)
    {
        var value = Convert.ToBase64String(secretProtector.Protect(RandomNumberGenerator.GetBytes(32)));
        var now = db.Clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "ProtectedSecrets" ("Name", "ProtectedValue", "CreatedUtc") VALUES ({SecretName}, {value}, {now}) ON CONFLICT ("Name") DO NOTHING""", ct);
        if (inserted == 1)
        {
            db.AuditEvent("create", nameof(ProtectedSecret), SecretName, "生成重点人员身份证号查重密钥（密钥本身不记录）");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return await ReadAsync(db, ct) ?? throw new InvalidOperationException("the ID number hash secret was not stored");
    }
}
