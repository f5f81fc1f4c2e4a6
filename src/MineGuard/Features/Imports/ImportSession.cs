using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

public enum ImportSessionStatus
{
    Pending = 1, Imported, Cancelled,
}

/// <summary>
/// 导入会话: an uploaded ledger waiting for the user to check the column mapping and the row errors, then import the
/// valid rows or nothing. The file is a <see cref="Platform.Files.StoredFile"/> and the mapping and the last check are
/// kept here as JSON, so any application node can serve the next step.
/// </summary>
public sealed class ImportSession : IInJurisdiction
{
    private ImportSession() { }

    public Guid Id { get; private set; }

    /// <summary>The ledger kind (<see cref="LedgerKind.Kind"/>): adits, mines, key-persons.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The county the ledger belongs to.</summary>
    public string CountyCode { get; private set; } = "";

    /// <summary>The county, or the uploader's own node when it lies inside the county, so the uploader sees the session.</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>The uploaded file; let go when the session is cancelled, so that "nothing" keeps nothing.</summary>
    public Guid? FileId { get; private set; }
    public string FileName { get; private set; } = "";

    /// <summary>Header row, headers and the field of each column (<see cref="LedgerLayout"/>).</summary>
    public string LayoutJson { get; private set; } = "";

    /// <summary>The check of every row with that mapping (<see cref="LedgerSummary"/>): derived, not audited.</summary>
    [AuditHidden]
    public string PreviewJson { get; private set; } = "";

    public ImportSessionStatus Status { get; private set; } = ImportSessionStatus.Pending;
    public Guid? BatchId { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static ImportSession Create(string kind, string countyCode, string divisionCode, Guid fileId, string fileName,
        string layoutJson, string previewJson, Guid? createdBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Kind = kind, CountyCode = countyCode, DivisionCode = divisionCode, FileId = fileId,
        FileName = fileName, LayoutJson = layoutJson, PreviewJson = previewJson, CreatedById = createdBy, CreatedUtc = nowUtc,
        UpdatedUtc = nowUtc,
    };

    public void Remap(string layoutJson, string previewJson, DateTime nowUtc)
    {
        Platform.Web.Rule.Check(Status == ImportSessionStatus.Pending, "ImportSessionClosed", "该导入已完成或已取消，不能再修改");
        (LayoutJson, PreviewJson, UpdatedUtc) = (layoutJson, previewJson, nowUtc);
    }

    public void Cancel(DateTime nowUtc)
    {
        Platform.Web.Rule.Check(Status == ImportSessionStatus.Pending, "ImportSessionClosed", "该导入已完成或已取消");
        (Status, FileId, UpdatedUtc) = (ImportSessionStatus.Cancelled, null, nowUtc);
    }
}
