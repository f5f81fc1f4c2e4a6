using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Notifications;

/// <summary>An in-app notification (站内通知) for one user: shown in the header and on their notifications page.</summary>
[MineGuard.Platform.Audit.OwnRecord]
public sealed class Notification : IInJurisdiction, IOwnedByUser
{
    private Notification() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>Where the thing it is about belongs (an adit's division), so office lists stay scoped.</summary>
    public string DivisionCode { get; private set; } = "";

    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";

    /// <summary>The title's and body's columns: what is composed longer is cut to them.</summary>
    public const int TitleMax = 200, BodyMax = 2000;

    /// <summary>A local link to the thing (e.g. "/adits/{id}"), or null.</summary>
    public string? Link { get; private set; }

    /// <summary>What produced it ("patrol-finding", "alert", "tip"…) and its id, to find it again.</summary>
    public string SourceType { get; private set; } = "";

    public Guid? SourceId { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime? ReadUtc { get; private set; }

    public static Notification Create(Guid userId, string divisionCode, string title, string body, string? link,
        string sourceType, Guid? sourceId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), UserId = userId, DivisionCode = divisionCode,
        Title = Web.StoredValueLimits.Cut(title, TitleMax), Body = Web.StoredValueLimits.Cut(body, BodyMax), Link = link,
        SourceType = sourceType, SourceId = sourceId, CreatedUtc = nowUtc,
    };

    public void MarkRead(DateTime nowUtc) => ReadUtc ??= nowUtc;
}
