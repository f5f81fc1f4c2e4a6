using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Mines;

namespace MineGuard.Features.Explosives;

internal sealed class ExplosiveHolderConfiguration : IEntityTypeConfiguration<ExplosiveHolder>
{
    public void Configure(EntityTypeBuilder<ExplosiveHolder> e)
    {
        e.ToTable("ExplosiveHolders");
        e.HasKey(h => h.Id);
        e.Property(h => h.DivisionCode).HasMaxLength(24);
        e.Property(h => h.Name).HasMaxLength(200);
        e.Property(h => h.Kind).HasMaxLength(20);
        e.Property(h => h.PermittedAreaCode).HasMaxLength(24);
        e.HasIndex(h => h.DivisionCode);
        e.HasIndex(h => h.ClientId).IsUnique();
        e.HasOne<LicensedMine>().WithMany().HasForeignKey(h => h.MineId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(h => h.Permits).WithOne().HasForeignKey(p => p.HolderId).OnDelete(DeleteBehavior.Restrict);
        e.Navigation(h => h.Permits).HasField("permits");
    }
}

internal sealed class ExplosivePermitConfiguration : IEntityTypeConfiguration<ExplosivePermit>
{
    public void Configure(EntityTypeBuilder<ExplosivePermit> e)
    {
        e.ToTable("ExplosivePermits");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Kind).HasMaxLength(20);
        e.Property(p => p.Number).HasMaxLength(60);
        e.Property(p => p.Scope).HasMaxLength(500);
        e.Property(p => p.Authority).HasMaxLength(100);
        e.HasIndex(p => p.HolderId);
    }
}

internal sealed class ExplosiveMovementConfiguration : IEntityTypeConfiguration<ExplosiveMovement>
{
    public void Configure(EntityTypeBuilder<ExplosiveMovement> e)
    {
        e.ToTable("ExplosiveMovements");
        e.HasKey(m => m.Id);
        e.Property(m => m.Id).ValueGeneratedNever();
        e.Property(m => m.DivisionCode).HasMaxLength(24);
        e.Property(m => m.Kind).HasMaxLength(20);
        e.Property(m => m.Material).HasMaxLength(20);
        e.Property(m => m.Vehicle).HasMaxLength(20);
        e.Property(m => m.Route).HasMaxLength(200);
        e.Property(m => m.SiteDivisionCode).HasMaxLength(24);
        e.Property(m => m.Site).HasMaxLength(200);
        e.Property(m => m.ShotFirer).HasMaxLength(50);
        e.Property(m => m.Crew).HasMaxLength(100);
        e.Property(m => m.PermitNumber).HasMaxLength(60);
        e.Property(m => m.PayloadHash).HasMaxLength(64);
        e.HasIndex(m => new { m.HolderId, m.Material, m.Utc });
        e.HasIndex(m => new { m.DivisionCode, m.Utc });
        e.HasOne<ExplosiveHolder>().WithMany().HasForeignKey(m => m.HolderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ExplosiveDetonatorConfiguration : IEntityTypeConfiguration<ExplosiveDetonator>
{
    public void Configure(EntityTypeBuilder<ExplosiveDetonator> e)
    {
        e.ToTable("ExplosiveDetonators");
        e.HasKey(d => new { d.MovementId, d.Code });
        e.Property(d => d.Code).HasMaxLength(13);
        e.Property(d => d.DivisionCode).HasMaxLength(24);
        e.Property(d => d.Kind).HasMaxLength(20);
        e.HasIndex(d => new { d.Code, d.Kind, d.Utc });
        e.HasOne<ExplosiveMovement>().WithMany().HasForeignKey(d => d.MovementId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ExplosiveGapConfiguration : IEntityTypeConfiguration<ExplosiveGap>
{
    public void Configure(EntityTypeBuilder<ExplosiveGap> e)
    {
        e.ToTable("ExplosiveGaps");
        e.HasKey(g => g.Id);
        e.Property(g => g.DivisionCode).HasMaxLength(24);
        e.Property(g => g.Kind).HasMaxLength(30);
        e.Property(g => g.Key).HasMaxLength(100);
        e.Property(g => g.Material).HasMaxLength(20);
        e.Property(g => g.Records).HasMaxLength(1000);
        e.Property(g => g.Detail).HasMaxLength(1000);
        e.Property(g => g.CloseReason).HasMaxLength(500);
        e.HasIndex(g => new { g.HolderId, g.Kind, g.Key }).IsUnique();
        e.HasIndex(g => new { g.DivisionCode, g.FoundUtc });
        e.HasOne<ExplosiveHolder>().WithMany().HasForeignKey(g => g.HolderId).OnDelete(DeleteBehavior.Restrict);
    }
}
