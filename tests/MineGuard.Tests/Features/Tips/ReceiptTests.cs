using System.Net;
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
        // The same work: one PBKDF2 derivation whether or not a tip has that locator (the time is the derivation's).
        Assert.Equal(1, d1);
        Assert.Equal(1, d2);

        var (s3, h3, d3) = await Try(a.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal(1, d3);
        Assert.Contains("已收到，正在分拣", h3, StringComparison.Ordinal);
        Assert.DoesNotContain("回执B", h3, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Guessing_is_throttled_per_source_and_per_locator(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var code = (await SubmitAsync(client, Fields(description: "限速 " + Guid.NewGuid().ToString("N")[..6]))).Code!;
        var guesser = NewSource();
        for (var i = 0; i < PublicGuard.GuessesPerHour; i++)
        {
            var (status, _) = await ReceiptAsync(client, ReceiptCodes.Format(ReceiptCodes.RandomLetters(6), ReceiptCodes.RandomLetters(17)), source: guesser);
            Assert.Equal(HttpStatusCode.NotFound, status);
        }
        var (blocked, html) = await ReceiptAsync(client, code, source: guesser);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked);
        Assert.Contains(MineGuard.Features.Tips.Pages.ReceiptModel.TooMany, html, StringComparison.Ordinal);

        // Spread over many sources, guesses at one locator still stop after the limit — for that locator only.
        var locator = code[..6];
        for (var i = 0; i < PublicGuard.GuessesPerHour; i++)
            await ReceiptAsync(client, ReceiptCodes.Format(locator, ReceiptCodes.RandomLetters(17)), source: NewSource());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ReceiptAsync(client, code, source: NewSource())).Status);
        // An unknown locator behaves the same way, so the lock-out says nothing about existence.
        var ghost = ReceiptCodes.RandomLetters(6);
        for (var i = 0; i < PublicGuard.GuessesPerHour; i++)
            await ReceiptAsync(client, ReceiptCodes.Format(ghost, ReceiptCodes.RandomLetters(17)), source: NewSource());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ReceiptAsync(client, ReceiptCodes.Format(ghost, ReceiptCodes.RandomLetters(17)), source: NewSource())).Status);
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
