using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Time;

namespace MineGuard.Platform.Deadlines;

/// <summary>
/// A day that differs from the usual week (法定节假日 or 调休上班), kept by an administrator: a public holiday that falls
/// on a weekday (IsWorkday false) or a weekend day worked instead (IsWorkday true). National, not per jurisdiction.
/// </summary>
public sealed class Holiday
{
    private Holiday() { }

    public DateOnly Date { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>True for a make-up working day (调休上班) on a Saturday or Sunday.</summary>
    public bool IsWorkday { get; private set; }

    public DateTime UpdatedUtc { get; private set; }

    public static Holiday Create(DateOnly date, string name, bool isWorkday, DateTime nowUtc) =>
        new() { Date = date, Name = name, IsWorkday = isWorkday, UpdatedUtc = nowUtc };

    public void Change(string name, bool isWorkday, DateTime nowUtc)
    {
        Name = name;
        IsWorkday = isWorkday;
        UpdatedUtc = nowUtc;
    }
}

public enum DurationUnit
{
    Minutes,
    Hours,
    Days,

    /// <summary>工作日: Monday–Friday without public holidays, plus make-up working days.</summary>
    WorkingDays,
}

/// <summary>
/// How long a rule gives: "7d" (calendar days), "24h", "90m", "5wd" (工作日, working days). Deadlines count calendar
/// days unless a rule says working days.
/// </summary>
public readonly partial record struct Duration(int Amount, DurationUnit Unit)
{
    public static Duration Days(int n) => new(n, DurationUnit.Days);

    public static Duration WorkingDays(int n) => new(n, DurationUnit.WorkingDays);

    public static Duration Hours(int n) => new(n, DurationUnit.Hours);

    public static Duration Minutes(int n) => new(n, DurationUnit.Minutes);

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        var m = Pattern().Match(text?.Trim() ?? "");
        if (!m.Success || !int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000) return false;
        var unit = m.Groups["u"].Value.ToLowerInvariant() switch
        {
            "m" => DurationUnit.Minutes,
            "h" => DurationUnit.Hours,
            "d" => DurationUnit.Days,
            _ => DurationUnit.WorkingDays,
        };
        duration = new Duration(n, unit);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> (for configuration and code constants).</summary>
    public static Duration Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"Not a duration: \"{text}\" (expected e.g. 7d, 24h, 90m, 5wd).");

    public override string ToString() => Unit switch
    {
        DurationUnit.Minutes => $"{Amount}m",
        DurationUnit.Hours => $"{Amount}h",
        DurationUnit.Days => $"{Amount}d",
        _ => $"{Amount}wd",
    };

    /// <summary>In Chinese, for messages: "7 天", "5 个工作日".</summary>
    public string Chinese => Unit switch
    {
        DurationUnit.Minutes => $"{Amount} 分钟",
        DurationUnit.Hours => $"{Amount} 小时",
        DurationUnit.Days => $"{Amount} 天",
        _ => $"{Amount} 个工作日",
    };

    [GeneratedRegex(@"^(?<n>\d{1,6})\s*(?<u>wd|工作日|m|h|d)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>
/// Adds a <see cref="Duration"/> to a time, in China time. Minutes, hours and calendar days are plain arithmetic; working
/// days step over Saturdays, Sundays and public holidays and count make-up working days (调休上班) from the
/// <see cref="Holiday"/> table. N working days from a moment end at the same time of day on the Nth working day after
/// its day (a Friday-afternoon start plus one working day is Monday afternoon); from a day off they end at the end of the
/// Nth working day (a Saturday start plus one working day is the end of Monday).
/// </summary>
public sealed class WorkingCalendar(AppDbContext db)
{
    /// <summary>The usual week: Monday to Friday are working days.</summary>
    public static bool UsualWorkday(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public async Task<DateTime> AddAsync(DateTime startUtc, Duration d, CancellationToken ct)
    {
        switch (d.Unit)
        {
            case DurationUnit.Minutes: return startUtc.AddMinutes(d.Amount);
            case DurationUnit.Hours: return startUtc.AddHours(d.Amount);
            case DurationUnit.Days: return startUtc.AddDays(d.Amount);
        }
        var local = ChinaTime.ToLocal(startUtc);
        var day = DateOnly.FromDateTime(local);
        var time = local.TimeOfDay;
        // Enough of the table to cover the span: at most a few long holidays per year, so twice the days plus a month.
        var until = day.AddDays(d.Amount * 2 + 31);
        var special = await db.Set<Holiday>().AsNoTracking().Where(h => h.Date >= day && h.Date <= until)
            .ToDictionaryAsync(h => h.Date, h => h.IsWorkday, ct);
        bool Working(DateOnly x) => special.TryGetValue(x, out var w) ? w : UsualWorkday(x);
        var fromDayOff = !Working(day);
        var left = d.Amount;
        while (left > 0)
        {
            day = day.AddDays(1);
            if (day > until)
            {
                until = day.AddDays(d.Amount * 2 + 31);
                foreach (var h in await db.Set<Holiday>().AsNoTracking().Where(h => h.Date >= day && h.Date <= until).ToListAsync(ct))
                    special[h.Date] = h.IsWorkday;
            }
            if (Working(day)) left--;
        }
        // From a day off the count starts with the next working day, so the time is the end of the last one.
        return ChinaTime.ToUtc(fromDayOff ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(TimeOnly.FromTimeSpan(time)));
    }

    /// <summary>Whether a day is a working day (for pages that show it).</summary>
    public async Task<bool> IsWorkdayAsync(DateOnly day, CancellationToken ct) =>
        await db.Set<Holiday>().AsNoTracking().Where(h => h.Date == day).Select(h => (bool?)h.IsWorkday).FirstOrDefaultAsync(ct) ?? UsualWorkday(day);
}
