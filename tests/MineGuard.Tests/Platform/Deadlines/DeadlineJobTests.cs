using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Deadlines;

/// <summary>The one clock: claimed once with several nodes, one level per due time up to the top, closed work left alone.</summary>
public sealed class DeadlineJobTests
{
    /// <summary>A ladder for the tests: each escalation tells the county office and goes one level up, an hour later again, until the city.</summary>
    private sealed class LadderEscalation(AppDbContext db) : IEscalation
    {
        public const string Subject = "test-ladder";

        /// <summary>Subjects whose escalation throws (a bad item in a batch).</summary>
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> Poisoned = new();

        public string SubjectType => Subject;

        public async Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
        {
            if (deadlines.FirstOrDefault(d => Poisoned.ContainsKey(d.SubjectId)) is { } bad) throw new InvalidOperationException($"poisoned {bad.SubjectId}");
            var office = await db.Users.SingleAsync(u => u.UserName == "sx-office", ct);
            return deadlines.Select(deadline =>
            {
                var to = deadline.Level + 1;
                db.Tell(new Answerer(null, office.Id, office.DisplayName, office.PhoneNumber, office.DivisionCode, to), deadline.DivisionCode,
                    $"测试升级至{to}", "测试", null, Subject, deadline.SubjectId, sms: true);
                return (Escalation?)new Escalation(to, to >= AnswerLevel.City ? null : db.Clock.GetUtcNow().UtcDateTime.AddHours(1));
            }).ToList();
        }
    }

    private static readonly Dictionary<string, string?> SmallBatches = new()
    {
        ["Deadlines:BatchSize"] = "25", ["Deadlines:RetryMinutes"] = "10", ["Deadlines:Workers"] = "3",
    };

    private static Task<TestApp> StartAsync(string provider) =>
        TestApp.StartAsync(provider, services: s => s.AddScoped<IEscalation, LadderEscalation>(), settings: SmallBatches);

    private static async Task<DeadlineJob> StoppedClockAsync(TestApp app)
    {
        var job = app.Services.GetRequiredService<DeadlineJob>();
        await job.StopAsync(CancellationToken.None);
        return job;
    }

    private static Task<Guid> OpenAsync(TestApp app, string subjectType, TimeSpan dueIn, AnswerLevel level) =>
        app.WithDbAsync(async db =>
        {
            var subject = Guid.NewGuid();
            db.Open(subjectType, subject, "410325400", null, db.Clock.GetUtcNow().UtcDateTime + dueIn, level);
            await db.SaveChangesAsync();
            return subject;
        });

    private static Task<Deadline> DeadlineOfAsync(TestApp app, Guid subject) =>
        app.WithDbAsync(db => db.Deadlines().AsNoTracking().SingleAsync(d => d.SubjectId == subject));

