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

    /// <summary>
    /// <see cref="Importing"/> while the import writes its rows, a chunk per transaction (they are in the registry as they
    /// commit; the batch cannot be read or undone yet); <see cref="Done"/> once its last transaction wrote the counts.
    /// </summary>
    public string Status { get; private set; } = Done;

    /// <summary>When the import's first transaction wrote the batch.</summary>
    public DateTime StartedUtc { get; private set; }

    /// <summary>
    /// When the import last committed a chunk (its sign of life): an importing batch whose heartbeat is older than
    /// <c>Imports:StaleAfterSeconds</c> is taken for dead (its node stopped) and swept. Null for batches older than it.
    /// </summary>
    public DateTime? HeartbeatUtc { get; private set; }

    public const string Importing = "importing";
    public const string Done = "done";

    public bool IsImporting => Status == Importing;

    /// <summary>
    /// A row of the batch changed after this time was changed by someone else: the completion for a finished batch, the
    /// last chunk's commit for one taken back part-way (its rows are all older).
    /// </summary>
    public DateTime ChangedAfterUtc => IsImporting ? HeartbeatUtc ?? StartedUtc : CreatedUtc;

    public DateTime? UndoneUtc { get; private set; }
    public Guid? UndoneById { get; private set; }

    public static ImportBatch Create(string kind, string fileName, string divisionCode, int read, int imported, int rejected,
        string reportJson, Guid? createdBy, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Kind = kind, FileName = fileName, DivisionCode = divisionCode, RowsRead = read,
        RowsImported = imported, RowsRejected = rejected, ReportJson = reportJson, CreatedById = createdBy, CreatedUtc = nowUtc,
        StartedUtc = nowUtc,
    };

    /// <summary>A batch whose rows are about to be written in chunks: <see cref="Importing"/>, its heartbeat now.</summary>
    public static ImportBatch Start(string kind, string fileName, string divisionCode, Guid? createdBy, DateTime nowUtc)
    {
        var batch = Create(kind, fileName, divisionCode, 0, 0, 0, "{}", createdBy, nowUtc);
        (batch.Status, batch.HeartbeatUtc) = (Importing, nowUtc);
        return batch;
    }

    /// <summary>The counts and report, known once every row has been read; the batch row itself is written first.</summary>
    public void Finish(int read, int imported, int rejected, string reportJson, DateTime nowUtc)
    {
        (RowsRead, RowsImported, RowsRejected, ReportJson, CreatedUtc, Status) = (read, imported, rejected, reportJson, nowUtc, Done);
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
        e.Property(b => b.Status).HasMaxLength(12);
        e.HasIndex(b => new { b.DivisionCode, b.CreatedUtc });
        e.HasOne<Division>().WithMany().HasForeignKey(b => b.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
