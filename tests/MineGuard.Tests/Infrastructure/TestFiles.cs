using System.Security.Cryptography;
using System.Text;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// Files the app keeps outside its database, per test database: the audit checkpoint file (one per chain), and the
/// audit signing key and data-protection key file (shared by all tests). TestApp and the CLI runner use the same.
/// </summary>
public static class TestFiles
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "mineguard-tests");

    public static string DirectoryFor(string connectionString) =>
        Path.Combine(Root, "files", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(connectionString)))[..16]);

    public static Dictionary<string, string?> SettingsFor(string connectionString) => new()
    {
        ["Audit:CheckpointFile"] = Path.Combine(DirectoryFor(connectionString), "audit-checkpoints.jsonl"),
        ["Audit:CheckpointKeyFile"] = Path.Combine(Root, "keys", "audit-checkpoint.pem"),
        ["DataProtection:KeyFile"] = Path.Combine(Root, "keys", "data-protection.key"),
    };

    public static void Delete(string connectionString)
    {
        var dir = DirectoryFor(connectionString);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
