using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Notifications;

/// <summary>The SMS outbox sender: claims, attempts, a node that died mid-send, the HTTP gateway adapter, the outbox API.</summary>
public sealed class SmsSenderTests
{
    private static async Task<Guid> PendingAsync(TestApp app, string phone, string division, Action<AppDbContextAccess>? arrange = null) =>
        await app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Phone(phone, "测试短信", division, "test", null);
            await db.SaveChangesAsync();
            var id = await db.Set<SmsMessage>().Where(s => s.Phone == phone).Select(s => s.Id).SingleAsync();
            arrange?.Invoke(new AppDbContextAccess(db, id));
            await tx.CommitAsync();
            return id;
        });

    public sealed record AppDbContextAccess(MineGuard.Data.AppDbContext Db, Guid Id);

    private static string Phone() => "139" + Random.Shared.Next(10_000_000, 99_999_999);

    [Theory, OnSqlite, OnPostgres]
    public async Task A_message_claimed_by_a_node_that_died_is_sent_once_its_claim_expires_and_the_lost_attempt_shows(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var sender = app.Services.GetRequiredService<SmsSender>();
        var phone = Phone();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var id = await PendingAsync(app, phone, "410325", a =>
        {
            // Another node claimed it for a minute, wrote its attempt, handed it to the gateway and died.
            a.Db.Set<SmsMessage>().Where(s => s.Id == a.Id).ExecuteUpdate(s => s.SetProperty(m => m.ClaimedBy, "dead-node/1")
                .SetProperty(m => m.ClaimedUntilUtc, now.AddSeconds(60)).SetProperty(m => m.Attempts, 1));
            a.Db.Add(SmsAttempt.Start(a.Id, "410325", 1, "dead-node", now));
            a.Db.SaveChanges();
        });
        await sender.RunOnceAsync(CancellationToken.None);
        var message = await app.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(SmsStatus.Pending, message.Status);
        Assert.Equal("dead-node/1", message.ClaimedBy);

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await sender.RunOnceAsync(CancellationToken.None);
        message = await app.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(SmsStatus.Sent, message.Status);
        Assert.Equal(2, message.Attempts);
        Assert.Equal($"outbox:{id:N}", message.GatewayMessageId);
        Assert.Null(message.ClaimedBy);
        var attempts = await app.WithDbAsync(db => db.Set<SmsAttempt>().AsNoTracking().Where(a => a.SmsMessageId == id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([SmsAttemptOutcome.Unknown, SmsAttemptOutcome.Accepted], attempts.Select(a => a.Outcome));
        Assert.Contains("结果未知", attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(message.GatewayMessageId, attempts[1].GatewayMessageId);

        // The office reads it in the outbox with both attempts; the patrol may not; another county sees nothing.
        var office = await app.LoginAsync("sx-office");
        var outbox = await office.GetFromJsonAsync<JsonElement>("/api/sms-outbox?status=sent");
        var row = outbox.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == id);
        Assert.Equal("已发送", row.GetProperty("status").GetString());
        Assert.Equal(["结果未知", "网关已接收"], row.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("outcome").GetString()));
        Assert.Contains(phone, await office.GetStringAsync("/sms-outbox"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).GetAsync("/api/sms-outbox")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/sms-outbox")).StatusCode);
        Assert.DoesNotContain(phone, await (await app.LoginAsync("hj-office")).GetStringAsync("/api/sms-outbox"), StringComparison.Ordinal);
        var bad = await office.GetAsync("/api/sms-outbox?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task The_http_gateway_retries_server_errors_refuses_bad_requests_and_keeps_the_gateway_message_id()
    {
        var calls = 0;
        var bodies = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var gateway = builder.Build();
        gateway.MapPost("/sms", async (HttpContext ctx) =>
        {
            bodies.Add(await new StreamReader(ctx.Request.Body).ReadToEndAsync());
            if (ctx.Request.Headers.Authorization != "Bearer k-1") return Results.StatusCode(401);
            return Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(503) : Results.Json(new { messageId = "gw-42" });
        });
        gateway.MapPost("/bad", () => Results.BadRequest("号码格式错误"));
        await gateway.StartAsync();
        var address = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var http = new HttpClient();
        var adapter = new HttpSmsGateway(http, new SmsOptions { Url = address + "/sms", Key = "k-1" });
        var id = Guid.NewGuid();
        var first = await adapter.SendAsync(id, "13912345678", "您已进入\"危险\"区域", CancellationToken.None);
        Assert.Equal(SmsAttemptOutcome.Retry, first.Outcome);
        Assert.Contains("503", first.Error, StringComparison.Ordinal);
        var second = await adapter.SendAsync(id, "13912345678", "您已进入\"危险\"区域", CancellationToken.None);
        Assert.Equal(SmsAttemptOutcome.Accepted, second.Outcome);
        Assert.Equal("gw-42", second.GatewayMessageId);
        var body = JsonDocument.Parse(bodies[1]).RootElement;
        Assert.Equal(id.ToString(), body.GetProperty("clientId").GetString());
        Assert.Equal("您已进入\"危险\"区域", body.GetProperty("content").GetString());

        var refused = await new HttpSmsGateway(http, new SmsOptions { Url = address + "/bad" }).SendAsync(id, "1", "x", CancellationToken.None);
        Assert.Equal(SmsAttemptOutcome.Refused, refused.Outcome);
        var down = await new HttpSmsGateway(http, new SmsOptions { Url = "http://127.0.0.1:9/sms" }).SendAsync(id, "1", "x", CancellationToken.None);
        Assert.Equal(SmsAttemptOutcome.Retry, down.Outcome);
        await gateway.StopAsync();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_failing_gateway_is_retried_with_doubling_back_off_until_it_accepts_and_a_refusal_fails_at_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        // This node's own loops stop, after routing the demo alerts and emptying the outbox into the outbox gateway;
        // then a sender with the HTTP gateway takes its place.
        var jobs = app.Services.GetRequiredService<MineGuard.Features.Monitoring.AlertJobs>();
        var own = app.Services.GetRequiredService<SmsSender>();
        await jobs.StopAsync(CancellationToken.None);
        await own.StopAsync(CancellationToken.None);
        await jobs.RunOnceAsync(CancellationToken.None);
        while (await own.RunOnceAsync(CancellationToken.None) > 0) { }
        var answers = new Queue<int>([503, 502, 200]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var gateway = builder.Build();
        gateway.MapPost("/sms", (HttpContext ctx) =>
        {
            if (ctx.Request.Headers["Idempotency-Key"].Count == 0) return Results.BadRequest("no key");
            var code = answers.Count > 0 ? answers.Dequeue() : 200;
            return code == 200 ? Results.Json(new { messageId = "gw-7" }) : Results.StatusCode(code);
        });
        gateway.MapPost("/refuse", () => Results.BadRequest("黑名单号码"));
        await gateway.StartAsync();
        var address = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();
        SmsSender HttpSender(string path)
        {
            var options = new SmsOptions { Gateway = "http", Url = address + path };
            return new SmsSender(app.Services.GetRequiredService<IServiceScopeFactory>(), new HttpSmsGateway(http, options),
                Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<SmsSender>.Instance);
        }
        var sender = HttpSender("/sms");

        var id = await PendingAsync(app, Phone(), "410325");
        Task<SmsMessage> Load() => app.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().SingleAsync(s => s.Id == id));
        var start = app.Clock.GetUtcNow().UtcDateTime;
        await sender.RunOnceAsync(CancellationToken.None);
        var message = await Load();
        Assert.Equal(SmsStatus.Pending, message.Status);
        Assert.Equal(start.AddSeconds(30), message.NextAttemptUtc);
        Assert.Contains("503", message.LastError, StringComparison.Ordinal);
        // Not due yet: nothing is sent.
        Assert.Equal(0, await sender.RunOnceAsync(CancellationToken.None));

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await sender.RunOnceAsync(CancellationToken.None);
        message = await Load();
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(60), message.NextAttemptUtc);
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await sender.RunOnceAsync(CancellationToken.None);
        message = await Load();
        Assert.Equal(SmsStatus.Sent, message.Status);
        Assert.Equal("gw-7", message.GatewayMessageId);
        Assert.Equal(3, message.Attempts);
        var outcomes = await app.WithDbAsync(db => db.Set<SmsAttempt>().Where(a => a.SmsMessageId == id).OrderBy(a => a.Number).Select(a => a.Outcome).ToListAsync());
        Assert.Equal([SmsAttemptOutcome.Retry, SmsAttemptOutcome.Retry, SmsAttemptOutcome.Accepted], outcomes);

        var refuser = HttpSender("/refuse");
        var refused = await PendingAsync(app, Phone(), "410325");
        await refuser.RunOnceAsync(CancellationToken.None);
        var failed = await app.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().SingleAsync(s => s.Id == refused));
        Assert.Equal(SmsStatus.Failed, failed.Status);
        Assert.Contains("黑名单号码", failed.LastError, StringComparison.Ordinal);
        await gateway.StopAsync();
    }
}
