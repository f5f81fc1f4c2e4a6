using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Adits;
using MineGuard.Platform.Files;

namespace MineGuard.Features.Tips;

internal sealed class TipConfiguration : IEntityTypeConfiguration<Tip>
{
    public void Configure(EntityTypeBuilder<Tip> e)
    {
        e.ToTable("Tips");
        e.HasKey(t => t.Id);
        e.Property(t => t.DivisionCode).HasMaxLength(24);
        e.Property(t => t.CountyCode).HasMaxLength(24);
        e.Property(t => t.Kinds).HasMaxLength(200);
        e.Property(t => t.Description).HasMaxLength(4000);
        e.Property(t => t.Place).HasMaxLength(500);
        e.Property(t => t.SeenWhen).HasMaxLength(100);
        e.Property(t => t.ReceiptLocator).HasMaxLength(16);
        e.Property(t => t.ReceiptHash).HasMaxLength(100);
        e.Property(t => t.ReceiptSalt).HasMaxLength(100);
        e.Property(t => t.TipsterProtected).HasMaxLength(4000);
        e.Property(t => t.TriageNote).HasMaxLength(1000);
        e.Property(t => t.AssignedDivisionCode).HasMaxLength(24);
        e.Property(t => t.AssignedDepartmentCode).HasMaxLength(40);
        e.Property(t => t.VerificationNote).HasMaxLength(4000);
        e.Property(t => t.OverturnNote).HasMaxLength(Tip.OverturnNoteMax);
        e.Property(t => t.CaseNumber).HasMaxLength(100);
        e.Ignore(t => t.KindList);
        e.HasIndex(t => t.ReceiptLocator).IsUnique();
        e.HasIndex(t => t.ClientId).IsUnique();
        e.HasIndex(t => new { t.DivisionCode, t.Status, t.ReceivedUtc });
        e.HasIndex(t => new { t.CountyCode, t.ReceivedUtc });
        e.HasOne<Adit>().WithMany().HasForeignKey(t => t.AditId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Tip>().WithMany().HasForeignKey(t => t.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TipAttachmentConfiguration : IEntityTypeConfiguration<TipAttachment>
{
    public void Configure(EntityTypeBuilder<TipAttachment> e)
    {
        e.ToTable("TipAttachments");
        e.HasKey(a => a.Id);
        e.Property(a => a.ContentType).HasMaxLength(100);
        e.HasIndex(a => a.TipId);
        e.HasOne<Tip>().WithMany().HasForeignKey(a => a.TipId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<StoredFile>().WithMany().HasForeignKey(a => a.StoredFileId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TipMessageConfiguration : IEntityTypeConfiguration<TipMessage>
{
    public void Configure(EntityTypeBuilder<TipMessage> e)
    {
        e.ToTable("TipMessages");
        e.HasKey(m => m.Id);
        e.Property(m => m.Text).HasMaxLength(2000);
        e.HasIndex(m => new { m.TipId, m.CreatedUtc });
        e.HasOne<Tip>().WithMany().HasForeignKey(m => m.TipId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RewardRuleConfiguration : IEntityTypeConfiguration<RewardRule>
{
    public void Configure(EntityTypeBuilder<RewardRule> e)
    {
        e.ToTable("RewardRules");
        e.HasKey(r => r.DivisionCode);
        e.Property(r => r.DivisionCode).HasMaxLength(24);
        e.Property(r => r.Text).HasMaxLength(1000);
    }
}

internal sealed class RewardConfiguration : IEntityTypeConfiguration<Reward>
{
    public void Configure(EntityTypeBuilder<Reward> e)
    {
        e.ToTable("Rewards");
        e.HasKey(r => r.Id);
        e.Property(r => r.DivisionCode).HasMaxLength(24);
        e.Property(r => r.RefusedReason).HasMaxLength(1000);
        e.Property(r => r.ClaimProtected).HasMaxLength(4000);
        e.Property(r => r.PaidMethod).HasMaxLength(100);
        e.Property(r => r.PaidReference).HasMaxLength(200);
        e.HasIndex(r => r.TipId);
        e.HasIndex(r => new { r.DivisionCode, r.Status });
        e.HasOne<Tip>().WithMany().HasForeignKey(r => r.TipId).OnDelete(DeleteBehavior.Restrict);
    }
}
