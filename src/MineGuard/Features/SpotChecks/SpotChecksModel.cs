using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.SpotChecks;

internal sealed class SpotCheckDrawConfiguration : IEntityTypeConfiguration<SpotCheckDraw>
{
    public void Configure(EntityTypeBuilder<SpotCheckDraw> e)
    {
        e.ToTable("SpotCheckDraws");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Counties).HasMaxLength(2000);
        e.Property(x => x.Kinds).HasMaxLength(100);
        e.Property(x => x.SharePercent).HasPrecision(5, 2);
        e.Property(x => x.Seed).HasMaxLength(64);
        e.Property(x => x.Algorithm).HasMaxLength(20);
        e.Property(x => x.ListHash).HasMaxLength(64);
        e.Property(x => x.DrawnByName).HasMaxLength(100);
        e.HasIndex(x => new { x.DivisionCode, x.DrawnUtc });
        e.HasIndex(x => new { x.ListHash, x.Seed }).IsUnique();
        e.HasIndex(x => x.ClientId).IsUnique();
    }
}

internal sealed class SpotCheckItemConfiguration : IEntityTypeConfiguration<SpotCheckItem>
{
    public void Configure(EntityTypeBuilder<SpotCheckItem> e)
    {
        e.ToTable("SpotCheckItems");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.ItemKind).HasMaxLength(20);
        e.Property(x => x.ItemDivisionCode).HasMaxLength(24);
        e.Property(x => x.Stratum).HasMaxLength(60);
        e.Property(x => x.Key).HasMaxLength(64);
        e.Property(x => x.Label).HasMaxLength(200);
        e.Property(x => x.SignerName).HasMaxLength(100);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.CheckerName).HasMaxLength(100);
        e.HasIndex(x => new { x.DrawId, x.Rank });
        e.HasIndex(x => new { x.ItemKind, x.ItemId });
        e.HasIndex(x => x.SignerUserId);
        e.HasOne<SpotCheckDraw>().WithMany().HasForeignKey(x => x.DrawId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SpotCheckSettingConfiguration : IEntityTypeConfiguration<SpotCheckSetting>
{
    public void Configure(EntityTypeBuilder<SpotCheckSetting> e)
    {
        e.ToTable("SpotCheckSettings");
        e.HasKey(x => x.DivisionCode);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.DefaultSharePercent).HasPrecision(5, 2);
        e.HasOne<Division>().WithMany().HasForeignKey(x => x.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
