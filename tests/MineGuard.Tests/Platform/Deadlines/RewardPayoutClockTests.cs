using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Platform.Deadlines;

/// <summary>A reward payout on the one clock: past the county's promise the office and leaders are told once; a refusal takes it off.</summary>
public sealed class RewardPayoutClockTests
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<Guid> VerifiedRewardAsync(TestApp app, HttpClient office)
    {
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: "奖励期限 " + Guid.NewGuid().ToString("N")[..6] + " 山后有人打洞", place: null), pow: true);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var id = await TipIdAsync(app, sent.Code!);
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/triage", new { note = "需核查" }));
        await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/assign", new { divisionCode = "431281101", departmentCode = "natural-resources" }));
        var verified = await OkAsync(await office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome = "属实", evidence = "现场发现新开硐口" }));
        return verified.GetProperty("rewards")[0].GetProperty("id").GetGuid();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_unpaid_reward_past_its_promise_tells_the_county_once_and_a_refused_one_never(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var job = app.Services.GetRequiredService<DeadlineJob>();
        await job.StopAsync(CancellationToken.None);
        var office = await app.LoginAsync("hj-office");
        var late = await VerifiedRewardAsync(app, office);
        var refused = await VerifiedRewardAsync(app, office);
        var deadline = await app.WithDbAsync(db => db.Deadlines().AsNoTracking().SingleAsync(d => d.SubjectId == late));
        Assert.Equal(RewardPayoutEscalationSubject, deadline.SubjectType);
        Assert.Null(deadline.ClosedUtc);

        var officer = await app.LoginAsync("hj-reward");
        await OkAsync(await officer.PostAsJsonAsync($"/api/tips/rewards/{refused}/refuse", new { reason = "举报人系涉案人员" }));
        Assert.NotNull((await app.WithDbAsync(db => db.Deadlines().AsNoTracking().SingleAsync(d => d.SubjectId == refused))).ClosedUtc);

        Task<int> Told(Guid reward) => app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.SourceId == reward && n.Title == "举报奖励逾期未兑现"));
        app.Clock.Advance(TimeSpan.FromDays(29));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, await Told(late));

        app.Clock.Advance(TimeSpan.FromDays(3));
        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);
        var leader = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "hj-leader").Select(u => u.Id).SingleAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.SourceId == late && n.UserId == leader && n.Title == "举报奖励逾期未兑现")));
        Assert.True(await app.WithDbAsync(db => db.Set<SmsMessage>().AnyAsync(s => s.SourceId == late && s.Text.Contains("逾期未兑现"))));
        Assert.Equal(0, await Told(refused));
        app.Clock.Advance(TimeSpan.FromDays(30));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(await Told(late), await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.SourceId == late && n.Title == "举报奖励逾期未兑现")
            .Select(n => n.UserId).Distinct().CountAsync()));
    }

    private const string RewardPayoutEscalationSubject = MineGuard.Features.Tips.RewardPayoutEscalation.Subject;
}
