using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace MineGuard.Platform.Web;

/// <summary>
/// The data-protection key ring lives in the database (<see cref="DatabaseXmlRepository"/>) beside the ciphertext it
/// protects (ID numbers, tipster identities, cookies); its master keys are encrypted there with a key-encryption key
/// that is NOT in the database: a 256-bit key file (<c>DataProtection:KeyFile</c>), shared by every node. Older key
/// files (<c>DataProtection:PreviousKeyFiles</c>) only decrypt, for rotation.
/// </summary>
public static class DataProtectionSetup
{
    public static IServiceCollection AddMineGuardDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("MineGuard");
        services.AddSingleton<KeyEncryptionKeys>();
        // Configured lazily: the key file's path comes from configuration that tests and the environment add late.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var encryptor = new KeyFileXmlEncryptor(sp.GetRequiredService<KeyEncryptionKeys>());
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>(), encryptor);
            o.XmlEncryptor = encryptor;
        }));
        return services;
    }
}

/// <summary>The key-encryption keys: the current one encrypts new key-ring entries; previous ones only decrypt.</summary>
public sealed class KeyEncryptionKeys
{
    private readonly Dictionary<string, byte[]> all = new(StringComparer.Ordinal);

    public KeyEncryptionKeys(IConfiguration config, IHostEnvironment env, ILogger<KeyEncryptionKeys> log)
    {
        Path = SecretFile.Resolve(config, env, "DataProtection:KeyFile", "data/keys/data-protection.key");
        if (!File.Exists(Path) && SecretFile.TryCreate(Path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"))
        {
            log.LogWarning("Generated the data-protection key-encryption key {KeyFile}: every node must use the same file (DataProtection:KeyFile), and it must be backed up apart from the database, or encrypted ID numbers and tipster identities are lost", Path);
        }
        (CurrentId, Current) = Load(Path);
        all[CurrentId] = Current;
        foreach (var previous in config.GetSection("DataProtection:PreviousKeyFiles").Get<string[]>() ?? [])
        {
            var (id, key) = Load(System.IO.Path.GetFullPath(previous, env.ContentRootPath));
            all.TryAdd(id, key);
        }
    }

    public string Path { get; }

    public string CurrentId { get; }

    public byte[] Current { get; }

    public byte[]? Find(string id) => all.GetValueOrDefault(id);

    private static (string Id, byte[] Key) Load(string path)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{path}: a data-protection key file holds 32 random bytes in base64.");
        }
        if (key.Length != 32) throw new InvalidOperationException($"{path}: a data-protection key file holds 32 random bytes in base64.");
        // A name for the key that says nothing about it: which file decrypts an entry.
        var id = Convert.ToHexStringLower(HMACSHA256.HashData(key, "MineGuard key-encryption key id"u8))[..16];
        return (id, key);
    }
}

/// <summary>Encrypts a key-ring entry's secret with AES-256-GCM under the current key-encryption key.</summary>
public sealed class KeyFileXmlEncryptor(KeyEncryptionKeys keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(keys.Current, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(keys.CurrentId));
        }
        CryptographicOperations.ZeroMemory(plain);
        var element = new XElement("keyFileEncrypted",
            new XAttribute("keyId", keys.CurrentId), new XAttribute("algorithm", "AES-256-GCM"),
            new XElement("nonce", Convert.ToBase64String(nonce)), new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("ciphertext", Convert.ToBase64String(cipher)));
        return new EncryptedXmlInfo(element, typeof(KeyFileXmlDecryptor));
    }
}

/// <summary>
/// Decrypts what <see cref="KeyFileXmlEncryptor"/> wrote. Data protection creates it by the type name stored in each
/// entry: keep this type's name and namespace.
/// </summary>
public sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = services.GetRequiredService<KeyEncryptionKeys>();
        var id = (string?)encryptedElement.Attribute("keyId") ?? "";
        var key = keys.Find(id) ?? throw new CryptographicException(
            $"The data-protection key ring entry was encrypted with key file {id}, which is not configured (DataProtection:KeyFile or DataProtection:PreviousKeyFiles).");
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var cipher = Convert.FromBase64String((string)encryptedElement.Element("ciphertext")!);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(id));
        }
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
