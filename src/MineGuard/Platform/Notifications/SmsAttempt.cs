using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Notifications;

public enum SmsAttemptOutcome
{
    /// <summary>Handed to the gateway, no answer recorded yet: if it stays so, the node died mid-send (outcome unknown).</summary>
    InFlight = 0,
    Accepted = 1,

    /// <summary>Failed in a way worth retrying (timeout, 5xx).</summary>
    Retry = 2,

    /// <summary>The gateway refused the message itself (4xx): retrying will not help.</summary>
    Refused = 3,

    /// <summary>Found in flight when the message was claimed again: the node died or its claim ran out mid-send.</summary>
    Unknown = 4,
}

/// <summary>
/// One hand-over of an SMS to the gateway (发送记录), written before the gateway is called and completed after it answers.
/// An attempt left <see cref="SmsAttemptOutcome.InFlight"/> shows on the outbox page that a retry follows an unknown
/// outcome; the message id is the same on every attempt, so a gateway that de-duplicates by it sends once.
/// </summary>
[MineGuard.Platform.Audit.OwnRecord]
public sealed class SmsAttempt : IInJurisdiction
{
    private SmsAttempt() { }

    public Guid Id { get; private set; }
    public Guid SmsMessageId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public int Number { get; private set; }
    public string Node { get; private set; } = "";
    public DateTime StartedUtc { get; private set; }
    public DateTime? FinishedUtc { get; private set; }
    public SmsAttemptOutcome Outcome { get; private set; }
    public string? GatewayMessageId { get; private set; }
    public string? Error { get; private set; }

    public static SmsAttempt Start(Guid smsMessageId, string divisionCode, int number, string node, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), SmsMessageId = smsMessageId, DivisionCode = divisionCode, Number = number, Node = node,
        StartedUtc = nowUtc, Outcome = SmsAttemptOutcome.InFlight,
    };
}

internal sealed class SmsAttemptConfiguration : IEntityTypeConfiguration<SmsAttempt>
{
    public void Configure(EntityTypeBuilder<SmsAttempt> e)
    {
        e.ToTable("SmsAttempts");
        e.HasKey(a => a.Id);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.Node).HasMaxLength(100);
        e.Property(a => a.GatewayMessageId).HasMaxLength(100);
        e.Property(a => a.Error).HasMaxLength(500);
        e.HasIndex(a => new { a.SmsMessageId, a.Number });
        e.HasOne<SmsMessage>().WithMany().HasForeignKey(a => a.SmsMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
