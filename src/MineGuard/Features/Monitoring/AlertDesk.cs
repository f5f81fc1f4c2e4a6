using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;

namespace MineGuard.Features.Monitoring;

/// <summary>A signal that matched a rule, ready to become (or join) an alert. <paramref name="Key"/>: a finding of another
/// feature's check (<see cref="FindingAlerts"/>) is its own matter, correlated by its own key.</summary>
public sealed record Raised(
    Signal Signal, RuleCheck Rule, string CountyCode, string Title, double? Lon, double? Lat, Guid? EventId, string Detail, string? Key = null)
{
    /// <summary>Signals about one adit group together; an offline device is its own matter until it is back.</summary>
    public string CorrelationKey => Key ?? (Signal.Type == EventTypes.Offline ? $"offline:{Signal.DeviceId}"
        : Signal.AditId is { } a ? $"adit:{a}" : Signal.DeviceId is { } d ? $"device:{d}" : $"place:{Signal.DivisionCode}:{Signal.Type}");
}

/// <summary>
/// Turns matched signals into alerts: rules first (<see cref="Match"/>), then correlation (<see cref="RaiseAsync"/>):
/// a signal joins the open alert with its key inside the window, otherwise opens a new one. Runs inside the caller's
/// transaction; on PostgreSQL it takes an advisory lock per correlation key (sorted, so two nodes never deadlock), on
/// SQLite the transaction itself holds the one write lock, so two batches never open two alerts for one adit.
/// </summary>
public sealed class AlertDesk(AppDbContext db, IOptions<MonitoringOptions> options)
{
    public MonitoringOptions Options => options.Value;

    /// <summary>The rules that apply under a division: the defaults (unless switched off there) and the stored ones.</summary>
    public async Task<List<RuleCheck>> RulesAsync(CancellationToken ct)
    {
        var stored = await db.AlertRules().Beyond(ScopeExit.InheritedSettings).AsNoTracking().ToListAsync(ct);
        return [.. DefaultRules.All, .. stored.Where(r => r.Enabled && r.DefaultKey is null).Select(r => r.Check),
            .. stored.Where(r => !r.Enabled && r.DefaultKey is not null).Select(r => r.Check with { Key = "off:" + r.DefaultKey })];
    }

    /// <summary>The strongest rule a signal matches, or null (a default switched off under its division does not count).</summary>
    public static RuleCheck? Match(Signal s, IReadOnlyList<RuleCheck> rules)
    {
        var off = rules.Where(r => r.Key.StartsWith("off:", StringComparison.Ordinal) && s.DivisionCode.StartsWith(r.DivisionCode, StringComparison.Ordinal))
            .Select(r => r.Key[4..]).ToHashSet();
        return rules.Where(r => !r.Key.StartsWith("off:", StringComparison.Ordinal) && !off.Contains(r.Key) && r.Matches(s))
            .OrderByDescending(r => r.Severity).ThenByDescending(r => r.NotifyDepartment is not null).FirstOrDefault();
    }

