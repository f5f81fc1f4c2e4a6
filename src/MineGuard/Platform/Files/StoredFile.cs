using MineGuard.Platform.Audit;

namespace MineGuard.Platform.Files;

/// <summary>
/// An uploaded file's bytes, kept in the database so that every node serves every file and one backup holds all.
/// Identical content is stored once (by SHA-256), which also lets the patrol checks spot a photo used twice.
/// </summary>
public sealed class StoredFile
{
    private StoredFile() { }

    public Guid Id { get; private set; }
    public string Sha256 { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public string FileName { get; private set; } = "";
    public long Length { get; private set; }
    [AuditHidden]
    public byte[] Content { get; private set; } = [];
    public DateTime CreatedUtc { get; private set; }

    public static StoredFile Create(byte[] content, string contentType, string fileName, DateTime nowUtc) =>
        Create(content, FileStore.Sha256(content), contentType, fileName, nowUtc);

    /// <summary>A file whose hash the caller computed (<see cref="FileStore.Sha256"/>) of these very bytes.</summary>
    internal static StoredFile Create(byte[] content, string sha256, string contentType, string fileName, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Sha256 = sha256, ContentType = contentType,
        FileName = Path.GetFileName(fileName), Length = content.Length, Content = content, CreatedUtc = nowUtc,
    };
}
