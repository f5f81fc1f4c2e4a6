namespace MineGuard.Features.Analysis;

/// <summary>The kinds of meter finding (stable codes; the API and clues carry the code, people see the Chinese name).</summary>
public static class MeterFindingKinds
{
    /// <summary>Use at a meter that should show none or only its stated base load (sealed adit, stopped mine).</summary>
    public const string UseWhereNone = "use-where-none";
    /// <summary>Night use (22:00–06:00 China time) at a mine that is stopped, suspended, expired or closing (明停暗开).</summary>
    public const string NightUse = "night-use";
    /// <summary>A producing mine's use above its own weekly × hourly baseline, not explained by a declared load.</summary>
    public const string Rise = "rise";
    /// <summary>A producing mine's share of load moving into the night.</summary>
    public const string NightShare = "night-share";
    /// <summary>A new periodic, hoist-like on/off load at a producing mine.</summary>
    public const string Periodic = "periodic";
    /// <summary>No readings for a stretch: reported as a gap, never as zero use.</summary>
    public const string Gap = "gap";

    public static readonly string[] All = [UseWhereNone, NightUse, Rise, NightShare, Periodic, Gap];

    public static string Name(string kind) => kind switch
    {
        UseWhereNone => "不应用电",
        NightUse => "明停暗开",
        Rise => "用电异常增长",
        NightShare => "夜间占比上升",
        Periodic => "周期性负载",
        Gap => "数据中断",
        _ => kind,
    };
}

/// <summary>What a meter is attached to, from a moment on (UTC).</summary>
public enum MeterState
{
    /// <summary>A producing mine: the meter learns its own weekly × hourly profile.</summary>
    Producing,
    /// <summary>A sealed adit (封闭): no use, or only the stated base load.</summary>
    Sealed,
    /// <summary>A mine stopped (停产).</summary>
    Stopped,
    /// <summary>A mine whose licence is suspended (暂扣/责令停产整顿).</summary>
    Suspended,
    /// <summary>A mine whose licence has expired.</summary>
    Expired,
    /// <summary>A mine being closed (关闭).</summary>
    Closing,
}

/// <summary>One entry of a meter's state timeline: from <see cref="FromUtc"/> on, the meter is attached to something in
/// <see cref="State"/>; <see cref="BaseKw"/> is the load that is allowed while not producing (a stated base load, kW).</summary>
public readonly record struct MeterStatePeriod(DateTime FromUtc, MeterState State, double BaseKw = 0);

/// <summary>
/// A declared explanation (e.g. 许可的排水泵): within [FromUtc, ToUtc) the meter may draw <see cref="ExtraKw"/> more than
/// its expectation, or anything at all when <see cref="ExtraKw"/> is null ("any"). A declared load is part of the
/// baseline from then on: the detector learns the residual (reading minus declared load) and expects residual + load.
/// </summary>
public readonly record struct MeterExplanation(DateTime FromUtc, DateTime? ToUtc, double? ExtraKw, string Cause);

/// <summary>What is expected of one meter: its state timeline (ordered by time) and its declared explanations.</summary>
public sealed class MeterContext
{
    public MeterContext(IReadOnlyList<MeterStatePeriod> states, IReadOnlyList<MeterExplanation>? explanations = null)
    {
        States = states.OrderBy(s => s.FromUtc).ToArray();
        Explanations = explanations?.ToArray() ?? [];
    }

    public static MeterContext Always(MeterState state, double baseKw = 0) => new([new(DateTime.MinValue, state, baseKw)]);

    public MeterStatePeriod[] States { get; }
    public MeterExplanation[] Explanations { get; }

    /// <summary>The state at a moment (the first period's state before the timeline starts).</summary>
    public MeterStatePeriod StateAt(DateTime utc)
    {
        var s = States.Length > 0 ? States[0] : new MeterStatePeriod(DateTime.MinValue, MeterState.Producing);
        foreach (var p in States)
        {
            if (p.FromUtc > utc) break;
            s = p;
        }
        return s;
    }

    /// <summary>Declared extra kW at a moment, or null when an "any" explanation covers it.</summary>
    public double? ExtraKwAt(DateTime utc, out string? cause)
    {
        double extra = 0;
        cause = null;
        foreach (var e in Explanations)
        {
            if (utc < e.FromUtc || (e.ToUtc is { } to && utc >= to)) continue;
            cause = e.Cause;
            if (e.ExtraKw is not { } kw) return null;
            extra += kw;
        }
        return extra;
    }
}

/// <summary>A finding on one meter: a window [Start, End) in UTC, its kind, a score 0–1 and a Chinese explanation with the numbers.</summary>
public sealed record MeterFinding(DateTime Start, DateTime End, string Kind, double Score, string Explanation)
{
    public string KindName => MeterFindingKinds.Name(Kind);
}
