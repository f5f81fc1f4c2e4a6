using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Cases;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;
using Npgsql;
using static MineGuard.Tests.Features.Cases.CaseFixtures;

namespace MineGuard.Tests.Platform.Deadlines;

/// <summary>
/// PostgreSQL: a request that closes a deadline while it changes the deadline's subject takes the deadline's row first,
/// in the deadline job's order (the job claims its deadlines, then writes their subjects). In the other order the two
/// deadlocked and the request answered 500 (seen in CI: a case's notice against the job escalating the case's stage).
/// </summary>
public sealed class DeadlineLockOrderTests
{
    [Theory, OnPostgres]
    public async Task A_request_closing_a_deadline_waits_for_the_job_holding_it_instead_of_deadlocking(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var officers = (await OfficersAsync(app, "public-security")).Select(o => o.Id).ToArray();
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));
        var filed = await OkAsync(office.PostAsJsonAsync("/api/cases", new
        {
            type = "unlicensed", title = $"锁顺序 {Guid.NewGuid():N}", divisionCode = "410325400", departmentCode = "public-security",
            officerIds = officers, sourceNote = "测试", filedOn = today.ToString("yyyy-MM-dd"), aditIds = Array.Empty<Guid>(),
        }));
        var caseId = filed.GetProperty("id").GetGuid();
        var stage = await app.WithDbAsync(db => db.Set<Case>().IgnoreQueryFilters().Where(c => c.Id == caseId).Select(c => c.StageAssignmentId).SingleAsync());
        Assert.NotNull(stage);

        // The job's side, by hand: its claim holds the stage's deadline row.
        await using var job = new NpgsqlConnection(app.ConnectionString);
        await job.OpenAsync();
        await using var claim = await job.BeginTransactionAsync();
        await using (var lockDeadline = new NpgsqlCommand("""UPDATE "Deadlines" SET "EscalateAtUtc" = "EscalateAtUtc" WHERE "SubjectId" = @id AND "ClosedUtc" IS NULL""", job, claim))
        {
            lockDeadline.Parameters.AddWithValue("id", stage.Value);
            Assert.Equal(1, await lockDeadline.ExecuteNonQueryAsync());
        }

        // The notice closes the stage's assignment and its deadline: it must now wait for the job.
        var notice = office.PostAsJsonAsync($"/api/cases/{caseId}/notice", new { noticeOn = today.ToString("yyyy-MM-dd"), text = "拟罚款 10000 元" });
        await WaitsAsync(app, job, notice, "%\"Deadlines\"%");

        // The job writes the subject and commits. In the old order the request held the assignment by now: deadlock.
        await using (var escalate = new NpgsqlCommand("""UPDATE "Assignments" SET "EscalationLevel" = "EscalationLevel" WHERE "Id" = @id""", job, claim))
        {
            escalate.Parameters.AddWithValue("id", stage.Value);
            escalate.CommandTimeout = 20;
            Assert.Equal(1, await escalate.ExecuteNonQueryAsync());
        }
        await claim.CommitAsync();
        await OkAsync(notice);
    }

    [Theory, OnPostgres]
    public async Task A_save_that_only_moves_a_deadline_locks_it_first_too(string provider)
    {
        // A save with nothing audited in it (the deadline is the clock's own record) takes the same order: its other rows
        // would otherwise be written before the deadline's.
        var app = await TestApp.Shared(provider);
        var subject = Guid.NewGuid();
        var due = app.Clock.GetUtcNow().UtcDateTime.AddDays(1);
        // A subject type no escalation handles: the running job never claims it.
        await app.WithDbAsync(db =>
        {
            db.Open("lock-order-test", subject, "410325", "emergency", due, AnswerLevel.Person);
            return db.SaveChangesAsync();
        });

        await using var job = new NpgsqlConnection(app.ConnectionString);
        await job.OpenAsync();
        await using var claim = await job.BeginTransactionAsync();
        await using (var lockDeadline = new NpgsqlCommand("""UPDATE "Deadlines" SET "EscalateAtUtc" = "EscalateAtUtc" WHERE "SubjectId" = @id""", job, claim))
        {
            lockDeadline.Parameters.AddWithValue("id", subject);
            Assert.Equal(1, await lockDeadline.ExecuteNonQueryAsync());
        }

        var move = app.WithDbAsync(async db =>
        {
            (await db.OpenDeadlineAsync("lock-order-test", subject, CancellationToken.None))!.Move(due.AddDays(1));
            return await db.SaveChangesAsync();
        });
        // It waits at the lock taken before anything is written, not at its UPDATE.
        await WaitsAsync(app, job, move, "%FOR UPDATE%");
        await claim.CommitAsync();
        Assert.Equal(1, await move);
        Assert.Equal(due.AddDays(1), await app.WithDbAsync(db => db.Deadlines().Where(d => d.SubjectId == subject).Select(d => d.DueUtc).SingleAsync()));
    }

    /// <summary>
    /// Waits until another connection than the job's waits for a lock in a statement like <paramref name="statement"/>;
    /// watched from a connection of its own: inside a transaction pg_stat_activity is a snapshot taken once.
    /// </summary>
    private static async Task WaitsAsync(TestApp app, NpgsqlConnection job, Task request, string statement)
    {
        await using var watch = new NpgsqlConnection(app.ConnectionString);
        await watch.OpenAsync();
        await using var waiting = new NpgsqlCommand("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE @statement AND pid <> @job
            """, watch);
        waiting.Parameters.AddWithValue("job", job.ProcessID);
        waiting.Parameters.AddWithValue("statement", statement);
        for (var i = 0; i < 200 && (long)(await waiting.ExecuteScalarAsync())! == 0 && !request.IsCompleted; i++) await Task.Delay(50);
        Assert.False(request.IsCompleted, "the request did not wait for the deadline's row held by the job");
        Assert.True((long)(await waiting.ExecuteScalarAsync())! > 0, $"the request never waited in a statement like {statement}");
    }
}
