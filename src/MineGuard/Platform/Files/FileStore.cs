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
        var file = StoredFile.Create(content, contentType, fileName, db.Clock.GetUtcNow().UtcDateTime);
        // The same content added earlier in this unit of work, not yet saved, is one file too.
        if (db.Set<StoredFile>().Local.FirstOrDefault(f => f.Sha256 == file.Sha256) is { } pending) return pending.Id;
        var existing = await db.Set<StoredFile>().Where(f => f.Sha256 == file.Sha256).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id) return id;
        db.Add(file);
        return file.Id;
    }
}
