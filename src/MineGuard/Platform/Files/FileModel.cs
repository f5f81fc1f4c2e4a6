using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Platform.Files;

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> e)
    {
        e.ToTable("StoredFiles");
        e.HasKey(f => f.Id);
        e.Property(f => f.Sha256).HasMaxLength(64);
        e.Property(f => f.ContentType).HasMaxLength(100);
        e.Property(f => f.FileName).HasMaxLength(260);
        e.HasIndex(f => f.Sha256).IsUnique();
    }
}
