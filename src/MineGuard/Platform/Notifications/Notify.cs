using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Platform.Notifications;

/// <summary>
/// How a feature tells a person something: an in-app notification, and an SMS in the outbox when the person has a phone
/// number and the matter is urgent. Only adds rows; they are saved (and so decided) with the caller's own SaveChanges.
/// </summary>
public static class Notify
{
    public static void Person(this AppDbContext db, AppUser user, string divisionCode, string title, string body,
        string? link, string sourceType, Guid? sourceId, bool sms)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        db.Add(Notification.Create(user.Id, divisionCode, title, body, link, sourceType, sourceId, now));
        if (sms && !string.IsNullOrWhiteSpace(user.PhoneNumber))
        {
            db.Add(SmsMessage.Create(user.PhoneNumber, SmsText(title, body), divisionCode, user.Id, sourceType, sourceId, now));
        }
    }

    /// <summary>An SMS to a phone that is not a user's (the e-fence warning to whoever entered a danger zone).</summary>
    public static void Phone(this AppDbContext db, string phone, string text, string divisionCode, string sourceType, Guid? sourceId) =>
        db.Add(SmsMessage.Create(phone, text, divisionCode, null, sourceType, sourceId, db.Clock.GetUtcNow().UtcDateTime));

    private static string SmsText(string title, string body)
    {
        var text = $"【MineGuard】{title}：{body}";
        return text.Length <= 500 ? text : text[..500];
    }
}
