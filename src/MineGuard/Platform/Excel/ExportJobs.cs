using System.Collections.Concurrent;
using System.Security.Claims;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Excel;

/// <summary>What the person who started an export sees of it (<c>GET /api/exports/{id}</c>).</summary>
/// <param name="State">waiting (queued behind other exports), running, done, failed or cancelled.</param>
/// <param name="DownloadUrl">Once done: where the file is sent, once.</param>
public sealed record ExportJobView(Guid Id, string Title, string Format, string State, string StateName, int Rows, int Total, string? DownloadUrl,
    string? Error);

/// <summary>A background export: its owner, progress and file.</summary>
public sealed class ExportJob(Guid id, Guid ownerId, string title, ExportFormat format, int total, string path, string downloadName)
{
    private readonly Lock gate = new();
    private int rows;

    public Guid Id => id;
    public Guid OwnerId => ownerId;
    public ExportFormat Format => format;
    public string Path => path;
    public string DownloadName => downloadName;
    public string State { get; private set; } = "waiting";
    public string? Error { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public int Rows => Volatile.Read(ref rows);

    /// <summary>Stops the job's writing when its owner cancels it.</summary>
    internal CancellationTokenSource Stop { get; } = new();

    internal void Progress(int written) => Volatile.Write(ref rows, written);

    internal void Running()
    {
        lock (gate) if (State == "waiting") State = "running";
    }

    /// <summary>Ends the job once: a job already finished (a cancelled one that stops writing later) stays as it was.</summary>
    internal bool Finish(string state, DateTimeOffset at, string? error = null)
    {
        lock (gate)
        {
            if (FinishedAt is not null) return false;
            (Error, FinishedAt) = (error, at);
            State = state;
            return true;
        }
    }

    /// <summary>Cancelled by its owner: finished at once (a done job too: its file is given up), its writing stopped.</summary>
    internal void Cancel(DateTimeOffset at)
    {
        lock (gate)
        {
            (Error, FinishedAt, State) = (null, at, "cancelled");
        }
        Stop.Cancel();
    }

    public ExportJobView View() => new(id, title, format.Name, State, State switch
    {
        "waiting" => "排队中",
        "running" => "导出中",
        "done" => "已完成",
        "cancelled" => "已取消",
        _ => "导出失败",
    }, Rows, total, State == "done" ? $"/api/exports/{id}/file" : null, Error);
}

/// <summary>
/// The exports running in the background on this node (a singleton): one job per large export, run in its own scope
/// as the user who started it, at most <c>Exports:Parallel</c> (default 2) at a time, written to a file under the
/// temporary directory (never beside the database). A finished file waits <c>Exports:KeepHours</c> (default 3) for its
/// owner and is deleted once sent. The registry is memory only: a restart loses the exports then running or waiting
/// (the person starts them again); it also means a node only knows its own jobs, so behind a load balancer the
/// progress requests must reach the node that took the POST (sticky sessions).
/// </summary>
public sealed class ExportJobs : IDisposable
{
    private readonly ConcurrentDictionary<Guid, ExportJob> jobs = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim slots;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly ILogger<ExportJobs> log;
    private readonly TimeSpan keep;

    public ExportJobs(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<ExportJobs> log)
    {
        (this.scopes, this.clock, this.log) = (scopes, clock, log);
        JobAboveRows = config.GetValue("Exports:JobAboveRows", 20_000);
        MaxRows = Math.Clamp(config.GetValue("Exports:MaxRows", ListPaging.ExportLimit), 1, ListPaging.ExportLimit);
        keep = TimeSpan.FromHours(config.GetValue("Exports:KeepHours", 3.0));
        slots = new SemaphoreSlim(Math.Max(1, config.GetValue("Exports:Parallel", 2)));
        lifetime.ApplicationStopping.Register(stopping.Cancel);
    }

    /// <summary>An export of more rows than this, asked for with a POST, runs as a job (<c>Exports:JobAboveRows</c>).</summary>
    public int JobAboveRows { get; }

    /// <summary>Rows one export may hold: <see cref="ListPaging.ExportLimit"/>, or fewer (<c>Exports:MaxRows</c>).</summary>
    public int MaxRows { get; }

    /// <summary>Starts the plan in the background as <paramref name="actor"/>; the job's id answers the POST.</summary>
    public ExportJob Start(CurrentUser.Actor actor, ExportPlan plan, ExportFormat format, int total)
    {
        Sweep();
        var owner = Guid.Parse(actor.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("an export job needs a signed-in user"));
        var id = Guid.NewGuid();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mineguard-export-{id:N}{format.Extension}");
        var job = new ExportJob(id, owner, plan.Title, format, total, path, plan.FileName(clock.GetUtcNow().UtcDateTime, format));
        jobs[id] = job;
        // Not in the request's execution context: the job outlives the request and must not see its HTTP context.
        using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => RunAsync(job, actor, plan));
        return job;
    }

    /// <summary>The job, to the user who started it only (anyone else is told it does not exist).</summary>
    public ExportJob? Find(Guid id, Guid? userId)
    {
        Sweep();
        return userId is { } user && jobs.TryGetValue(id, out var job) && job.OwnerId == user ? job : null;
    }

    /// <summary>
    /// Cancelled by its owner (<c>DELETE /api/exports/{id}</c>): a waiting job never starts, a running one stops at its
    /// next row, a finished file is deleted; the job then answers 已取消 until it is swept.
    /// </summary>
    public void Cancel(ExportJob job)
    {
        job.Cancel(clock.GetUtcNow());
        Delete(job.Path);
    }

    /// <summary>The finished file, opened to be sent once: it is deleted when the response closes it.</summary>
    public FileStream Take(ExportJob job)
    {
        jobs.TryRemove(job.Id, out _);
        return new FileStream(job.Path, FileMode.Open, FileAccess.Read, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    private async Task RunAsync(ExportJob job, CurrentUser.Actor actor, ExportPlan plan)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, job.Stop.Token);
        var ct = linked.Token;
        try
        {
            await slots.WaitAsync(ct);
            try
            {
                job.Running();
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAs(actor);
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                int count;
                await using (var file = new FileStream(job.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    count = await Export.WriteAsync(scope.ServiceProvider, plan, job.Format, file, job.Progress, MaxRows, ct);
                }
                ct.ThrowIfCancellationRequested();
                await Export.AuditAsync(db, plan, count, ct);
                // Cancelled between the last row and here: the file is given up.
                if (!job.Finish("done", clock.GetUtcNow())) Delete(job.Path);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (Exception e)
        {
            // A job its owner cancelled is finished already: Finish changes nothing then.
            if (e is not OperationCanceledException) log.LogError(e, "Export {Id} ({Title}) failed", job.Id, plan.Title);
            job.Finish("failed", clock.GetUtcNow(), e is OperationCanceledException ? "服务正在停止，导出已取消，请稍后重新导出" : "导出失败，请稍后重试");
            Delete(job.Path);
        }
    }

    /// <summary>Forgets finished jobs older than the keeping time, with their files.</summary>
    private void Sweep()
    {
        var before = clock.GetUtcNow() - keep;
        foreach (var job in jobs.Values)
        {
            if (job.FinishedAt is not { } at || at > before || !jobs.TryRemove(job.Id, out _)) continue;
            Delete(job.Path);
        }
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open (being sent): DeleteOnClose removes it.
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var job in jobs.Values.Where(j => j.FinishedAt is not null)) Delete(job.Path);
        stopping.Dispose();
    }
}
