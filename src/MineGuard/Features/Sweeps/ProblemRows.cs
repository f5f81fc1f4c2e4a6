using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

/// <summary>
/// A row of a problem or rectification ledger in the upward layout (<see cref="RectificationsApi.LedgerColumns"/>) as
/// the ledger import reads it: keys are the columns' field names, messages name the column. What the row says of its
/// rectification (责任单位, 责任人, 整改时限, 完成情况, 验收人, 销号时间) is checked and kept with the row's inspection as the
/// ledger wrote it; the office makes the problem a rectification item through the ledger's own step (an item needs a
/// person of the registry and goes on the one clock from today, which a ledger's words cannot give).
/// </summary>
public static partial class ProblemRows
{
    public const string Description = "Description", Place = "Place", FoundAt = "FoundAt", FoundBy = "FoundBy", Measures = "Measures",
        ResponsibleUnit = "ResponsibleUnit", Responsible = "Responsible", DueOn = "DueOn", Completion = "Completion", Verifier = "Verifier",
        ClosedAt = "ClosedAt";

    /// <summary>A checked row: the problem's own fields, and the ledger's record of its rectification (null: none).</summary>
    public sealed record Row(string Description, string Place, DateTime FoundUtc, string FoundBy, string Signer, string? Measures, string? Record)
    {
        /// <summary>What makes two rows the same problem: description, place and the minute it was found (the layout writes minutes).</summary>
        public string Key => SameKey(Description, Place, FoundUtc);
    }

    public static string SameKey(string description, string place, DateTime foundUtc) =>
        $"{description}\u0001{place}\u0001{foundUtc.Ticks / TimeSpan.TicksPerMinute}";

    /// <summary>
    /// The keys of the problems already filed in the county, whoever filed them and wherever below the county: a
    /// duplicate is a duplicate whoever can see it, and only "already in the ledger" is revealed.
    /// </summary>
    public static async Task<HashSet<string>> ExistingAsync(AppDbContext db, string countyCode, CancellationToken ct)
    {
        var rows = await db.Set<Problem>().Beyond(ScopeExit.Uniqueness).AsNoTracking().Within(JurisdictionScope.Of(countyCode), p => p.DivisionCode)
            .Select(p => new { p.Description, p.Place, p.FoundUtc }).ToListAsync(ct);
        return rows.Select(p => SameKey(p.Description, p.Place, p.FoundUtc)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Checks one row's cells (trimmed, null when empty); <paramref name="nowUtc"/> bounds the times.</summary>
    public static (Row? Row, FieldErrors Errors) Check(Func<string, string?> cell, DateTime nowUtc)
    {
        var errors = new FieldErrors();
        var description = Text(cell, Description, "问题描述", 1000, true, errors);
        var place = Text(cell, Place, "所在位置", 200, true, errors);
        var foundUtc = Time(cell(FoundAt), "发现时间", FoundAt, errors, required: true);
        if (foundUtc > nowUtc.AddDays(1)) errors.Add(FoundAt, "发现时间不能晚于今天");
        string foundBy = "", signer = "";
        if (cell(FoundBy) is not { } who) errors.Add(FoundBy, "请填写发现人");
        else
        {
            // The export writes "发现人（签字人 签字人）" when they differ.
            var m = SignedBy().Match(who);
            (foundBy, signer) = m.Success ? (m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim()) : (who, who);
            if (foundBy.Length > 100 || signer.Length > 100) errors.Add(FoundBy, "发现人不能超过 100 个字符");
        }
        var measures = Text(cell, Measures, "整改措施", 1000, false, errors);
        var unit = Text(cell, ResponsibleUnit, "责任单位", 100, false, errors);
        var person = Text(cell, Responsible, "责任人", 100, false, errors);
        var completion = Text(cell, Completion, "完成情况", 500, false, errors);
        var verifier = Text(cell, Verifier, "验收人", 100, false, errors);
        var found = foundUtc is { } f ? DateOnly.FromDateTime(ChinaTime.ToLocal(f)) : (DateOnly?)null;
        DateOnly? due = null;
        if (cell(DueOn) is { } dueText)
        {
            if (CalendarDate.Problem("整改时限", dueText, out var d) is { } problem) errors.Add(DueOn, problem);
            else if (d < found) errors.Add(DueOn, $"整改时限不能早于发现时间（{found:yyyy-MM-dd}）");
            else due = d;
        }
        var closedUtc = Time(cell(ClosedAt), "销号时间", ClosedAt, errors, required: false);
        if (closedUtc is { } c && foundUtc is { } f2 && c < f2) errors.Add(ClosedAt, "销号时间不能早于发现时间");
        if (closedUtc > nowUtc.AddDays(1)) errors.Add(ClosedAt, "销号时间不能晚于今天");
        if (closedUtc is not null && verifier is null) errors.Add(Verifier, "已销号的问题须写明验收人");
        if (!errors.Ok) return (null, errors);

        var record = string.Join("；", new[]
        {
            unit is null ? null : $"责任单位：{unit}", person is null ? null : $"责任人：{person}", due is null ? null : $"整改时限：{due:yyyy-MM-dd}",
            completion is null ? null : $"完成情况：{completion}", verifier is null ? null : $"验收人：{verifier}",
            closedUtc is null ? null : $"销号时间：{ChinaTime.Format(closedUtc.Value)[..16]}",
        }.OfType<string>());
        return (new Row(description!, place!, foundUtc!.Value, foundBy, signer, measures, record.Length == 0 ? null : "台账原记录：" + record), errors);
    }

    private static string? Text(Func<string, string?> cell, string key, string header, int max, bool required, FieldErrors errors)
    {
        var text = cell(key);
        if (text is null && required) errors.Add(key, $"请填写{header}");
        else if (text is { } t && t.Length > max) errors.Add(key, $"{header}不能超过 {max} 个字符");
        return text;
    }

    /// <summary>A time as ledgers write it ("2026-11-02 10:30", a date cell, a day alone = its start), in China, as UTC.</summary>
    private static DateTime? Time(string? text, string header, string key, FieldErrors errors, bool required)
    {
        if (text is null)
        {
            if (required) errors.Add(key, $"请填写{header}");
            return null;
        }
        var t = CalendarDate.HalfWidth(text).Trim();
        if (CalendarDate.TryParse(t, out var day) && !HasClock().IsMatch(t)) return ChinaTime.ToUtc(day.ToDateTime(TimeOnly.MinValue));
        if (HasClock().IsMatch(t) && ChinaTime.TryParseLocal(t, out var utc) && utc.Year is >= 1949 and <= 2100) return utc;
        errors.Add(key, $"{header}格式应为 2026-01-31 或 2026-01-31 09:30");
        return null;
    }

    [GeneratedRegex(@"^(.+?)[（(]\s*签字人\s*(.+?)\s*[）)]$")]
    private static partial Regex SignedBy();

    [GeneratedRegex(@"\d{1,2}:\d{2}")]
    private static partial Regex HasClock();
}
