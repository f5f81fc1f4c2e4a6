using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.FollowUps;

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> e)
    {
        e.ToTable("FollowUps");
        e.HasKey(f => f.Id);
        e.Property(f => f.DivisionCode).HasMaxLength(24);
        e.Property(f => f.SourceType).HasMaxLength(40);
        e.Property(f => f.Title).HasMaxLength(200);
        e.Property(f => f.Detail).HasMaxLength(2000);
        e.Property(f => f.Resolution).HasMaxLength(2000);
        e.HasIndex(f => new { f.DivisionCode, f.Status, f.CreatedUtc });
        e.HasIndex(f => new { f.SourceType, f.SourceId });
        e.HasOne<Adit>().WithMany().HasForeignKey(f => f.AditId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppUser>().WithMany().HasForeignKey(f => f.AssigneeUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
