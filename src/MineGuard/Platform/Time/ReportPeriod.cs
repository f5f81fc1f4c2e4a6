namespace MineGuard.Platform.Time;

/// <summary>
/// A period of whole China-time days, both ends included: what a dashboard, a list filter or a stage report counts over
/// ("from" and "to" in the query string). The one way to read such a pair, so that a figure and the list behind it
/// count the same days.
/// </summary>
public readonly record struct ReportPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The first instant of <see cref="From"/> in UTC.</summary>
    public DateTime FromUtc => ChinaTime.ToUtc(From.ToDateTime(TimeOnly.MinValue));

    /// <summary>The first instant after <see cref="To"/> in UTC (exclusive end).</summary>
    public DateTime ToUtcExclusive => ChinaTime.ToUtc(To.AddDays(1).ToDateTime(TimeOnly.MinValue));

    public bool Contains(DateTime utc) => utc >= FromUtc && utc < ToUtcExclusive;

    public string Describe() => $"{From:yyyy-MM-dd} 至 {To:yyyy-MM-dd}";

    /// <summary>
    /// Reads "from" and "to" as typed (blank = the month so far for from, today for to); a bad day, or a from after to,
    /// is named in <paramref name="errors"/> under the given field names.
    /// </summary>
    public static ReportPeriod Read(string? from, string? to, DateOnly today, FieldErrorsSink errors, string fromField = "from", string toField = "to")
    {
        var start = new DateOnly(today.Year, today.Month, 1);
        var end = today;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (CalendarDate.Problem("起始日期", from, out var f) is { } problem) errors(fromField, problem);
            else start = f;
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (CalendarDate.Problem("截止日期", to, out var t) is { } problem) errors(toField, problem);
            else end = t;
        }
        if (start > end) errors(fromField, "起始日期不能晚于截止日期");
        return new ReportPeriod(start, end);
    }

    /// <summary>
    /// A list's day filter (the link a dashboard figure carries): each end optional, as UTC instants (from inclusive, to
    /// exclusive); a bad day is named in <paramref name="errors"/> as "<paramref name="noun"/>起始日期…" under "from" or "to".
    /// </summary>
    public static (DateTime? FromUtc, DateTime? ToUtc) ListBounds(string? from, string? to, string noun, FieldErrorsSink? errors = null)
    {
        DateTime? start = null, end = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (CalendarDate.Problem(noun + "起始日期", from, out var f) is { } problem) errors?.Invoke("From", problem);
            else start = new ReportPeriod(f, f).FromUtc;
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (CalendarDate.Problem(noun + "截止日期", to, out var t) is { } problem) errors?.Invoke("To", problem);
            else end = new ReportPeriod(t, t).ToUtcExclusive;
        }
        return (start, end);
    }
}

/// <summary>Where <see cref="ReportPeriod.Read"/> names a bad field (e.g. a <c>FieldErrors.Add</c>).</summary>
public delegate void FieldErrorsSink(string field, string message);
