using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MineGuard.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The photo rules of issue 15 through the field API: a re-encoded copy of an earlier check-in's photo is the same
/// picture; a photo without a position of its own counts only when the app's camera took it (signed with the patrol's key).
/// </summary>
public sealed class PhotoRuleTests
{
    private const string SamePicture = "同一画面";
    private const string Unsigned = "照片没有位置信息，且不是巡查 App 现场拍摄";

    private enum Mark
    {
        None,
        Signed,
        BadSignature,
    }

    private sealed record Sent(Guid PatrolId, Guid CheckInId, Guid PhotoId, string? Key, List<string> Reasons, List<string> Flags)
    {
        public bool Fired(string text) => Reasons.Concat(Flags).Any(r => r.Contains(text, StringComparison.Ordinal));

        public override string ToString() => string.Join("；", Reasons.Concat(Flags.Select(f => "[标记]" + f)));
    }

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static long Ms(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeMilliseconds();

    /// <summary>A genuine patrol to the adit (walk, check-in, one photo) as the app sends it, with or without a key and a signature.</summary>
    private static async Task<Sent> PatrolAsync(FieldKit kit, (Guid Id, string Number, double Lat, double Lon) adit, DateTime begin, byte[] photo,
        bool withKey, Mark mark, int seed)
    {
        var requests = kit.GenuinePatrol(adit, out var patrolId, out var checkInId, seed: seed, start: begin, photo: photo);
        var key = withKey ? NewKey() : null;
        var photoId = Guid.NewGuid();
        var at = begin.AddMinutes(30).AddSeconds(20);
        var taken = at.AddSeconds(15);
        var teamId = kit.TeamId;
        // The genuine patrol's own start and photo, replaced by the app's: the start carries the key, the photo its mark.
        requests[0] = () => kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin, captureKey = key });
        requests[4] = () => Photo(kit, photoId, checkInId, taken, photo, mark, key);
        requests[5] = () => kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin, endedAt = begin.AddMinutes(35), captureKey = key });
        var state = await kit.RunAsync(requests, checkInId);
        return new Sent(patrolId, checkInId, photoId, key, [.. state.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)],
            [.. state.GetProperty("flags").EnumerateArray().Select(r => r.GetString()!)]);
    }

    private static HttpRequestMessage Photo(FieldKit kit, Guid photoId, Guid checkInId, DateTime taken, byte[] photo, Mark mark, string? key)
    {
        var request = kit.PutPhoto(photoId, checkInId, taken, photo);
        var sha = Convert.ToHexStringLower(SHA256.HashData(photo));
        if (mark == Mark.Signed) request.Headers.Add(CaptureSignature.Header, CaptureSignature.Of(key!, photoId, sha, Ms(taken)));
        if (mark == Mark.BadSignature) request.Headers.Add(CaptureSignature.Header, CaptureSignature.Of(NewKey(), photoId, sha, Ms(taken)));
        return request;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_reencoded_copy_of_an_earlier_photo_at_the_adit_is_flagged_another_picture_is_not(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (kit, other) = (await FieldKit.StartAsync(app), await FieldKit.StartAsync(app));
        var adit = await kit.AditAsync();
        var seed = Random.Shared.Next();
        var original = TestPictures.Scene(seed);
        var first = await PatrolAsync(kit, adit, kit.Now.AddHours(-6), original, true, Mark.Signed, 3);
        Assert.True(first.Reasons.Count == 0 && first.Flags.Count == 0, first.ToString());

        // Another member, later, at the same adit: the same picture at half the size and quality 60 (other bytes).
        var copy = await PatrolAsync(other, adit, kit.Now.AddHours(-4), TestPictures.Reencode(original, 0.5, 60), true, Mark.Signed, 5);
        Assert.True(copy.Fired(SamePicture), copy.ToString());
        Assert.Contains(copy.Flags, f => f.Contains(adit.Number, StringComparison.Ordinal) && f.Contains("巡查员", StringComparison.Ordinal));
        // The original is not held against its member.
        var again = await kit.CheckInStateAsync(first.CheckInId);
        Assert.Empty(again.GetProperty("flags").EnumerateArray());

        // The same member's own photo of last month, re-encoded, at another adit.
        var elsewhere = await kit.AditAsync();
        var reused = await PatrolAsync(kit, elsewhere, kit.Now.AddHours(-2), TestPictures.Reencode(original, 1.3, 90), true, Mark.Signed, 7);
        Assert.True(reused.Fired(SamePicture) && reused.Fired("本人"), reused.ToString());

        // Near miss: another picture at the same adit.
        var fresh = await PatrolAsync(other, adit, kit.Now.AddMinutes(-50), TestPictures.Scene(seed + 1), true, Mark.Signed, 9);
        Assert.False(fresh.Fired(SamePicture), fresh.ToString());
        Assert.True(fresh.Reasons.Count == 0 && fresh.Flags.Count == 0, fresh.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_photo_without_a_position_counts_only_when_the_app_signed_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var seed = Random.Shared.Next();

        var unsigned = await PatrolAsync(kit, adit, kit.Now.AddHours(-8), TestPictures.Scene(seed), true, Mark.None, 3);
        Assert.True(unsigned.Fired(Unsigned), unsigned.ToString());
        var bad = await PatrolAsync(kit, await kit.AditAsync(), kit.Now.AddHours(-6), TestPictures.Scene(seed + 1), true, Mark.BadSignature, 5);
        Assert.True(bad.Fired(Unsigned), bad.ToString());
        var signed = await PatrolAsync(kit, await kit.AditAsync(), kit.Now.AddHours(-4), TestPictures.Scene(seed + 2), true, Mark.Signed, 7);
        Assert.True(signed.Reasons.Count == 0 && signed.Flags.Count == 0, signed.ToString());
        // A patrol of an app from before the change (no key), begun before the member's app first signed, arriving late
        // from its queue: its unsigned photo is judged as before.
        var older = await PatrolAsync(kit, await kit.AditAsync(), kit.Now.AddHours(-10), TestPictures.Scene(seed + 3), false, Mark.None, 9);
        Assert.False(older.Fired(Unsigned), older.ToString());
        // A keyless patrol begun after the member's app signed its first (an updated app never drops its key): judged.
        var stripped = await PatrolAsync(kit, await kit.AditAsync(), kit.Now.AddHours(-3), TestPictures.Scene(seed + 4), false, Mark.None, 13);
        Assert.True(stripped.Fired(Unsigned), stripped.ToString());
        // A photo with its own position (a camera file from a phone with location on) needs no signature.
        var located = ExifJpeg.Create(MineGuard.Platform.Time.ChinaTime.ToLocal(kit.Now.AddMinutes(-29)), adit.Lon + 0.00002, adit.Lat - 0.00002, seed);
        var withExif = await PatrolAsync(kit, await kit.AditAsync(), kit.Now.AddMinutes(-60), located, true, Mark.None, 11);
        Assert.False(withExif.Fired(Unsigned), withExif.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Resending_a_signed_photo_and_the_patrol_with_or_without_its_key_are_duplicates(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var begin = kit.Now.AddHours(-3);
        var photo = TestPictures.Scene(Random.Shared.Next());
        var sent = await PatrolAsync(kit, adit, begin, photo, true, Mark.Signed, 3);
        Assert.True(sent.Flags.Count == 0, sent.ToString());
        var taken = begin.AddMinutes(30).AddSeconds(35);
        var resend = await kit.Member.SendAsync(Photo(kit, sent.PhotoId, sent.CheckInId, taken, photo, Mark.Signed, sent.Key));
        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.Equal("duplicate", (await resend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        // The same photo id with the bytes of a re-encoded copy is a conflict, as before.
        var changed = await kit.Member.SendAsync(Photo(kit, sent.PhotoId, sent.CheckInId, taken, TestPictures.Reencode(photo, 1, 70), Mark.Signed, sent.Key));
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        // The patrol resent by an older app (no key) and by this one: duplicates, the key not part of the payload's hash.
        foreach (var key in new[] { null, sent.Key, NewKey() })
        {
            var again = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{sent.PatrolId}", new { teamId = kit.TeamId, startedAt = begin, captureKey = key }));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        // The key kept is the first: the signed photo still counts.
        var state = await kit.CheckInStateAsync(sent.CheckInId);
        Assert.Empty(state.GetProperty("flags").EnumerateArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_malformed_key_or_signature_is_refused_naming_the_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var response = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{Guid.NewGuid()}", new { teamId = kit.TeamId, startedAt = kit.Now, captureKey = "not-hex" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("照片签名密钥", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var photo = kit.PutPhoto(Guid.NewGuid(), Guid.NewGuid(), kit.Now, TestPictures.Scene(1));
        photo.Headers.Add(CaptureSignature.Header, "xyz");
        var refused = await kit.Member.SendAsync(photo);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(CaptureSignature.Header, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
