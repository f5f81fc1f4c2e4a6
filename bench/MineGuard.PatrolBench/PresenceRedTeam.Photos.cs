using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MineGuard.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.PatrolBench;

/// <summary>
/// The photo classes of the red team (issue 15): the app's patrols carry a capture key and sign the photos the app
/// took; real JPEGs (SkiaSharp scenes, no EXIF, as the app's canvas capture makes them).
///   h-app-photo-no-exif  an honest patrol whose photo is the app's own capture: signed, no EXIF position.
///   f-reencoded-photo    the photo of an earlier genuine check-in at that adit (an h-app-photo-no-exif day), re-encoded
///                        at another quality and size (other bytes), sent through the app's capture-file path (which
///                        lets a phone pick from the gallery), so it is signed: only the picture itself gives it away.
///   f-gallery-no-exif    a genuine walk, but the photo is a picture without EXIF position put into the upload past the
///                        app's camera: unsigned.
/// </summary>
public sealed partial class PresenceRedTeam
{
    /// <summary>The capture key of each app-recorded photo day and whether its photo is signed.</summary>
    private readonly Dictionary<Day, (string Key, bool Signed)> marks = [];

    private string NewKey()
    {
        var key = new byte[32];
        random.NextBytes(key);
        return Convert.ToHexStringLower(key);
    }

    /// <summary>An honest day of the photo class gets the app's own capture: a real picture, no EXIF, signed.</summary>
    private void AppPhoto(Day day)
    {
        if (day.Class != "h-app-photo-no-exif") return;
        day.Photo = TestPictures.Scene(random.Next(), 640, 480, random.Next(70, 92));
        marks[day] = (NewKey(), true);
    }

    private Day? PhotoFake(string cls)
    {
        if (cls is not ("f-reencoded-photo" or "f-gallery-no-exif")) return null;
        var offset = (long)(walks.U(-3, 3) * 1000);
        if (cls == "f-reencoded-photo")
        {
            var original = days.Where(d => d.Class == "h-app-photo-no-exif").ToList() is { Count: > 0 } photos
                ? photos[random.Next(photos.Count)] : throw new InvalidOperationException("no app photo to copy");
            var from = DayOf(original) + 1;
            var member = AnyMember();
            var index = FreeDay(member, Math.Min(from, WindowDays - 1), WindowDays);
            var copy = new Day { Class = cls, Member = member, Adit = original.Adit, Send = random.NextDouble() < 0.5 ? Send.Online : Send.Offline };
            copy.HeaderOffsetMs = offset;
            Walk(copy, LocalDayStart(index).AddHours(walks.U(8, 14.5)), Polar(walks.U(700, 2000)), offset, false, false, false);
            copy.Photo = TestPictures.Reencode(original.Photo, walks.U(0.4, 1.6), random.Next(40, 96));
            copy.SendUtc = FromMs(copy.EndMs - offset).AddHours(walks.U(0.3, 6));
            marks[copy] = (NewKey(), true);
            return copy;
        }

        var m = AnyMember();
        var day = new Day { Class = cls, Member = m, Adit = NewAdit(), Send = random.NextDouble() < 0.5 ? Send.Online : Send.Offline };
        day.HeaderOffsetMs = offset;
        Walk(day, LocalDayStart(FreeDay(m, 0, WindowDays)).AddHours(walks.U(8, 14.5)), Polar(walks.U(700, 2000)), offset, false, false, false);
        day.Photo = TestPictures.Scene(random.Next(), 800, 600, random.Next(70, 92));
        day.SendUtc = FromMs(day.EndMs - offset).AddHours(walks.U(0.3, 6));
        marks[day] = (NewKey(), false);
        return day;
    }

    /// <summary>
    /// A member whose app signs (their first day with a key) has the updated app from then on: every later day of theirs
    /// is sent with a key and its photo signed, as the app does. (Without this the generator sent an honest member's later
    /// patrols keyless, as no phone does once updated, and the rule for a key left out flagged them.) Keys come from the
    /// patrol's id, so the seeded sequence of the days is unchanged.
    /// </summary>
    private void UpdatedApps()
    {
        var since = marks.Keys.GroupBy(d => d.Member).ToDictionary(g => g.Key, g => g.Min(d => d.StartMs));
        foreach (var day in days.Where(d => !marks.ContainsKey(d) && since.TryGetValue(d.Member, out var first) && d.StartMs > first).ToList())
            marks[day] = (Convert.ToHexStringLower(SHA256.HashData(day.PatrolId.ToByteArray())), true);
    }

    /// <summary>As the new app sends: the key with the patrol, the signature with each photo it captured.</summary>
    private HttpRequestMessage Mark(Day day, HttpRequestMessage message)
    {
        if (!marks.TryGetValue(day, out var mark)) return message;
        var path = message.RequestUri!.OriginalString;
        if (message.Content is JsonContent { Value: { } value } && path == $"/api/field/patrols/{day.PatrolId}")
        {
            var body = JsonSerializer.SerializeToNode(value, value.GetType())!.AsObject();
            body["captureKey"] = mark.Key;
            message.Content = JsonContent.Create(body);
        }
        else if (mark.Signed && path.StartsWith("/api/field/photos/", StringComparison.Ordinal))
        {
            var photoId = Guid.Parse(path["/api/field/photos/".Length..path.IndexOf('?', StringComparison.Ordinal)]);
            var takenAt = long.Parse(path[(path.IndexOf("takenAt=", StringComparison.Ordinal) + 8)..], System.Globalization.CultureInfo.InvariantCulture);
            var sha = Convert.ToHexStringLower(SHA256.HashData(day.Photo));
            message.Headers.Add(CaptureSignature.Header, CaptureSignature.Of(mark.Key, photoId, sha, takenAt));
        }

        return message;
    }
}
