using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Imports;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Adits;

internal sealed class AditConfiguration : IEntityTypeConfiguration<Adit>
{
    public void Configure(EntityTypeBuilder<Adit> e)
    {
        e.ToTable("Adits");
        e.HasKey(a => a.Id);
        e.Property(a => a.Number).HasMaxLength(40);
        e.Property(a => a.Name).HasMaxLength(100);
        e.Property(a => a.CountyCode).HasMaxLength(24);
        e.Property(a => a.TownshipCode).HasMaxLength(24);
        e.Property(a => a.VillageCode).HasMaxLength(24);
        e.Property(a => a.GridCode).HasMaxLength(24);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.RightsHolder).HasMaxLength(200);
        e.Property(a => a.ClosureParty).HasMaxLength(200);
        e.Property(a => a.SealingPartyOverride).HasMaxLength(200);
        e.Property(a => a.SealingPartyOverrideReason).HasMaxLength(500);
        e.Property(a => a.Description).HasMaxLength(2000);
        e.Property(a => a.StatusReason).HasMaxLength(500);
        e.HasIndex(a => a.Number).IsUnique();
        // The map's bounding-box and clustering queries: an integer range on MapX, then MapY, then the scope; the
        // status and seal columns make it covering, so clusters are counted from the index alone (bench/MineGuard.Bench:
        // county zoom over 100,000 adits went from ~150 ms to ~20 ms on SQLite).
        e.HasIndex(a => new { a.MapX, a.MapY, a.DivisionCode, a.Status, a.State, a.CurrentSealMethod });
        e.HasIndex(a => new { a.DivisionCode, a.State });
        e.HasIndex(a => a.TownshipCode);
        e.HasIndex(a => a.ResponsibleUserId);
        e.HasIndex(a => a.ResponsiblePersonId);
        e.HasOne<Person>().WithMany().HasForeignKey(a => a.ResponsiblePersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(a => a.ImportBatchId);
        e.HasOne<Division>().WithMany().HasForeignKey(a => a.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppUser>().WithMany().HasForeignKey(a => a.ResponsibleUserId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ImportBatch>().WithMany().HasForeignKey(a => a.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(a => a.Events).WithOne().HasForeignKey(ev => ev.AditId).OnDelete(DeleteBehavior.Cascade);
        e.Navigation(a => a.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        e.Ignore(a => a.IsWeakSeal);
        e.Ignore(a => a.IsNeverAccepted);
        e.Ignore(a => a.IsRepeatBreach);
    }
}

internal sealed class SealingEventConfiguration : IEntityTypeConfiguration<SealingEvent>
{
    public void Configure(EntityTypeBuilder<SealingEvent> e)
    {
        e.ToTable("SealingEvents");
        e.HasKey(s => s.Id);
        e.Property(s => s.DivisionCode).HasMaxLength(24);
        e.Property(s => s.Standard).HasMaxLength(200);
        e.Property(s => s.PerformedBy).HasMaxLength(200);
        e.Property(s => s.HowFound).HasMaxLength(200);
        e.Property(s => s.Note).HasMaxLength(SealingEvent.NoteMax);
        e.HasIndex(s => new { s.AditId, s.OccurredOn });
        e.HasIndex(s => s.DivisionCode);
    }
}

internal sealed class AditPhotoConfiguration : IEntityTypeConfiguration<AditPhoto>
{
    public void Configure(EntityTypeBuilder<AditPhoto> e)
    {
        e.ToTable("AditPhotos");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Caption).HasMaxLength(200);
        e.HasIndex(p => p.AditId);
        e.HasIndex(p => p.FileId);
        e.HasOne<Adit>().WithMany().HasForeignKey(p => p.AditId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<SealingEvent>().WithMany().HasForeignKey(p => p.SealingEventId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<StoredFile>().WithMany().HasForeignKey(p => p.FileId).OnDelete(DeleteBehavior.Restrict);
    }
}
