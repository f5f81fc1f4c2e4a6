using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Features.Supervision;

internal sealed class StageReportConfiguration : IEntityTypeConfiguration<StageReport>
{
    public void Configure(EntityTypeBuilder<StageReport> e)
    {
        e.ToTable("StageReports");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Narrative).HasMaxLength(20000);
        e.Property(x => x.ContentHash).HasMaxLength(64);
        e.Property(x => x.RequestedByDivision).HasMaxLength(24);
        e.Property(x => x.CreatedByName).HasMaxLength(100);
        e.Property(x => x.SignedByName).HasMaxLength(100);
        e.Property(x => x.SentByName).HasMaxLength(100);
        e.Property(x => x.ReceivedByName).HasMaxLength(100);
        e.Property(x => x.ReturnComment).HasMaxLength(2000);
        e.Property(x => x.ReturnedByName).HasMaxLength(100);
        e.HasIndex(x => new { x.DivisionCode, x.ToOn });
        e.HasIndex(x => x.ClientId).IsUnique();
    }
}
