using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Files;

public static class FileStore
{
    /// <summary>
    /// Stores content once: identical bytes (same SHA-256, unique in the table) share one row, whoever uploads them.
    /// Returns the file's id; a new file is added to the context for the caller's save.
    /// </summary>
    public static async Task<Guid> StoreAsync(this AppDbContext db, byte[] content, string contentType, string fileName, CancellationToken ct)
    {
        var sha = Sha256(content);
        // The same content added earlier in this unit of work, not yet saved, is one file too.
        if (db.Set<StoredFile>().Local.FirstOrDefault(f => f.Sha256 == sha) is { } pending) return pending.Id;
        return db.Store(content, sha, contentType, fileName, await db.StoredFilesAsync([sha], ct));
    }

    /// <summary>
    /// The stored files' ids by content hash, for a request that stores several files (one read for all of them, not
    /// one each); hand the result to <see cref="Store"/>.
    /// </summary>
    public static async Task<Dictionary<string, Guid>> StoredFilesAsync(this AppDbContext db, IReadOnlyCollection<string> sha256s, CancellationToken ct) =>
        sha256s.Count == 0 ? [] : await db.Set<StoredFile>().Where(f => sha256s.Contains(f.Sha256))
            .Select(f => new { f.Sha256, f.Id }).ToDictionaryAsync(f => f.Sha256, f => f.Id, ct);

    /// <summary>
    /// Stores content once against <paramref name="known"/> (from <see cref="StoredFilesAsync"/>), which also keeps the
    /// files this unit of work adds: the same bytes twice in one request are one file. <paramref name="sha256"/> is
    /// <see cref="Sha256"/> of <paramref name="content"/>, computed once by the caller, who needed it for the lookup.
    /// </summary>
    public static Guid Store(this AppDbContext db, byte[] content, string sha256, string contentType, string fileName, Dictionary<string, Guid> known)
    {
        if (known.TryGetValue(sha256, out var id)) return id;
        var file = StoredFile.Create(content, sha256, contentType, fileName, db.Clock.GetUtcNow().UtcDateTime);
        db.Add(file);
        known[sha256] = file.Id;
        return file.Id;
    }

    /// <summary>The content hash files are stored under (lower-case hex SHA-256).</summary>
    public static string Sha256(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
