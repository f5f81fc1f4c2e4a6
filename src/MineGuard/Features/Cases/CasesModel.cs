using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Files;

namespace MineGuard.Features.Cases;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> e)
    {
        e.ToTable("Cases");
        e.HasKey(c => c.Id);
        e.Ignore(c => c.IsOpen);
        e.Ignore(c => c.DecisionDeadline);
        e.Property(c => c.DivisionCode).HasMaxLength(24);
        e.Property(c => c.CountyCode).HasMaxLength(6);
        e.Property(c => c.Number).HasMaxLength(100);
        e.Property(c => c.Type).HasMaxLength(30);
        e.Property(c => c.Title).HasMaxLength(200);
        e.Property(c => c.Facts).HasMaxLength(4000);
        e.Property(c => c.DepartmentCode).HasMaxLength(20);
        e.Property(c => c.Source).HasMaxLength(20);
        e.Property(c => c.SourceNote).HasMaxLength(1000);
        e.Property(c => c.ExtensionReason).HasMaxLength(1000);
        e.Property(c => c.ExtensionApprovedBy).HasMaxLength(100);
        e.Property(c => c.NoticeText).HasMaxLength(2000);
        e.Property(c => c.DecisionText).HasMaxLength(2000);
        e.Property(c => c.ExecutionNote).HasMaxLength(1000);
        e.Property(c => c.TransferDecidedBy).HasMaxLength(100);
        e.Property(c => c.TransferRefusedReason).HasMaxLength(1000);
        e.Property(c => c.TransferMaterials).HasMaxLength(1000);
        e.Property(c => c.PoliceUnit).HasMaxLength(100);
        e.Property(c => c.ReceiptNumber).HasMaxLength(100);
        e.Property(c => c.PoliceCaseNumber).HasMaxLength(100);
        e.Property(c => c.PoliceDecision).HasMaxLength(20);
        e.Property(c => c.AppealResult).HasMaxLength(20);
        e.Property(c => c.ReferralReason).HasMaxLength(1000);
        e.HasIndex(c => c.Number).IsUnique();
        e.HasIndex(c => new { c.CountyCode, c.Year, c.Seq }).IsUnique();
        e.HasIndex(c => c.ClientId).IsUnique();
        e.HasIndex(c => new { c.DivisionCode, c.Stage, c.FiledUtc });
    }
}

internal sealed class CaseOfficerConfiguration : IEntityTypeConfiguration<CaseOfficer>
{
    public void Configure(EntityTypeBuilder<CaseOfficer> e)
    {
        e.ToTable("CaseOfficers");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.HasIndex(x => new { x.CaseId, x.UserId }).IsUnique();
        e.HasIndex(x => x.UserId);
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseLinkConfiguration : IEntityTypeConfiguration<CaseLink>
{
    public void Configure(EntityTypeBuilder<CaseLink> e)
    {
        e.ToTable("CaseLinks");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(10);
        e.HasIndex(x => new { x.CaseId, x.Kind, x.TargetId }).IsUnique();
        e.HasIndex(x => new { x.Kind, x.TargetId });
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseEntryConfiguration : IEntityTypeConfiguration<CaseEntry>
{
    public void Configure(EntityTypeBuilder<CaseEntry> e)
    {
        e.ToTable("CaseEntries");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(30);
        e.Property(x => x.Text).HasMaxLength(CaseEntry.TextMax);
        e.HasIndex(x => new { x.CaseId, x.AtUtc });
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CasePartyConfiguration : IEntityTypeConfiguration<CaseParty>
{
    public void Configure(EntityTypeBuilder<CaseParty> e)
    {
        e.ToTable("CaseParties");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(10);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.IdNumberProtected).HasMaxLength(1000);
        e.Property(x => x.IdNumberHash).HasMaxLength(64);
        e.Property(x => x.IdNumberLast4).HasMaxLength(4);
        e.Property(x => x.CreditCode).HasMaxLength(18);
        e.Property(x => x.Role).HasMaxLength(100);
        e.HasIndex(x => x.CaseId);
        e.HasIndex(x => x.Name);
        e.HasIndex(x => x.IdNumberHash);
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseDismissalConfiguration : IEntityTypeConfiguration<CaseDismissal>
{
    public void Configure(EntityTypeBuilder<CaseDismissal> e)
    {
        e.ToTable("CaseDismissals");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.HasIndex(x => x.CaseId);
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseEvidenceConfiguration : IEntityTypeConfiguration<CaseEvidence>
{
    public void Configure(EntityTypeBuilder<CaseEvidence> e)
    {
        e.ToTable("CaseEvidence");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.CollectedBy).HasMaxLength(100);
        e.Property(x => x.Place).HasMaxLength(200);
        e.Property(x => x.Holder).HasMaxLength(100);
        e.Property(x => x.NamedPersons).HasMaxLength(1000);
        e.Property(x => x.WithdrawReason).HasMaxLength(1000);
        e.HasIndex(x => x.CaseId);
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<StoredFile>().WithMany().HasForeignKey(x => x.StoredFileId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseCustodyConfiguration : IEntityTypeConfiguration<CaseCustody>
{
    public void Configure(EntityTypeBuilder<CaseCustody> e)
    {
        e.ToTable("CaseCustody");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.FromHolder).HasMaxLength(100);
        e.Property(x => x.ToHolder).HasMaxLength(100);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.HasIndex(x => new { x.EvidenceId, x.AtUtc });
        e.HasOne<CaseEvidence>().WithMany().HasForeignKey(x => x.EvidenceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseSeizureConfiguration : IEntityTypeConfiguration<CaseSeizure>
{
    public void Configure(EntityTypeBuilder<CaseSeizure> e)
    {
        e.ToTable("CaseSeizures");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.Description).HasMaxLength(500);
        e.Property(x => x.ValuedBy).HasMaxLength(200);
        e.Property(x => x.Plate).HasMaxLength(20);
        e.Property(x => x.StoragePlace).HasMaxLength(200);
        e.Property(x => x.Keeper).HasMaxLength(100);
        e.Property(x => x.NamedPersons).HasMaxLength(1000);
        e.Property(x => x.Disposal).HasMaxLength(20);
        e.Property(x => x.DisposalDocument).HasMaxLength(200);
        e.HasIndex(x => x.CaseId);
        e.HasIndex(x => x.Plate);
        e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
