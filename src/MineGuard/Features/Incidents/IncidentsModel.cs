using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Features.Incidents;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> e)
    {
        e.ToTable("Incidents");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.CountyCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Summary).HasMaxLength(4000);
        e.Property(x => x.OreValue).HasPrecision(14, 2);
        e.Property(x => x.DirectLoss).HasPrecision(14, 2);
        e.HasIndex(x => new { x.DivisionCode, x.OccurredUtc });
        e.HasIndex(x => x.AditId);
        e.HasIndex(x => x.ClientId).IsUnique();
    }
}

internal sealed class IncidentEntryConfiguration : IEntityTypeConfiguration<IncidentEntry>
{
    public void Configure(EntityTypeBuilder<IncidentEntry> e)
    {
        e.ToTable("IncidentEntries");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.What).HasMaxLength(2000);
        e.Property(x => x.ReportedBy).HasMaxLength(100);
        e.Property(x => x.ReportedTo).HasMaxLength(100);
        e.HasIndex(x => new { x.IncidentId, x.Seq });
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentFindingConfiguration : IEntityTypeConfiguration<IncidentFinding>
{
    public void Configure(EntityTypeBuilder<IncidentFinding> e)
    {
        e.ToTable("IncidentFindings");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.Unit).HasMaxLength(100);
        e.Property(x => x.Text).HasMaxLength(2000);
        e.HasIndex(x => new { x.IncidentId, x.Seq });
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentAccountabilityConfiguration : IEntityTypeConfiguration<IncidentAccountability>
{
    public void Configure(EntityTypeBuilder<IncidentAccountability> e)
    {
        e.ToTable("IncidentAccountabilities");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Unit).HasMaxLength(100);
        e.Property(x => x.Official).HasMaxLength(50);
        e.Property(x => x.Post).HasMaxLength(100);
        e.Property(x => x.What).HasMaxLength(2000);
        e.HasIndex(x => new { x.IncidentId, x.Seq });
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentCaseConfiguration : IEntityTypeConfiguration<IncidentCase>
{
    public void Configure(EntityTypeBuilder<IncidentCase> e)
    {
        e.ToTable("IncidentCases");
        e.HasKey(x => new { x.IncidentId, x.CaseId });
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.HasIndex(x => x.CaseId);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SafetyNoticeConfiguration : IEntityTypeConfiguration<SafetyNotice>
{
    public void Configure(EntityTypeBuilder<SafetyNotice> e)
    {
        e.ToTable("SafetyNotices");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.Title).HasMaxLength(100);
        e.Property(x => x.Text).HasMaxLength(1000);
        e.Property(x => x.Villages).HasMaxLength(8000);
        e.Property(x => x.IssuedByName).HasMaxLength(100);
        e.HasIndex(x => new { x.DivisionCode, x.IssuedUtc });
        e.HasIndex(x => x.IncidentId);
        e.HasIndex(x => x.ClientId).IsUnique();
    }
}

internal sealed class SafetyNoticeRecipientConfiguration : IEntityTypeConfiguration<SafetyNoticeRecipient>
{
    public void Configure(EntityTypeBuilder<SafetyNoticeRecipient> e)
    {
        e.ToTable("SafetyNoticeRecipients");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Phone).HasMaxLength(20);
        e.HasIndex(x => x.NoticeId);
        e.HasOne<SafetyNotice>().WithMany().HasForeignKey(x => x.NoticeId).OnDelete(DeleteBehavior.Cascade);
    }
}
