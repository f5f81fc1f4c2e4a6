using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.Analysis;

/// <summary>What became of a stored vehicle finding: routed as a clue, or explained (已说明: not raised again for that cause).</summary>
public static class VehicleFindingStatus
{
    public const string Routed = "routed";
    public const string Explained = "explained";

    public static string Name(string status) => status == Explained ? "已说明" : "已转线索";
}

/// <summary>
/// A vehicle finding that became a clue (卡口车辆研判): one row per plate, township (of its busiest checkpoint) and cause
/// (<see cref="VehicleCauses.Of"/>: night, companion, absence, link — the parts that made the score). The same plate, township
/// and cause is the same finding: analysed again (the daily job, the office's POST) it moves <see cref="LastFoundUtc"/>,
/// the score and the text and opens no second clue; once explained it is skipped for good. In the township's jurisdiction.
/// </summary>
public sealed class VehicleFindingRecord : IInJurisdiction
{
    private VehicleFindingRecord() { }

    public Guid Id { get; private set; }
    public string Plate { get; private set; } = "";
    public string DivisionCode { get; private set; } = "";
    public string Cause { get; private set; } = "";
    public Guid CheckpointId { get; private set; }
    public Guid? AditId { get; private set; }
    public double Score { get; private set; }
    public string Explanation { get; private set; } = "";

    /// <summary>The explanation's column.</summary>
    public const int ExplanationMax = 1000;
    public string Status { get; private set; } = VehicleFindingStatus.Routed;
    public Guid? ClueId { get; private set; }
    public DateTime FoundUtc { get; private set; }
    public DateTime LastFoundUtc { get; private set; }
    public string? ExplanationNote { get; private set; }
    public Guid? ExplainedById { get; private set; }
    public string? ExplainedByName { get; private set; }
    public DateTime? ExplainedUtc { get; private set; }

    public static VehicleFindingRecord Create(string plate, string township, string cause, Guid checkpointId, Guid? aditId, double score,
        string explanation, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Plate = plate, DivisionCode = township, Cause = cause, CheckpointId = checkpointId, AditId = aditId,
        Score = score, Explanation = Cut(explanation, ExplanationMax), FoundUtc = nowUtc, LastFoundUtc = nowUtc,
    };

    /// <summary>Found again: the numbers follow while it is not explained.</summary>
    public void Refresh(double score, string explanation, DateTime nowUtc)
    {
        if (Status == VehicleFindingStatus.Explained) return;
        (Score, Explanation, LastFoundUtc) = (score, Cut(explanation, ExplanationMax), nowUtc);
    }

    public void Routed(Guid clueId) => ClueId = clueId;

    public void Explain(string note, Guid? byId, string byName, DateTime nowUtc)
    {
        Platform.Web.Rule.Check(Status != VehicleFindingStatus.Explained, "VehicleFindingAlreadyExplained", "该车辆研判结果已说明");
        (Status, ExplanationNote, ExplainedById, ExplainedByName, ExplainedUtc) = (VehicleFindingStatus.Explained, note, byId, byName, nowUtc);
    }
}

/// <summary>The cause of a vehicle finding: the parts that made its score, in a fixed order ("night+companion").</summary>
public static class VehicleCauses
{
    public static string Of(VehicleFinding f)
    {
        var parts = new List<string>(4);
        if (f.Night >= 3) parts.Add("night");
        if (f.Companions.Count > 0) parts.Add("companion");
        if (f.AbsentDays is not null) parts.Add("absence");
        if (f.Links.Count > 0) parts.Add("link");
        return parts.Count == 0 ? "frequency" : string.Join('+', parts);
    }

    /// <summary>The cause in Chinese ("夜间、同行").</summary>
    public static string Name(string cause) => string.Join("、", cause.Split('+').Select(p => p switch
    {
        "night" => "夜间", "companion" => "同行车辆", "absence" => "久未出现后再现", "link" => "关联涉案或重点人员", _ => "频繁经过",
    }));
}

internal sealed class VehicleFindingRecordConfiguration : IEntityTypeConfiguration<VehicleFindingRecord>
{
    public void Configure(EntityTypeBuilder<VehicleFindingRecord> e)
    {
        e.ToTable("VehicleFindings");
        e.HasKey(x => x.Id);
        e.Property(x => x.Plate).HasMaxLength(20);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Cause).HasMaxLength(40);
        e.Property(x => x.Status).HasMaxLength(12);
        e.Property(x => x.Explanation).HasMaxLength(VehicleFindingRecord.ExplanationMax);
        e.Property(x => x.ExplanationNote).HasMaxLength(500);
        e.Property(x => x.ExplainedByName).HasMaxLength(100);
        // The same plate, township and cause is the same finding.
        e.HasIndex(x => new { x.Plate, x.DivisionCode, x.Cause }).IsUnique();
        e.HasIndex(x => x.DivisionCode);
    }
}
