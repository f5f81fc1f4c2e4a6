using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Satellite;

/// <summary>
/// One finding as the field app recorded it, offline, under the id the phone gave it (the offline-sync rules: the same id
/// and content again is a duplicate, other content a conflict). Keeps where the checker stood and whether that proves
/// presence on site; the patch carries the latest finding. No foreign key to the patch (nothing depends on arrival order).
/// </summary>
public sealed class PatchFieldFinding : IInJurisdiction, IDepartmentShared<PatchFieldFinding>
{
    public static System.Linq.Expressions.Expression<Func<PatchFieldFinding, string, bool, bool>> SharedWith { get; } =
        (f, dept, reward) => dept == SatelliteDesk.NaturalResources;

    private PatchFieldFinding() { }

    /// <summary>The phone's id of the record.</summary>
    public Guid Id { get; private set; }
    public Guid PatchId { get; private set; }

    /// <summary>The patch's county.</summary>
    public string DivisionCode { get; private set; } = "";

    public PatchFinding Finding { get; private set; }
    public string Note { get; private set; } = "";
    public double Lon { get; private set; }
    public double Lat { get; private set; }

    /// <summary>The phone's position accuracy (metres), as reported.</summary>
    public double? Accuracy { get; private set; }

    /// <summary>When the checker recorded it (the phone's clock) and when the server received it.</summary>
    public DateTime AtUtc { get; private set; }
    public DateTime ReceivedUtc { get; private set; }
    public double? ClockSkewSeconds { get; private set; }

    public Guid? UserId { get; private set; }

    /// <summary>Distance from the position to the patch's polygon (0 inside).</summary>
    public double Metres { get; private set; }

    /// <summary>Whether the position proves presence on site (by the county's check-in rules); why not otherwise.</summary>
    public bool Proven { get; private set; }
    public string? ProofReasons { get; private set; }

    public string PayloadHash { get; private set; } = "";

    public static PatchFieldFinding Create(Guid id, SatellitePatch patch, PatchFinding finding, string note, double lon, double lat, double? accuracy,
        DateTime atUtc, DateTime receivedUtc, double? skewSeconds, Guid? userId, PatchProof proof, string hash) => new()
    {
        Id = id, PatchId = patch.Id, DivisionCode = patch.DivisionCode, Finding = finding, Note = note, Lon = lon, Lat = lat, Accuracy = accuracy,
        AtUtc = atUtc, ReceivedUtc = receivedUtc, ClockSkewSeconds = skewSeconds, UserId = userId, Metres = proof.Metres, Proven = proof.Proven,
        ProofReasons = proof.Reasons.Count == 0 ? null : string.Join("；", proof.Reasons), PayloadHash = hash,
    };
}

/// <summary>Whether a finding's position proves the checker was on the patch: the distance and every reason it falls short.</summary>
public sealed record PatchProof(double Metres, bool Proven, IReadOnlyList<string> Reasons);

internal sealed class PatchFieldFindingConfiguration : IEntityTypeConfiguration<PatchFieldFinding>
{
    public void Configure(EntityTypeBuilder<PatchFieldFinding> e)
    {
        e.ToTable("PatchFieldFindings");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.ProofReasons).HasMaxLength(1000);
        e.Property(x => x.PayloadHash).HasMaxLength(64);
        e.HasIndex(x => x.PatchId);
        e.HasIndex(x => x.DivisionCode);
    }
}
