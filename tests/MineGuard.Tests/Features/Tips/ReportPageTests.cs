using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>The public /report page: light, cookie-free, working without JavaScript, and hard to flood.</summary>
public sealed class ReportPageTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Report_page_is_public_light_and_sets_no_cookie(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var response = await client.GetAsync("/report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"), "the public page must not set a cookie");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("洪江市", html, StringComparison.Ordinal);
        Assert.Contains("黔城镇", html, StringComparison.Ordinal);
        Assert.Contains("20000 元", html, StringComparison.Ordinal);
        Assert.DoesNotContain("bootstrap", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("__RequestVerificationToken", html, StringComparison.Ordinal);
        // Everything the page loads before photos: the HTML and its one script (styles are inline, no images).
        var assets = Regex.Matches(html, "(?:src|href)=\"(/[^\"]+\\.(?:js|css))\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/js/report.js"], assets);
        long total = System.Text.Encoding.UTF8.GetByteCount(html);
        foreach (var asset in assets) total += (await client.GetByteArrayAsync(asset)).Length;
        Assert.True(total < 100 * 1024, $"page weight {total} bytes");
        var receipt = await client.GetAsync("/report/receipt");
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.False(receipt.Headers.Contains("Set-Cookie"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_without_javascript_is_accepted_and_gets_a_receipt_code_stored_only_as_a_slow_hash(string provider)
    {
        var app = await TestApp.Shared(provider);
        var marker = "无脚本举报 " + Guid.NewGuid().ToString("N")[..8];
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: marker, kinds: "digging,power"));
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.NotNull(sent.Code);
        Assert.Matches("^[2-9A-HJKMNP-TV-Z]{6}(-[2-9A-HJKMNP-TV-Z]{1,4}){5}$", sent.Code);
        Assert.True(ReceiptCodes.SecretBits >= 80);
        var tip = await app.WithDbAsync(db => db.Set<Tip>().SingleAsync(t => t.Description == marker));
        Assert.Equal(TipChannel.WebNoScript, tip.Channel);
        Assert.Equal("431281101", tip.DivisionCode);
        Assert.Equal("431281", tip.CountyCode);
        Assert.Equal(["digging", "power"], tip.KindList);
        Assert.Equal(sent.Code![..6], tip.ReceiptLocator);
        var secret = sent.Code.Replace("-", "", StringComparison.Ordinal)[6..];
        Assert.DoesNotContain(secret, tip.ReceiptHash, StringComparison.Ordinal);
        // Salted SHA-256 (scheme 0): 83 random bits need no slow hash (ReceiptCodes' remarks).
        Assert.Equal(0, tip.ReceiptIterations);
        Assert.Equal(32, Convert.FromBase64String(tip.ReceiptHash).Length);
        Assert.Equal(16, Convert.FromBase64String(tip.ReceiptSalt).Length);
        Assert.False(tip.IsNamed);
        Assert.Null(tip.TipsterProtected);
        // The receipt hash never reaches the audit trail.
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == tip.Id.ToString()).Select(a => a.Changes).ToListAsync());
        Assert.NotEmpty(audit);
        Assert.All(audit, c => Assert.DoesNotContain(tip.ReceiptHash, c ?? "", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tip_with_a_solved_proof_of_work_is_recorded_as_from_the_scripted_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var marker = "脚本举报 " + Guid.NewGuid().ToString("N")[..8];
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: marker, lon: "110.123456", lat: "27.123456"), pow: true);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var tip = await app.WithDbAsync(db => db.Set<Tip>().SingleAsync(t => t.Description == marker));
        Assert.Equal(TipChannel.Web, tip.Channel);
        Assert.Equal(110.123456, tip.Lon!.Value, 1e-6);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_challenge_sent_again_through_the_form_counts_as_not_solved(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var source = NewSource();
        var marker = "重放 " + Guid.NewGuid().ToString("N")[..8];
        var solved = await SolvedChallengeAsync(client, source);
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(client, Fields(description: marker + " 1"), source: source, solved: solved)).Status);
        // The same solved challenge on another tip (another source, as a script replaying it from elsewhere would).
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(client, Fields(description: marker + " 2"), solved: solved)).Status);
        var channels = await app.WithDbAsync(db => db.Set<Tip>().Where(t => t.Description.StartsWith(marker))
            .OrderBy(t => t.Description).Select(t => t.Channel).ToListAsync());
        Assert.Equal([TipChannel.Web, TipChannel.WebNoScript], channels);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_empty_form_is_refused_naming_the_field_and_nothing_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        // A marker of this test's own, since other tests add tips meanwhile: nothing carrying it may be stored.
        var marker = "拒收" + Guid.NewGuid().ToString("N")[..8];
        var sent = await SubmitAsync(app.Anonymous(), new Dictionary<string, string> { ["Input.DivisionCode"] = "431281" });
        Assert.Equal(HttpStatusCode.BadRequest, sent.Status);
        Assert.Contains("data-for=\"Description\"", sent.Html, StringComparison.Ordinal);
        Assert.Contains("请至少勾选看到的情况", sent.Html, StringComparison.Ordinal);
        var noPlace = await SubmitAsync(app.Anonymous(), new Dictionary<string, string> { ["Input.Description"] = "有人挖矿 " + marker });
        Assert.Equal(HttpStatusCode.BadRequest, noPlace.Status);
        Assert.Contains("data-for=\"DivisionCode\"", noPlace.Html, StringComparison.Ordinal);
        var elsewhere = await SubmitAsync(app.Anonymous(), Fields(division: "110101", description: "北京 " + marker));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.Status);
        Assert.Contains("不在本平台受理范围内", elsewhere.Html, StringComparison.Ordinal);
        var badKind = await SubmitAsync(app.Anonymous(), Fields(kinds: "drugs", description: "x " + marker));
        Assert.Equal(HttpStatusCode.BadRequest, badKind.Status);
        Assert.Contains("data-for=\"Kinds\"", badKind.Html, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Set<Tip>().AnyAsync(t => t.Description.Contains(marker))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Oversized_and_non_image_files_are_refused_with_a_message_and_the_rest_of_the_tip_is_kept(string provider)
    {
        var app = await TestApp.Shared(provider);
        var marker = "附件举报 " + Guid.NewGuid().ToString("N")[..8];
        var photo = IdentifyingJpeg.Create(new DateTime(2026, 10, 30, 21, 15, 0), 110.5, 27.2, seed: Random.Shared.Next());
        var big = new byte[11 * 1024 * 1024];
        photo.CopyTo(big, 0);
        // A photo cut off on a weak signal keeps its header and is kept (what decodes of it is evidence).
        var cut = photo[..(photo.Length - 300)];
        var fields = Fields(description: marker);
        fields["Input.SharePhotoPlace"] = "true";
        var sent = await SubmitAsync(app.Anonymous(), fields,
            files: [("现场.jpg", photo), ("大照片.jpg", big), ("说明.txt", "hello"u8.ToArray()), ("断了.jpg", cut)]);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.NotNull(sent.Code);
        Assert.Contains("“大照片.jpg”", sent.Html, StringComparison.Ordinal);
        Assert.Contains("超过 10 MB", sent.Html, StringComparison.Ordinal);
        Assert.Contains("“说明.txt”不是照片或视频", sent.Html, StringComparison.Ordinal);
        var tipId = await TipIdAsync(app, sent.Code!);
        var attachments = await app.WithDbAsync(db => db.Set<TipAttachment>().Where(a => a.TipId == tipId).ToListAsync());
        Assert.Equal(2, attachments.Count);
        Assert.All(attachments, a => Assert.Equal("image/jpeg", a.ContentType));
        // Each is a re-encoded copy, not the bytes that were sent (see TipPhotoTests).
        Assert.DoesNotContain(attachments, a => a.Length == photo.Length);
        var kept = attachments.First(a => a.Lon is not null);
        Assert.Equal(110.5, kept.Lon!.Value, 1e-4);
        Assert.NotNull(kept.TakenUtc);
        // The photo's metadata is for the office only: the receipt page says nothing of it.
        var (_, html) = await ReceiptAsync(app.Anonymous(), sent.Code!);
        Assert.DoesNotContain("110.5", html, StringComparison.Ordinal);
        var office = await app.LoginAsync("hj-office");
        var detail = await office.GetStringAsync($"/api/tips/{tipId}");
        Assert.Contains("110.500000", detail, StringComparison.Ordinal);
        var image = await office.GetAsync($"/api/tips/{tipId}/attachments/{kept.Id}");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/tips/{tipId}/attachments/{kept.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-office")).GetAsync($"/api/tips/{tipId}/attachments/{kept.Id}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_flood_from_one_source_is_slowed_and_not_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var source = NewSource();
        var marker = "洪水 " + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < PublicGuard.PlainPerHour; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(client, Fields(description: $"{marker} {i}"), source: source)).Status);
        }
        var refused = await SubmitAsync(client, Fields(description: $"{marker} over"), source: source);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("提交过于频繁", refused.Html, StringComparison.Ordinal);
        Assert.Null(refused.Code);
        // With the proof-of-work solved the same source still gets through (the stricter limit is for posts without it).
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(client, Fields(description: $"{marker} pow"), pow: true, source: source)).Status);
        var stored = await app.WithDbAsync(db => db.Set<Tip>().CountAsync(t => t.Description.StartsWith(marker)));
        Assert.Equal(PublicGuard.PlainPerHour + 1, stored);
        // A replayed challenge does not count as solved.
        var guard = app.Services.GetRequiredService<PublicGuard>();
        var challenge = guard.NewChallenge();
        var nonce = PublicGuard.Solve(challenge, guard.PowBits);
        Assert.True(await guard.CheckProofOfWorkAsync(challenge, nonce));
        Assert.False(await guard.CheckProofOfWorkAsync(challenge, nonce));
        Assert.False(await guard.CheckProofOfWorkAsync(challenge.Replace("v1.", "v1.1", StringComparison.Ordinal), nonce));
    }
}
