using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>Two application nodes on one PostgreSQL database ingesting, routing and sending at the same time.</summary>
public sealed class MonitoringNodesTests
{
    [Theory, OnPostgres]
    public async Task Two_nodes_never_open_two_alerts_for_one_adit_route_or_escalate_one_twice_or_send_an_sms_twice(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var (aNode, bNode) = await TestApp.StartTwoNodesAsync(provider, cs);
            await using var a = aNode;
            await using var b = bNode;
            var office = await a.LoginAsync("sx-office");
            var (keyId, integrationA) = await IntegrationAsync(a);
            var plain = integrationA.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
            var integrationB = b.Anonymous();
            integrationB.DefaultRequestHeaders.Add("X-Api-Key", plain);
            var resp = await UserIdAsync(a, "sx-resp");
            var cameras = new List<(Guid Adit, string Code)>();
            for (var i = 0; i < 20; i++)
            {
                var adit = await AditAsync(a, resp, lon: 111.9 + i * 0.001);
                cameras.Add((adit.Id, (await DeviceAsync(office, "camera", keyId, adit.Id)).GetProperty("code").GetString()!));
            }

            // Six batches, each with a signal for every adit, posted alternately to the two nodes at once; the first
            // batch is resent to the other node at the same time.
            var batches = Enumerable.Range(0, 6).Select(k => cameras.Select(c => Event(EventTypes.Camera, c.Code, new { subject = "person" }, id: $"{k}-{c.Code}")).ToArray()).ToList();
            var posts = batches.Select((batch, k) => IngestAsync(k % 2 == 0 ? integrationA : integrationB, batch)).Append(IngestAsync(integrationB, batches[0]));
            var results = await Task.WhenAll(posts);
            Assert.Equal(6 * 20, results.Sum(r => r.GetProperty("acceptedCount").GetInt32()));
            Assert.Equal(20, results.Sum(r => r.GetProperty("duplicateCount").GetInt32()));

            // Both nodes route and send together, several rounds (their hosted loops run as well).
            for (var round = 0; round < 4; round++)
            {
                await Task.WhenAll(RunJobsAsync(a), RunJobsAsync(b));
                await Task.WhenAll(SendSmsAsync(a), SendSmsAsync(b), SendSmsAsync(a), SendSmsAsync(b));
            }
            var aditIds = cameras.Select(c => c.Adit).ToList();
            var alerts = await a.WithDbAsync(db => db.Alerts().AsNoTracking().Where(x => x.AditId != null && aditIds.Contains(x.AditId.Value)).ToListAsync());
            Assert.Equal(20, alerts.Count);
            Assert.All(alerts, x => Assert.Equal(6, x.SignalCount));
            var alertIds = alerts.Select(x => x.Id).ToList();
            var routed = await a.WithDbAsync(db => db.AlertEntries().Where(e => alertIds.Contains(e.AlertId) && e.Kind == "routed")
                .GroupBy(e => e.AlertId).Select(g => g.Count()).ToListAsync());
            Assert.Equal(20, routed.Count);
            Assert.All(routed, n => Assert.Equal(1, n));
            var notified = await a.WithDbAsync(db => db.Set<Notification>().IgnoreQueryFilters()
                .CountAsync(n => n.UserId == resp && n.SourceId != null && alertIds.Contains(n.SourceId.Value)));
            Assert.Equal(20, notified);

            // A hosted loop may still be sending the batch it claimed: wait for it (a claim lasts a minute at most).
            for (var wait = 0; wait < 100 && await a.WithDbAsync(db => db.Set<SmsMessage>()
                     .AnyAsync(s => s.SourceId != null && alertIds.Contains(s.SourceId.Value) && s.Status == SmsStatus.Pending)); wait++)
            {
                await Task.WhenAll(SendSmsAsync(a), SendSmsAsync(b), Task.Delay(200));
            }
            var sms = await a.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().Where(s => s.SourceId != null && alertIds.Contains(s.SourceId.Value)).ToListAsync());
            Assert.Equal(40, sms.Count); // the responsible person and the police, once per alert
            Assert.All(sms, s => Assert.Equal(SmsStatus.Sent, s.Status));
            Assert.All(sms, s => Assert.Equal(1, s.Attempts));
            var smsIds = sms.Select(s => s.Id).ToList();
            var attempts = await a.WithDbAsync(db => db.Set<SmsAttempt>().AsNoTracking().Where(x => smsIds.Contains(x.SmsMessageId)).ToListAsync());
            Assert.Equal(40, attempts.Count);
            Assert.All(attempts, x => Assert.Equal(SmsAttemptOutcome.Accepted, x.Outcome));
            Assert.Equal(40, attempts.Select(x => x.SmsMessageId).Distinct().Count());
            Assert.All(attempts, x => Assert.False(string.IsNullOrEmpty(x.Node)));

            // Nobody acknowledges: past the deadline both nodes escalate at once, and each alert goes up exactly one level.
            a.Clock.Advance(TimeSpan.FromMinutes(16));
            b.Clock.Advance(TimeSpan.FromMinutes(16));
            await Task.WhenAll(RunJobsAsync(a), RunJobsAsync(b), RunJobsAsync(a), RunJobsAsync(b));
            var escalated = await a.WithDbAsync(db => db.AlertEntries().Where(e => alertIds.Contains(e.AlertId) && e.Kind == "escalated")
                .GroupBy(e => e.AlertId).Select(g => g.Count()).ToListAsync());
            Assert.Equal(20, escalated.Count);
            Assert.All(escalated, n => Assert.Equal(1, n));
            Assert.All(await a.WithDbAsync(db => db.Alerts().AsNoTracking().Where(x => alertIds.Contains(x.Id)).Select(x => x.Level).ToListAsync()),
                level => Assert.Equal(EscalationLevel.County, level));
        }
        finally
        {
            await drop();
        }
    }
}
