using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Auth;

namespace MineGuard.Platform.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.ToTable("Notifications");
        e.HasKey(n => n.Id);
        e.Property(n => n.DivisionCode).HasMaxLength(24);
        e.Property(n => n.Title).HasMaxLength(Notification.TitleMax);
        e.Property(n => n.Body).HasMaxLength(Notification.BodyMax);
        e.Property(n => n.Link).HasMaxLength(300);
        e.Property(n => n.SourceType).HasMaxLength(40);
        e.HasIndex(n => new { n.UserId, n.ReadUtc, n.CreatedUtc });
        e.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public void Configure(EntityTypeBuilder<SmsMessage> e)
    {
        e.ToTable("SmsMessages");
        e.HasKey(s => s.Id);
        e.Property(s => s.DivisionCode).HasMaxLength(24);
        e.Property(s => s.Phone).HasMaxLength(20);
        e.Property(s => s.Text).HasMaxLength(SmsMessage.TextMax);
        e.Property(s => s.SourceType).HasMaxLength(40);
        e.Property(s => s.ClaimedBy).HasMaxLength(100);
        e.Property(s => s.GatewayMessageId).HasMaxLength(100);
        e.Property(s => s.LastError).HasMaxLength(500);
        e.HasIndex(s => new { s.Status, s.NextAttemptUtc });
        e.HasIndex(s => new { s.DivisionCode, s.CreatedUtc });
        e.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}
