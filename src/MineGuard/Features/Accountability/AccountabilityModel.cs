using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Accountability;

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> e)
    {
        e.ToTable("Referrals");
        e.HasKey(x => x.Id);
        e.Property(x => x.RuleCode).HasMaxLength(40);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Period).HasMaxLength(7);
        e.Property(x => x.Summary).HasMaxLength(1000);
        e.Property(x => x.Decision).HasMaxLength(4000);
        e.Property(x => x.DecidedByName).HasMaxLength(100);
        e.HasIndex(x => new { x.RuleCode, x.DivisionCode, x.Period }).IsUnique();
        e.HasIndex(x => new { x.DivisionCode, x.CreatedUtc });
    }
}

internal sealed class AccountabilitySettingConfiguration : IEntityTypeConfiguration<AccountabilitySetting>
{
    public void Configure(EntityTypeBuilder<AccountabilitySetting> e)
    {
        e.ToTable("AccountabilitySettings");
        e.HasKey(x => x.DivisionCode);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.DisabledRules).HasMaxLength(400);
        e.HasOne<Division>().WithMany().HasForeignKey(x => x.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
