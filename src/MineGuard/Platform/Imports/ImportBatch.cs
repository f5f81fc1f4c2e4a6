using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Imports;

/// <summary>
/// 导入批次: one confirmed import of a ledger file (Platform, because every registry's rows name the batch that created them). The rows it created carry its id, so the whole import can be
/// undone at once; the report keeps every rejected row with its Excel row number and reason.
/// </summary>
public sealed class ImportBatch : IInJurisdiction
{
    private ImportBatch() { }

    public Guid Id { get; private set; }

    /// <summary>adits, mines or key-persons.</summary>
    public string Kind { get; private set; } = "";

    public string FileName { get; private set; } = "";

    /// <summary>The county the ledger belongs to.</summary>
    public string DivisionCode { get; private set; } = "";

    public int RowsRead { get; private set; }
    public int RowsImported { get; private set; }
    public int RowsRejected { get; private set; }

    /// <summary>Column mapping and rejected rows, as JSON.</summary>
    public string ReportJson { get; private set; } = "";

    public Guid? CreatedById { get; private set; }

    /// <summary>When the import completed: every row it created is older, so a row updated later was changed since.</summary>
    public DateTime CreatedUtc { get; private set; }

    public DateTime? UndoneUtc { get; private set; }
    public Guid? UndoneById { get; private set; }

    public static ImportBatch Create(string kind, string fileName, string divisionCode, int read, int imported, int rejected,
        string reportJson, Guid? createdBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Kind = kind, FileName = fileName, DivisionCode = divisionCode, RowsRead = read,
        RowsImported = imported, RowsRejected = rejected, ReportJson = reportJson, CreatedById = createdBy, CreatedUtc = nowUtc,
    };

    /// <summary>The counts and report, known once every row has been read; the batch row itself is written first.</summary>
    public void Finish(int read, int imported, int rejected, string reportJson, DateTime nowUtc)
    {
        (RowsRead, RowsImported, RowsRejected, ReportJson, CreatedUtc) = (read, imported, rejected, reportJson, nowUtc);
    }

    public void MarkUndone(Guid? by, DateTime nowUtc)
    {
        UndoneUtc = nowUtc;
        UndoneById = by;
    }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> e)
    {
        e.ToTable("ImportBatches");
        e.HasKey(b => b.Id);
        e.Property(b => b.Kind).HasMaxLength(20);
        e.Property(b => b.FileName).HasMaxLength(260);
        e.Property(b => b.DivisionCode).HasMaxLength(24);
        e.HasIndex(b => new { b.DivisionCode, b.CreatedUtc });
        e.HasOne<Division>().WithMany().HasForeignKey(b => b.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
