using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Notifications;

public enum SmsStatus
{
    /// <summary>Decided and durable; waiting for the sender.</summary>
    Pending = 0,

    /// <summary>The gateway accepted it.</summary>
    Sent = 1,

    /// <summary>Gave up after the last retry.</summary>
    Failed = 2,
}

/// <summary>
/// An SMS in the outbox (短信发件箱). Written in the same transaction as the decision that causes it, so nothing is lost
/// when a process dies between deciding and sending; a background sender hands it to the configured gateway.
/// </summary>
[MineGuard.Platform.Audit.OwnRecord]
public sealed class SmsMessage : IInJurisdiction
{
    private SmsMessage() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Phone { get; private set; } = "";
    public string Text { get; private set; } = "";

    /// <summary>The text's column: what is composed longer is cut to it.</summary>
    public const int TextMax = 500;

    /// <summary>The user it is for, when it is for a user (an e-fence warning goes to a stranger's phone).</summary>
    public Guid? UserId { get; private set; }

    public string SourceType { get; private set; } = "";
    public Guid? SourceId { get; private set; }
    public SmsStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime NextAttemptUtc { get; private set; }

    /// <summary>A sender node's claim on the message until this time, so two nodes never send it twice.</summary>
    public string? ClaimedBy { get; private set; }

    public DateTime? ClaimedUntilUtc { get; private set; }
    public DateTime? SentUtc { get; private set; }
    public string? GatewayMessageId { get; private set; }
    public string? LastError { get; private set; }

    public static SmsMessage Create(string phone, string text, string divisionCode, Guid? userId, string sourceType,
        Guid? sourceId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), Phone = phone, Text = Web.StoredValueLimits.Cut(text, TextMax), DivisionCode = divisionCode, UserId = userId,
        SourceType = sourceType, SourceId = sourceId, Status = SmsStatus.Pending, CreatedUtc = nowUtc, NextAttemptUtc = nowUtc,
    };
}