    /// <summary>Takes the transaction-scoped locks for these keys (PostgreSQL), in one global order (SQLite: the transaction is the lock).</summary>
    public async Task LockAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        await db.LockAllAsync(LockKey.AlertCorrelation, keys, ct);
    }

    /// <summary>
    /// Opens or extends alerts for the signals (caller's transaction, keys already locked) and returns each signal's
    /// alert id plus the timeline lines to insert. New alerts are added to the context, unrouted: the router tells people.
    /// Alerts that were open before and that signals joined are not tracked: they come back in
    /// <see cref="RaisedAlerts.Joined"/>, which the caller writes with <see cref="WriteJoinedAsync"/> (or
    /// <see cref="WriteRaisedAsync"/>). The open alerts are read as five columns, not whole (materialising 250 alerts
    /// whole, their times and ids parsed from text on SQLite, was most of a joining batch's read). The open alerts with
    /// the keys <paramref name="alsoOpen"/> come back too (<see cref="RaisedAlerts.AlsoOpen"/>) from the same read: ingestion
    /// asks for its devices' "offline" alerts, to say they are back, without a second query.
    /// </summary>
    public async Task<RaisedAlerts> RaiseAsync(IReadOnlyList<Raised> raised, DateTime nowUtc, bool isDemo, CancellationToken ct,
        IReadOnlyCollection<string>? alsoOpen = null)
    {
        var result = new Dictionary<Raised, Guid>();
        var entries = new List<AlertEntry>();
        if (raised.Count == 0 && alsoOpen is not { Count: > 0 }) return new RaisedAlerts(result, entries, 0, [], []);
        var keys = raised.Select(r => r.CorrelationKey).Concat(alsoOpen ?? []).Distinct().ToList();
        var since = nowUtc - TimeSpan.FromMinutes(Options.CorrelationMinutes);
        var open = await db.Alerts().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(a => keys.Contains(a.CorrelationKey) && a.Status != AlertStatus.Closed)
            .Select(a => new JoinedAlert(a.Id, a.DivisionCode, a.CorrelationKey, a.Severity, a.LastSignalUtc))
            .ToListAsync(ct);
        var joinable = open.Where(a => a.LastSignalUtc >= since || a.CorrelationKey.StartsWith("offline:"))
            .GroupBy(a => a.CorrelationKey).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.LastSignalUtc).First());
        var opened = new Dictionary<string, Alert>();
        // Adding hundreds of alerts: the deadline clock's look-up in the tracked deadlines must not detect changes over
        // the whole context once per alert (quadratic); the caller's save (or WriteRaisedAsync) detects them once.
        using (PauseDetection())
        {
            foreach (var r in raised)
            {
                if (joinable.TryGetValue(r.CorrelationKey, out var before))
                {
                    before.AddSignal(r.Rule.Severity, nowUtc);
                    entries.Add(AlertEntry.Create(before.Id, before.DivisionCode, "signal", $"又收到信号：{r.Detail}", nowUtc, eventId: r.EventId));
                    result[r] = before.Id;
                }
                else if (opened.TryGetValue(r.CorrelationKey, out var alert))
                {
                    alert.AddSignal(r.Rule.Severity, nowUtc);
                    entries.Add(AlertEntry.Create(alert, "signal", $"又收到信号：{r.Detail}", nowUtc, eventId: r.EventId));
                    result[r] = alert.Id;
                }
                else
                {
                    alert = Alert.Open(new Alert.Opening(r.Signal.DivisionCode, r.CountyCode, r.CorrelationKey, r.Signal.AditId, r.Signal.DeviceId,
                        r.Rule.Key, r.Signal.Type, r.Title, r.Rule.Severity, r.Rule.NotifyDepartment, r.Lon, r.Lat), nowUtc, Options.Deadlines, isDemo);
                    db.Alerts().Add(alert);
                    AlertEscalation.Open(db, alert);
                    opened[r.CorrelationKey] = alert;
                    entries.Add(AlertEntry.Create(alert, "received", $"收到信号（规则：{r.Rule.Name}）：{r.Detail}", nowUtc, eventId: r.EventId));
                    result[r] = alert.Id;
                }
            }
        }
        var also = alsoOpen?.ToHashSet(StringComparer.Ordinal) ?? [];
        return new RaisedAlerts(result, entries, opened.Count, [.. joinable.Values.Where(a => a.Added > 0)],
            [.. open.Where(a => also.Contains(a.CorrelationKey))]);
    }

    /// <summary>
    /// Writes what <see cref="RaiseAsync"/> (and routing in place) left in the context, set-based, inside the caller's
    /// transaction and audit batch: the new alerts, their deadlines, notifications and SMS rows in one bulk insert together
    /// with <paramref name="rows"/> (the batch's events and timeline lines), and the alerts that new signals
    /// <paramref name="joined"/> (<see cref="RaisedAlerts.Joined"/>) in one UPDATE per (signals added, severity) group
    /// instead of one per alert. The written entities leave the change tracker.
    /// </summary>
    public async Task WriteRaisedAsync(List<object> rows, IReadOnlyCollection<JoinedAlert> joined, CancellationToken ct)
    {
        // No change detection here: the rows written are Added (known without detecting). Detection (Entries()) scanned
        // every tracked entity, a quarter of this method.
        using (PauseDetection())
        {
            var added = db.ChangeTracker.Entries()
                .Where(e => e.State == EntityState.Added && e.Entity is Alert or Platform.Deadlines.Deadline or Platform.Notifications.Notification
                    or Platform.Notifications.SmsMessage)
                .ToList();
            var all = new List<object>(added.Count + rows.Count);
            all.AddRange(added.Select(e => e.Entity));
            all.AddRange(rows);
            if (all.Count > 0) await db.InsertAsync(all, ct);
            foreach (var entry in added) entry.State = EntityState.Detached;
        }
        await WriteJoinedAsync(joined, ct);
    }

    /// <summary>
    /// The alerts open before that new signals joined (<see cref="RaisedAlerts.Joined"/>): one UPDATE per (signals added,
    /// severity, time) group instead of one per alert, inside the caller's transaction, under the correlation-key locks
    /// (nobody else adds signals to these alerts meanwhile).
    /// </summary>
    public async Task WriteJoinedAsync(IReadOnlyCollection<JoinedAlert> joined, CancellationToken ct)
    {
        foreach (var group in joined.GroupBy(a => (a.Added, a.Severity, a.LastSignalUtc)))
        {
            var ids = group.Select(a => a.Id).ToList();
            var (count, severity, last) = group.Key;
            await db.Alerts().Beyond(ScopeExit.SystemJudgement).Where(a => ids.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.SignalCount, a => a.SignalCount + count)
                    .SetProperty(a => a.LastSignalUtc, last).SetProperty(a => a.Severity, severity), ct);
        }
    }

    /// <summary>Automatic change detection off until disposed, then as it was (the caller's save detects once).</summary>
    private DetectionPause PauseDetection() => new(db.ChangeTracker);

    private sealed class DetectionPause : IDisposable
    {
        private readonly Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker;
        private readonly bool was;

        public DetectionPause(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker)
        {
            (this.tracker, was) = (tracker, tracker.AutoDetectChangesEnabled);
            tracker.AutoDetectChangesEnabled = false;
        }

        public void Dispose() => tracker.AutoDetectChangesEnabled = was;
    }
}

