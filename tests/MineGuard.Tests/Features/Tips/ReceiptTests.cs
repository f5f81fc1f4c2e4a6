using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>The receipt code opens its tip and nothing else, and a guesser learns nothing from a wrong one.</summary>
public sealed class ReceiptTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_wrong_code_and_a_right_locator_with_another_tips_secret_answer_identically_after_the_same_work(string provider)
    {
        // A private app: its receipt hasher counts only this test's derivations.
        await using var app = await TestApp.StartAsync(provider);
        var client = app.Anonymous();
        var a = (await SubmitAsync(client, Fields(description: "回执A " + Guid.NewGuid().ToString("N")[..6]))).Code!;
        var b = (await SubmitAsync(client, Fields(description: "回执B " + Guid.NewGuid().ToString("N")[..6]))).Code!;
        var secretB = b.Replace("-", "", StringComparison.Ordinal)[ReceiptCodes.LocatorLength..];
        var mixed = ReceiptCodes.Format(a[..ReceiptCodes.LocatorLength], secretB);
        var unknown = ReceiptCodes.Format(ReceiptCodes.RandomLetters(ReceiptCodes.LocatorLength), ReceiptCodes.RandomLetters(ReceiptCodes.SecretLength));
        var receipts = app.Services.GetRequiredService<ReceiptCodes>();

        async Task<(HttpStatusCode, string, long)> Try(string code)
        {
            var before = receipts.Derivations;
            var (status, html) = await ReceiptAsync(client, code);
            return (status, html, receipts.Derivations - before);
        }

        var (s1, h1, d1) = await Try(unknown);
        var (s2, h2, d2) = await Try(mixed);
        Assert.Equal(HttpStatusCode.NotFound, s1);
        Assert.Equal(s1, s2);
        Assert.Equal(h1, h2);
        Assert.Contains(MineGuard.Features.Tips.Pages.ReceiptModel.WrongCode, h1, StringComparison.Ordinal);
        // The same work: one hash whether or not a tip has that locator (the time is the hash's).
        Assert.Equal(1, d1);
        Assert.Equal(1, d2);

        var (s3, h3, d3) = await Try(a.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal(1, d3);
        Assert.Contains("已收到，正在分拣", h3, StringComparison.Ordinal);
        Assert.DoesNotContain("回执B", h3, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_guesser_is_throttled_with_growing_delays_and_the_real_tipster_still_gets_in(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var client = app.Anonymous();
        var code = (await SubmitAsync(client, Fields(description: "限速 " + Guid.NewGuid().ToString("N")[..6]))).Code!;
        var locator = code[..ReceiptCodes.LocatorLength];
        var guesser = NewSource();
        string Guess() => ReceiptCodes.Format(locator, ReceiptCodes.RandomLetters(ReceiptCodes.SecretLength));

        // The first few wrong codes are answered; then the guesser must wait, and hammering keeps it waiting.
        for (var i = 0; i < PublicGuard.GuessesFree; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await ReceiptAsync(client, Guess(), source: guesser)).Status);
        var (blocked, html) = await ReceiptAsync(client, Guess(), source: guesser);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked);
        Assert.Contains(MineGuard.Features.Tips.Pages.ReceiptModel.TooMany, html, StringComparison.Ordinal);
        for (var i = 0; i < 20; i++) await ReceiptAsync(client, Guess(), source: guesser);
        // Even the right code is not checked for the guesser while it waits.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ReceiptAsync(client, code, source: guesser)).Status);

        // The tipster, from another address, opens the tip at once: the tip is never locked.
        var (status, page) = await ReceiptAsync(client, code, source: NewSource());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("已收到，正在分拣", page, StringComparison.Ordinal);

        // The delay grows: 2 s after the first extra attempt, then doubling; after the hour's window it is over.
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ReceiptAsync(client, Guess(), source: guesser)).Status);
        app.Clock.Advance(TimeSpan.FromMinutes(63));
        Assert.Equal(HttpStatusCode.NotFound, (await ReceiptAsync(client, Guess(), source: guesser)).Status);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Guess_counts_are_kept_in_the_database_and_survive_a_restart(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var guesser = NewSource();
            await using (var first = await TestApp.StartOnAsync(provider, cs, demo: true))
            {
                var client = first.Anonymous();
                for (var i = 0; i <= PublicGuard.GuessesFree; i++)
                    await ReceiptAsync(client, ReceiptCodes.Format(ReceiptCodes.RandomLetters(6), ReceiptCodes.RandomLetters(17)), source: guesser);
                Assert.True(await first.WithDbAsync(db => db.Set<MineGuard.Platform.Web.RateCounter>().AnyAsync()));
            }
            // Another node (or the same one restarted) with the same source key sees the same counts.
            await using var second = await TestApp.StartOnAsync(provider, cs, demo: true);
            var (status, _) = await ReceiptAsync(second.Anonymous(), ReceiptCodes.Format(ReceiptCodes.RandomLetters(6), ReceiptCodes.RandomLetters(17)), source: guesser);
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_code_made_when_receipts_were_hashed_with_PBKDF2_still_opens_its_tip(string provider)
    {
        // Codes made before 3 Dec 2026 were stored as PBKDF2 with their iteration count; the row keeps it and verifies.
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var marker = "旧查询码 " + Guid.NewGuid().ToString("N")[..8];
        var code = (await SubmitAsync(client, Fields(description: marker))).Code!;
        var secret = code.Replace("-", "", StringComparison.Ordinal)[ReceiptCodes.LocatorLength..];
        var salt = RandomNumberGenerator.GetBytes(16);
        var old = Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(secret), salt, 1_000, HashAlgorithmName.SHA256, 32));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Tip>().Where(t => t.Description == marker).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.ReceiptHash, old).SetProperty(t => t.ReceiptSalt, Convert.ToBase64String(salt)).SetProperty(t => t.ReceiptIterations, 1_000))));

        var (status, html) = await ReceiptAsync(client, code);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("已收到，正在分拣", html, StringComparison.Ordinal);
        var wrong = ReceiptCodes.Format(code[..ReceiptCodes.LocatorLength], ReceiptCodes.RandomLetters(ReceiptCodes.SecretLength));
        Assert.Equal(HttpStatusCode.NotFound, (await ReceiptAsync(client, wrong)).Status);
    }

    [Fact]
    public void Codes_parse_loosely_and_carry_over_80_bits()
    {
        Assert.True(ReceiptCodes.SecretBits > 83);
        var code = ReceiptCodes.Format("ABC234", "DEFG5678HJKMNPQRS");
        Assert.Equal(("ABC234", "DEFG5678HJKMNPQRS"), ReceiptCodes.Parse(" abc234 defg-5678 hjkm-npqr-s "));
        Assert.Equal(("ABC234", "DEFG5678HJKMNPQRS"), ReceiptCodes.Parse(code));
        Assert.Null(ReceiptCodes.Parse("ABC234-DEFG"));
        Assert.Null(ReceiptCodes.Parse("ABC23O-DEFG-5678-HJKM-NPQR-S"));
    }
}
