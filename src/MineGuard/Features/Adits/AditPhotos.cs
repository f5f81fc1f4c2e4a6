using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Files;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Adits;

/// <summary>Photo uploads: checked to be images, stored once by content, with the photo's own EXIF time and position kept.</summary>
public sealed class AditPhotoUploads(AppDbContext db)
{
    public const long MaxBytes = 15 * 1024 * 1024;

    public async Task<(AditPhoto? Photo, FieldErrors Errors)> AddAsync(Adit adit, IFormFile? file, Guid? eventId, string? caption, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (file is null || file.Length == 0) errors.Add("File", "请选择照片");
        else if (file.Length > MaxBytes) errors.Add("File", $"照片不能超过 {MaxBytes / 1024 / 1024} MB");
        if (eventId is { } e && !adit.Events.Any(x => x.Id == e)) errors.Add("SealingEventId", "该封堵记录不属于此矿硐");
        if (!errors.Ok) return (null, errors);

        var bytes = await UploadBytes.ReadAsync(file!, ct);
        var type = ImageType(bytes);
        if (type is null)
        {
            errors.Add("File", "只能上传 JPEG、PNG 或 WebP 格式的照片");
            return (null, errors);
        }
        var (taken, lon, lat) = Exif(bytes);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var fileId = await db.StoreAsync(bytes, type, file!.FileName, ct);
        var photo = AditPhoto.Create(adit, fileId, eventId, string.IsNullOrWhiteSpace(caption) ? null : caption.Trim(), taken, lon, lat, db.CurrentUser.Id, now);
        db.AditPhotos().Add(photo);
        await db.SaveChangesAsync(ct);
        return (photo, errors);
    }

    /// <summary>By the file's own content (signature and a readable image header), not its name or the browser's word for it.</summary>
    public static string? ImageType(byte[] b) => Images.Type(b);

    /// <summary>When and where the camera says the photo was taken; cameras write local (Beijing) time.</summary>
    public static (DateTime? TakenUtc, double? Lon, double? Lat) Exif(byte[] bytes)
    {
        try
        {
            var dirs = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));
            DateTime? taken = null;
            var sub = dirs.OfType<ExifSubIfdDirectory>().FirstOrDefault();
            if (sub is not null && sub.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var local))
                taken = ChinaTime.ToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
            var gps = dirs.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation();
            return gps is { IsZero: false } g ? (taken, g.Longitude, g.Latitude) : (taken, null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Untrusted bytes: a damaged or truncated file (cut off on a weak signal) makes the metadata reader throw
            // any of several exceptions (ImageProcessingException, MetadataException, IOException…); it simply has no
            // readable metadata.
            return (null, null, null);
        }
    }

    public static string Describe(DateTime? takenUtc, double? lon, double? lat) =>
        takenUtc is null && lon is null ? "照片无拍摄时间和位置信息"
            : $"拍摄于 {(takenUtc is { } t ? ChinaTime.Format(t) : "（时间不详）")}" +
              (lon is { } x && lat is { } y ? $"，位置 {x.ToString("F6", CultureInfo.InvariantCulture)}, {y.ToString("F6", CultureInfo.InvariantCulture)}" : "");
}
