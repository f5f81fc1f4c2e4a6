using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
            db.Add(SmsMessage.Create(user.PhoneNumber, SmsText(db, divisionCode, title, body), divisionCode, user.Id, sourceType, sourceId, now));
        }
    }

    /// <summary>
    /// Tells someone who answers (<see cref="People.Responsibility"/>): in-app when they have an account, and by SMS when
    /// <paramref name="sms"/> and they have a phone, whether or not they have an account (a township cadre without a
    /// log-in is told by SMS alone).
    /// </summary>
    public static void Tell(this AppDbContext db, People.Answerer who, string divisionCode, string title, string body,
        string? link, string sourceType, Guid? sourceId, bool sms)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (who.UserId is { } userId) db.Add(Notification.Create(userId, divisionCode, title, body, link, sourceType, sourceId, now));
        if (sms && !string.IsNullOrWhiteSpace(who.Phone))
            db.Add(SmsMessage.Create(who.Phone, SmsText(db, divisionCode, title, body), divisionCode, who.UserId, sourceType, sourceId, now));
    }

    /// <summary>An SMS to a phone that is not a user's (the e-fence warning to whoever entered a danger zone).</summary>
    public static void Phone(this AppDbContext db, string phone, string text, string divisionCode, string sourceType, Guid? sourceId) =>
        db.Add(SmsMessage.Create(phone, text, divisionCode, null, sourceType, sourceId, db.Clock.GetUtcNow().UtcDateTime));

    private static string SmsText(AppDbContext db, string divisionCode, string title, string body) => $"【{Signature(db, divisionCode)}】{title}：{body}";

    /// <summary>
    /// The SMS signature: <c>Sms:Signature</c> when set (the name registered with the SMS gateway, without 【】), else the
    /// office of the county (or city) the message concerns, e.g. 嵩县打非办.
    /// </summary>
    public static string Signature(AppDbContext db, string divisionCode)
    {
        var config = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<IConfiguration>();
        if (config?["Sms:Signature"] is { Length: > 0 } configured) return configured.Trim().Trim('【', '】');
        foreach (var code in new[] { divisionCode.Length >= 6 ? divisionCode[..6] : null, divisionCode.Length >= 4 ? divisionCode[..4] : null })
        {
            if (code is null) continue;
            if (OfficeNames.TryGetValue(code, out var known)) return known;
            var name = db.Divisions.Local.FirstOrDefault(d => d.Code == code)?.Name
                       ?? db.Divisions.AsNoTracking().Where(d => d.Code == code).Select(d => d.Name).FirstOrDefault();
            if (name is not null) return OfficeNames[code] = name + "打非办";
        }
        return "矿山打非办";
    }

    /// <summary>
    /// County and city offices by code, read once per process: the official names do not change, and an escalation round
    /// signs thousands of messages.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> OfficeNames = new(StringComparer.Ordinal);
}
