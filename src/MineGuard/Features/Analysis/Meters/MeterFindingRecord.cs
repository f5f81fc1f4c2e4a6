using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis;

/// <summary>What became of a stored meter finding.</summary>
public static class MeterFindingStatus
{
    /// <summary>Found, not (yet) a clue: gaps stay open; a use finding is routed when it is stored.</summary>
    public const string Open = "open";
    /// <summary>A clue was opened for it (routed to the township, copied to the power department).</summary>
    public const string Routed = "routed";
    /// <summary>Someone declared its cause (已说明): the declared load is part of the meter's expectation from then on.</summary>
    public const string Explained = "explained";

    public static string Name(string status) => status switch { Routed => "已转线索", Explained => "已说明", _ => "未处理" };
}

/// <summary>
/// A stored finding of the electricity detector (电表异常) on one meter: the window [StartUtc, EndUtc), kind, score and
/// Chinese explanation as <see cref="MeterDetector"/> produced them. The same meter, kind and start is the same finding: a
/// re-scan extends its end and updates its numbers while it is not explained. An explained finding carries the declared
/// explanation (note, extra kW or null for any load, from/to) that <see cref="MeterScanner"/> gives the detector back as a
/// <see cref="MeterExplanation"/>, so the same cause is not raised again. In the jurisdiction of the meter.
/// </summary>
public sealed class MeterFindingRecord : IInJurisdiction
{
    private MeterFindingRecord() { }

    public Guid Id { get; private set; }
    public Guid DeviceId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid? AditId { get; private set; }
    public Guid? MineId { get; private set; }

    /// <summary>Where the meter is (its own position, else its adit's), for "near an adit" in the risk score.</summary>
    public double? Lon { get; private set; }
    public double? Lat { get; private set; }

    public string Kind { get; private set; } = "";
    public DateTime StartUtc { get; private set; }
    public DateTime EndUtc { get; private set; }
    public double Score { get; private set; }
    public string Explanation { get; private set; } = "";
    public string Status { get; private set; } = MeterFindingStatus.Open;
    public Guid? ClueId { get; private set; }

    public string? ExplanationNote { get; private set; }
    /// <summary>The declared extra load in kW; null with a note means "any load" in the declared window.</summary>
    public double? ExplainedKw { get; private set; }
    public DateTime? ExplainedFromUtc { get; private set; }
    public DateTime? ExplainedToUtc { get; private set; }
    public Guid? ExplainedById { get; private set; }
    public string? ExplainedByName { get; private set; }
    public DateTime? ExplainedUtc { get; private set; }

    public DateTime FoundUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public bool IsUse => Kind != MeterFindingKinds.Gap;

    public static MeterFindingRecord Create(Device meter, double? lon, double? lat, Guid? mineId, MeterFinding f, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DeviceId = meter.Id, DivisionCode = meter.DivisionCode, AditId = meter.AditId, MineId = mineId,
        Lon = lon, Lat = lat, Kind = f.Kind, StartUtc = f.Start, EndUtc = f.End, Score = f.Score, Explanation = f.Explanation,
        FoundUtc = nowUtc, UpdatedUtc = nowUtc,
    };

    /// <summary>A re-scan saw the same finding again: its end and numbers follow, unless someone has explained it.</summary>
    public bool Refresh(MeterFinding f, DateTime nowUtc)
    {
        if (Status == MeterFindingStatus.Explained) return false;
        if (EndUtc == f.End && Score.Equals(f.Score) && Explanation == f.Explanation) return false;
        EndUtc = f.End;
        Score = f.Score;
        Explanation = f.Explanation;
        UpdatedUtc = nowUtc;
        return true;
    }

    public void Routed(Guid clueId, DateTime nowUtc)
    {
        ClueId = clueId;
        Status = MeterFindingStatus.Routed;
        UpdatedUtc = nowUtc;
    }

    public void Explain(string note, double? extraKw, DateTime fromUtc, DateTime? toUtc, Guid? byId, string byName, DateTime nowUtc)
    {
        Rule.Check(IsUse, "MeterGapNotExplained", "数据中断无需说明用电原因");
        Status = MeterFindingStatus.Explained;
        ExplanationNote = note;
        ExplainedKw = extraKw;
        ExplainedFromUtc = fromUtc;
        ExplainedToUtc = toUtc;
        ExplainedById = byId;
        ExplainedByName = byName;
        ExplainedUtc = nowUtc;
        UpdatedUtc = nowUtc;
    }

    /// <summary>The declared explanation the detector takes into the meter's expectation (null when not explained).</summary>
    public MeterExplanation? Declared => Status == MeterFindingStatus.Explained && ExplainedFromUtc is { } from
        ? new MeterExplanation(from, ExplainedToUtc, ExplainedKw, ExplanationNote ?? "")
        : null;
}

internal sealed class MeterFindingRecordConfiguration : IEntityTypeConfiguration<MeterFindingRecord>
{
    public void Configure(EntityTypeBuilder<MeterFindingRecord> e)
    {
        e.ToTable("MeterFindings");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.Status).HasMaxLength(12);
        e.Property(x => x.Explanation).HasMaxLength(1000);
        e.Property(x => x.ExplanationNote).HasMaxLength(500);
        e.Property(x => x.ExplainedByName).HasMaxLength(100);
        // The same meter, kind and start is the same finding.
        e.HasIndex(x => new { x.DeviceId, x.Kind, x.StartUtc }).IsUnique();
        e.HasIndex(x => new { x.DivisionCode, x.StartUtc });
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class MeterFindingSets
{
    public static DbSet<MeterFindingRecord> MeterFindings(this AppDbContext db) => db.Set<MeterFindingRecord>();
}
