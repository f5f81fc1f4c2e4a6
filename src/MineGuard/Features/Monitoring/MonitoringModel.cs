using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Monitoring;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> e)
    {
        e.ToTable("Devices");
        e.HasKey(d => d.Id);
        e.Property(d => d.DivisionCode).HasMaxLength(24);
        e.Property(d => d.Code).HasMaxLength(100);
        e.Property(d => d.Name).HasMaxLength(200);
        e.Property(d => d.PolygonGeoJson).HasMaxLength(20000);
        e.HasIndex(d => new { d.ApiKeyId, d.Code }).IsUnique();
        e.HasIndex(d => d.DivisionCode);
        e.HasIndex(d => d.AditId);
        e.HasOne<ApiKey>().WithMany().HasForeignKey(d => d.ApiKeyId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Adit>().WithMany().HasForeignKey(d => d.AditId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppUser>().WithMany().HasForeignKey(d => d.OwnerUserId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(d => d.ResponsiblePersonId);
        e.HasOne<MineGuard.Platform.People.Person>().WithMany().HasForeignKey(d => d.ResponsiblePersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeviceEventConfiguration : IEntityTypeConfiguration<DeviceEvent>
{
    public void Configure(EntityTypeBuilder<DeviceEvent> e)
    {
        e.ToTable("DeviceEvents");
        e.HasKey(d => d.Id);
        e.Property(d => d.DivisionCode).HasMaxLength(24);
        e.Property(d => d.ExternalId).HasMaxLength(100);
        e.Property(d => d.Type).HasMaxLength(40);
        e.Property(d => d.Data).HasMaxLength(DeviceEvent.MaxData);
        e.HasIndex(d => new { d.ApiKeyId, d.ExternalId }).IsUnique();
        e.HasIndex(d => new { d.DeviceId, d.OccurredUtc });
        e.HasIndex(d => d.AlertId);
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> e)
    {
        e.ToTable("Alerts");
        e.HasKey(a => a.Id);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.CountyCode).HasMaxLength(24);
        e.Property(a => a.CorrelationKey).HasMaxLength(60);
        e.Property(a => a.RuleKey).HasMaxLength(60);
        e.Property(a => a.EventType).HasMaxLength(40);
        e.Property(a => a.Title).HasMaxLength(Alert.TitleMax);
        e.Property(a => a.NotifyDepartment).HasMaxLength(40);
        e.Property(a => a.OutcomeNote).HasMaxLength(2000);
        e.HasIndex(a => new { a.DivisionCode, a.Status, a.OpenedUtc });
        e.HasIndex(a => new { a.CorrelationKey, a.Status });
        e.HasIndex(a => new { a.Status, a.RoutedUtc });
        e.HasIndex(a => new { a.Status, a.AckDueUtc });
        e.HasIndex(a => a.AditId);
        e.HasOne<Adit>().WithMany().HasForeignKey(a => a.AditId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AlertEntryConfiguration : IEntityTypeConfiguration<AlertEntry>
{
    public void Configure(EntityTypeBuilder<AlertEntry> e)
    {
        e.ToTable("AlertEntries");
        e.HasKey(a => a.Id);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.Kind).HasMaxLength(30);
        e.Property(a => a.Text).HasMaxLength(AlertEntry.TextMax);
        e.HasIndex(a => new { a.AlertId, a.AtUtc });
        e.HasOne<Alert>().WithMany().HasForeignKey(a => a.AlertId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> e)
    {
        e.ToTable("AlertRules");
        e.HasKey(r => r.Id);
        e.Property(r => r.DivisionCode).HasMaxLength(24);
        e.Property(r => r.Name).HasMaxLength(200);
        e.Property(r => r.EventTypes).HasMaxLength(300);
        e.Property(r => r.Subjects).HasMaxLength(100);
        e.Property(r => r.Actions).HasMaxLength(100);
        e.Property(r => r.NotifyDepartment).HasMaxLength(40);
        e.Property(r => r.DefaultKey).HasMaxLength(60);
        e.HasIndex(r => r.DivisionCode);
    }
}

public static class MonitoringSets
{
    public static DbSet<Device> Devices(this AppDbContext db) => db.Set<Device>();

    public static DbSet<DeviceEvent> DeviceEvents(this AppDbContext db) => db.Set<DeviceEvent>();

    public static DbSet<Alert> Alerts(this AppDbContext db) => db.Set<Alert>();

    public static DbSet<AlertEntry> AlertEntries(this AppDbContext db) => db.Set<AlertEntry>();

    public static DbSet<AlertRule> AlertRules(this AppDbContext db) => db.Set<AlertRule>();
}
