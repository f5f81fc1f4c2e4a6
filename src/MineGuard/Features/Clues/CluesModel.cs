using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Adits;
using MineGuard.Platform.People;

namespace MineGuard.Features.Clues;

internal sealed class ClueConfiguration : IEntityTypeConfiguration<Clue>
{
    public void Configure(EntityTypeBuilder<Clue> e)
    {
        e.ToTable("Clues");
        e.HasKey(c => c.Id);
        e.Ignore(c => c.CountyCode);
        e.Property(c => c.DivisionCode).HasMaxLength(24);
        e.Property(c => c.Summary).HasMaxLength(1000);
        e.Property(c => c.DepartmentCode).HasMaxLength(20);
        e.Property(c => c.Evidence).HasMaxLength(4000);
        e.Property(c => c.VerifiedByName).HasMaxLength(100);
        e.Property(c => c.OutcomeNote).HasMaxLength(2000);
        e.Property(c => c.TransferredTo).HasMaxLength(100);
        e.Property(c => c.NamedPersons).HasMaxLength(1000);
        e.HasIndex(c => c.CaseId);
        e.Property(c => c.TransferReceivedBy).HasMaxLength(100);
        e.HasIndex(c => new { c.DivisionCode, c.State, c.ReceivedUtc });
        e.HasIndex(c => new { c.AditId, c.ReceivedUtc });
        e.HasIndex(c => c.VerifierPersonId);
        e.HasOne<Adit>().WithMany().HasForeignKey(c => c.AditId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(c => c.VerifierPersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ClueSourceConfiguration : IEntityTypeConfiguration<ClueSource>
{
    public void Configure(EntityTypeBuilder<ClueSource> e)
    {
        e.ToTable("ClueSources");
        e.HasKey(s => s.Id);
        e.Property(s => s.DivisionCode).HasMaxLength(24);
        e.Property(s => s.Type).HasMaxLength(30);
        e.Property(s => s.Summary).HasMaxLength(1000);
        e.HasIndex(s => s.ClueId);
        e.HasIndex(s => new { s.Type, s.SourceId });
        e.HasOne<Clue>().WithMany().HasForeignKey(s => s.ClueId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ClueEntryConfiguration : IEntityTypeConfiguration<ClueEntry>
{
    public void Configure(EntityTypeBuilder<ClueEntry> e)
    {
        e.ToTable("ClueEntries");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(30);
        e.Property(x => x.Text).HasMaxLength(ClueEntry.TextMax);
        e.HasIndex(x => new { x.ClueId, x.AtUtc });
        e.HasOne<Clue>().WithMany().HasForeignKey(x => x.ClueId).OnDelete(DeleteBehavior.Restrict);
    }
}
