using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Adits;

/// <summary>
/// 照片: a photo of an adit, optionally of one sealing event. The photo's own EXIF time and position are kept
/// beside the upload time, because they are evidence of where and when it was really taken.
/// </summary>
public sealed class AditPhoto : IInJurisdiction
{
    private AditPhoto() { }

    public Guid Id { get; private set; }
    public Guid AditId { get; private set; }
    public Guid? SealingEventId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid FileId { get; private set; }
    public string? Caption { get; private set; }
    public DateTime? TakenUtc { get; private set; }
    public double? TakenLon { get; private set; }
    public double? TakenLat { get; private set; }
    public Guid? UploadedById { get; private set; }
    public DateTime UploadedUtc { get; private set; }

    public static AditPhoto Create(
        Adit adit, Guid fileId, Guid? sealingEventId, string? caption, DateTime? takenUtc, double? takenLon, double? takenLat,
        Guid? uploadedBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), AditId = adit.Id, SealingEventId = sealingEventId, DivisionCode = adit.DivisionCode,
        FileId = fileId, Caption = caption, TakenUtc = takenUtc, TakenLon = takenLon, TakenLat = takenLat,
        UploadedById = uploadedBy, UploadedUtc = nowUtc,
    };
}
