using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Analysis;

/// <summary>
/// A county's risk weights (风险评分权重), set by its office: one weight per signal of <see cref="RiskModel.Signals"/> and
/// the radius of "near". A county without a row uses the defaults.
/// </summary>
public sealed class RiskWeights : IInJurisdiction
{
    private RiskWeights() { }

    /// <summary>The county's code (the key); also its jurisdiction.</summary>
    public string DivisionCode { get; private set; } = "";

    public double Seal { get; private set; }
    public double Method { get; private set; }
    public double Repeat { get; private set; }
    public double Recent { get; private set; }
    public double Neglect { get; private set; }
    public double Alerts { get; private set; }
    public double Clues { get; private set; }
    public double KeyPersons { get; private set; }
    public double Tips { get; private set; }
    public double Meters { get; private set; }
    public double Vehicles { get; private set; }
    public double Incidents { get; private set; }
    public int NearMetres { get; private set; }
    public Guid? UpdatedById { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static RiskWeights For(string county) => new() { DivisionCode = county };

    /// <summary>The weights in <see cref="RiskModel.Signals"/> order.</summary>
    public RiskModel.Weights ToWeights() =>
        new([Seal, Method, Repeat, Recent, Neglect, Alerts, Clues, KeyPersons, Tips, Meters, Vehicles, Incidents], NearMetres);

    public void Set(RiskModel.Weights w, Guid? by, DateTime nowUtc)
    {
        (Seal, Method, Repeat, Recent, Neglect, Alerts) = (w.Values[0], w.Values[1], w.Values[2], w.Values[3], w.Values[4], w.Values[5]);
        (Clues, KeyPersons, Tips, Meters, Vehicles, Incidents) = (w.Values[6], w.Values[7], w.Values[8], w.Values[9], w.Values[10], w.Values[11]);
        NearMetres = w.NearMetres;
        UpdatedById = by;
        UpdatedUtc = nowUtc;
    }
}

internal sealed class RiskWeightsConfiguration : IEntityTypeConfiguration<RiskWeights>
{
    public void Configure(EntityTypeBuilder<RiskWeights> e)
    {
        e.ToTable("RiskWeights");
        e.HasKey(x => x.DivisionCode);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.HasOne<Division>().WithMany().HasForeignKey(x => x.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