/// <summary>
/// What <see cref="AlertDesk.RaiseAsync"/> did: each signal's alert, the timeline lines to insert, how many alerts it
/// opened, the alerts open before that signals joined (the caller writes them: <see cref="AlertDesk.WriteJoinedAsync"/>),
/// and the open alerts with the other keys the caller asked about.
/// </summary>
public sealed record RaisedAlerts(Dictionary<Raised, Guid> AlertOf, List<AlertEntry> Entries, int Opened, IReadOnlyCollection<JoinedAlert> Joined,
    IReadOnlyList<JoinedAlert> AlsoOpen);

/// <summary>An alert open before a batch, as read for correlation (not tracked), with the signals the batch added to it.</summary>
public sealed class JoinedAlert(Guid id, string divisionCode, string correlationKey, AlertSeverity severity, DateTime lastSignalUtc)
{
    public Guid Id { get; } = id;
    public string DivisionCode { get; } = divisionCode;
    public string CorrelationKey { get; } = correlationKey;
    public AlertSeverity Severity { get; private set; } = severity;
    public DateTime LastSignalUtc { get; private set; } = lastSignalUtc;

    /// <summary>Signals added by this batch (the UPDATE adds them to the stored count).</summary>
    public int Added { get; private set; }

    /// <summary>As <see cref="Alert.AddSignal"/> does to a whole alert.</summary>
    public void AddSignal(AlertSeverity severity, DateTime nowUtc)
    {
        Added++;
        LastSignalUtc = nowUtc;
        if (severity > Severity) Severity = severity;
    }
}