    private static Task<int> NotificationsAsync(TestApp app, Guid subject) =>
        app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.SourceId == subject));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_deadline_goes_up_one_level_per_due_time_and_stops_at_the_top(string provider)
    {
        await using var app = await StartAsync(provider);
        var job = await StoppedClockAsync(app);
        var subject = await OpenAsync(app, LadderEscalation.Subject, TimeSpan.FromHours(1), AnswerLevel.Township);

        // Before it is due nothing happens.
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, (await DeadlineOfAsync(app, subject)).Escalations);

        // Past due: one level up; running again at the same moment does nothing more.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);
        var d = await DeadlineOfAsync(app, subject);
        Assert.Equal((AnswerLevel.County, 1), (d.Level, d.Escalations));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(1), d.DueUtc);
        Assert.Equal(1, await NotificationsAsync(app, subject));

        // Each due time one more level, up to the city; then nobody above is left and it is never looked at again.
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await job.RunOnceAsync(CancellationToken.None);
        d = await DeadlineOfAsync(app, subject);
        Assert.Equal((AnswerLevel.City, 2), (d.Level, d.Escalations));
        Assert.Null(d.EscalateAtUtc);
        Assert.Null(d.ClosedUtc);
        app.Clock.Advance(TimeSpan.FromDays(3));
        await job.RunOnceAsync(CancellationToken.None);
        d = await DeadlineOfAsync(app, subject);
        Assert.Equal((AnswerLevel.City, 2), (d.Level, d.Escalations));
        Assert.Equal(2, await NotificationsAsync(app, subject));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<SmsMessage>().CountAsync(s => s.SourceId == subject)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_closed_deadline_never_escalates_and_work_nobody_handles_is_skipped_without_spinning(string provider)
    {
        await using var app = await StartAsync(provider);
        var job = await StoppedClockAsync(app);
        var closed = await OpenAsync(app, LadderEscalation.Subject, TimeSpan.FromHours(1), AnswerLevel.Township);
        var orphan = await OpenAsync(app, "no-such-kind", TimeSpan.FromHours(1), AnswerLevel.Township);
        await app.WithDbAsync(async db =>
        {
            await db.CloseAsync(LadderEscalation.Subject, closed, CancellationToken.None);
            return await db.SaveChangesAsync();
        });

        app.Clock.Advance(TimeSpan.FromDays(2));
        var round = await job.RunOnceAsync(CancellationToken.None);
        Assert.False(round.More);
        var d = await DeadlineOfAsync(app, closed);
        Assert.NotNull(d.ClosedUtc);
        Assert.Equal(0, d.Escalations);
        Assert.Equal(0, await NotificationsAsync(app, closed));
        var o = await DeadlineOfAsync(app, orphan);
        Assert.Equal((0, AnswerLevel.Township), (o.Escalations, o.Level));
        Assert.NotNull(o.EscalateAtUtc);
    }

    [Theory, OnPostgres]
    public async Task Two_nodes_escalate_an_overdue_petition_exactly_once(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var (aNode, bNode) = await TestApp.StartTwoNodesAsync(provider, cs);
            await using var a = aNode;
            await using var b = bNode;
            var office = await a.LoginAsync("hj-office");
            var response = await office.PostAsJsonAsync("/api/petitions", new
            {
                divisionCode = "431281101", nature = "违规供电", content = "反映有人私拉电线供非法采矿 " + Guid.NewGuid().ToString("N")[..6], petitioner = "群众",
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var deadline = await DeadlineOfAsync(a, id);
            Assert.Equal("petition", deadline.SubjectType);
            Assert.NotNull(deadline.DepartmentCode);

            a.Clock.Advance(TimeSpan.FromDays(61));
            b.Clock.Advance(TimeSpan.FromDays(61));
            var jobA = a.Services.GetRequiredService<DeadlineJob>();
            var jobB = b.Services.GetRequiredService<DeadlineJob>();
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? jobA : jobB).RunOnceAsync(CancellationToken.None))));

            Assert.Equal(1, (await DeadlineOfAsync(a, id)).Escalations);
            var leader = await a.WithDbAsync(db => db.Users.Where(u => u.UserName == "hj-leader").Select(u => u.Id).SingleAsync());
            Assert.Equal(1, await a.WithDbAsync(db => db.Set<Notification>()
                .CountAsync(n => n.SourceId == id && n.UserId == leader && n.Title == "信访事项逾期未答复")));
            var sms = await a.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().Where(s => s.SourceId == id).Select(s => s.Phone).ToListAsync());
            Assert.NotEmpty(sms);
            Assert.Equal(sms.Count, sms.Distinct().Count());
            var told = await a.WithDbAsync(db => db.Set<Notification>()
                .Where(n => n.SourceId == id && n.Title == "信访事项逾期未答复").Select(n => n.UserId).ToListAsync());
            Assert.Equal(told.Count, told.Distinct().Count());
        }
        finally
        {
            await drop();
        }
    }

    private static Task<List<Guid>> OpenManyAsync(TestApp app, int count, TimeSpan dueIn) =>
        app.WithDbAsync(async db =>
        {
            var subjects = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
            foreach (var subject in subjects)
                db.Open(LadderEscalation.Subject, subject, "410325400", null, db.Clock.GetUtcNow().UtcDateTime + dueIn, AnswerLevel.Township);
            await db.SaveChangesAsync();
            return subjects;
        });

    private static Task<Dictionary<Guid, (int Escalations, int Told)>> LadderStateAsync(TestApp app, IReadOnlyCollection<Guid> subjects) =>
        app.WithDbAsync(async db =>
        {
            var ids = subjects.ToList();
            var escalations = await db.Deadlines().AsNoTracking().Where(d => ids.Contains(d.SubjectId)).ToDictionaryAsync(d => d.SubjectId, d => d.Escalations);
            var told = (await db.Set<Notification>().AsNoTracking().Where(n => n.SourceId != null && ids.Contains(n.SourceId.Value))
                .Select(n => n.SourceId!.Value).ToListAsync()).CountBy(x => x).ToDictionary(x => x.Key, x => x.Value);
            return ids.ToDictionary(id => id, id => (escalations.GetValueOrDefault(id), told.GetValueOrDefault(id)));
        });

    [Theory, OnSqlite, OnPostgres]
    public async Task A_round_takes_what_is_due_in_batches_and_a_bad_item_holds_up_nobody_else(string provider)
    {
        await using var app = await StartAsync(provider);
        var job = await StoppedClockAsync(app);
        var subjects = await OpenManyAsync(app, 60, TimeSpan.FromHours(1));
        var poisoned = subjects[17];
        LadderEscalation.Poisoned[poisoned] = true;
        try
        {
            app.Clock.Advance(TimeSpan.FromHours(2));
            // Batches of 25 (the demo data's own due work rides along): a full batch says more is waiting; the batch with
            // the bad item is tried one by one.
            var rounds = new List<DeadlineJob.Round>();
            do rounds.Add(await job.RunOnceAsync(CancellationToken.None));
            while (rounds[^1].More && rounds.Count < 10);
            Assert.True(rounds[0].More);
            Assert.False(rounds[^1].More);
            Assert.InRange(rounds.Sum(r => r.Escalated), 59, 59 + 25);
            Assert.Equal(1, rounds.Sum(r => r.Failed));

            var state = await LadderStateAsync(app, subjects);
            Assert.All(subjects.Where(s => s != poisoned), s => Assert.Equal((1, 1), state[s]));
            Assert.Equal((0, 0), state[poisoned]);
            // The bad item is looked at again after the retry time, not in a spin.
            var bad = await DeadlineOfAsync(app, poisoned);
            Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMinutes(10), bad.EscalateAtUtc);
            Assert.False((await job.RunOnceAsync(CancellationToken.None)).More);
            Assert.Equal((0, 0), (await LadderStateAsync(app, [poisoned]))[poisoned]);

            // Mended, it goes up at its next look (demo work that came due in those minutes rides along).
            LadderEscalation.Poisoned.TryRemove(poisoned, out _);
            app.Clock.Advance(TimeSpan.FromMinutes(11));
            var mended = await job.RunOnceAsync(CancellationToken.None);
            Assert.Equal(0, mended.Failed);
            Assert.True(mended.Escalated >= 1);
            Assert.Equal((1, 1), (await LadderStateAsync(app, [poisoned]))[poisoned]);
        }
        finally
        {
            LadderEscalation.Poisoned.TryRemove(poisoned, out _);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_whole_round_drains_every_due_batch_and_the_next_round_finds_nothing(string provider)
    {
        await using var app = await StartAsync(provider);
        var job = await StoppedClockAsync(app);
        var subjects = await OpenManyAsync(app, 80, TimeSpan.FromHours(1));
        var later = await OpenManyAsync(app, 5, TimeSpan.FromHours(5));
        app.Clock.Advance(TimeSpan.FromHours(2));

        var round = await job.RunRoundAsync(CancellationToken.None);
        Assert.True(round.Escalated >= 80, $"{round.Escalated} escalated"); // and the demo data's own due work
        Assert.Equal(0, round.Failed);
        var state = await LadderStateAsync(app, subjects);
        Assert.All(subjects, s => Assert.Equal((1, 1), state[s]));
        // Not yet due: untouched.
        Assert.All((await LadderStateAsync(app, later)).Values, v => Assert.Equal((0, 0), v));
        // Everything due was handled: the next round at the same instant finds nothing (no spin on work due "now").
        Assert.Equal(new DeadlineJob.Round(0, 0, 0), await job.RunRoundAsync(CancellationToken.None));
    }

    [Theory, OnPostgres]
    public async Task Two_nodes_racing_over_many_batches_escalate_each_deadline_exactly_once(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var (aNode, bNode) = await TestApp.StartTwoNodesAsync(provider, cs, s => s.AddScoped<IEscalation, LadderEscalation>(), SmallBatches);
            await using var a = aNode;
            await using var b = bNode;
            var jobA = await StoppedClockAsync(a);
            var jobB = await StoppedClockAsync(b);
            var subjects = await OpenManyAsync(a, 300, TimeSpan.FromHours(1));
            a.Clock.Advance(TimeSpan.FromHours(2));
            b.Clock.Advance(TimeSpan.FromHours(2));

            // Each node runs whole rounds (three batches at a time on PostgreSQL), both at once.
            var rounds = await Task.WhenAll(Task.Run(() => jobA.RunRoundAsync(CancellationToken.None)), Task.Run(() => jobB.RunRoundAsync(CancellationToken.None)));
            var counts = rounds.Select(r => r.Escalated).ToList();
            Assert.All(rounds, r => Assert.Equal(0, r.Failed));
            Assert.True(counts.Sum() >= 300, $"{counts.Sum()} escalated"); // and the demo data's own due work
            var state = await LadderStateAsync(a, subjects);
            Assert.All(subjects, s => Assert.Equal((1, 1), state[s]));
        }
        finally
        {
            await drop();
        }
    }
}
