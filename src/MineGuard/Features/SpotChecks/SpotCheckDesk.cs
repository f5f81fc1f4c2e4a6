using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Patrols;
using MineGuard.Features.Tips;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.SpotChecks;

/// <summary>What the drawing office asks for. Share in percent (0 &lt; share ≤ 100) or count, not both; neither: the setting's share.</summary>
public sealed record SpotCheckDrawInput(IReadOnlyList<string>? Counties, IReadOnlyList<string>? Kinds, string? From, string? To, decimal? Share, int? Count,
    bool? ByTownship, bool? ByKind, string? Seed, string? DueOn, Guid? ClientId = null);

public sealed record SpotCheckResultInput(string? Result, string? Note);

public sealed record SpotCheckSettingInput(decimal? DefaultShare);

public sealed record SpotCheckSettingView(string DivisionCode, decimal DefaultShare, bool Stored);

public sealed record SpotCheckItemView(Guid Id, int Rank, string Kind, string KindName, Guid ItemId, string ItemDivisionCode, string Stratum, string Key,
    string Label, Guid? SignerUserId, string? SignerName, Guid? AssignmentId, string? Result, string? ResultName, string? Note, string? CheckerName,
    DateTime? CheckedUtc, Guid? FollowUpAssignmentId);

public sealed record SpotCheckDrawView(Guid Id, string DivisionCode, IReadOnlyList<string> Counties, IReadOnlyList<string> Kinds, DateOnly From, DateOnly To,
    decimal? Share, int? Count, bool ByTownship, bool ByKind, string Seed, bool SeedGiven, string Algorithm, string ListHash, int ListCount,
    int SampleCount, int Round, DateOnly DueOn, string DrawnByName, DateTime DrawnUtc, int Checked, int NotConfirmed, string ListUrl,
    IReadOnlyList<SpotCheckItemView>? Items);

public sealed record SpotCheckVerifyView(Guid Id, string Algorithm, bool ListHashMatches, bool SampleMatches, int Expected, int Recorded,
    IReadOnlyList<string> Missing, IReadOnlyList<string> Extra);

public sealed record SpotCheckSignerView(Guid? SignerUserId, string? SignerName, int Sampled, int Checked, int NotConfirmed);

/// <summary>
/// 抽查: the drawing level's (city or province) draws over what its counties reported closed, the check tasks, the
/// results and their consequences, the re-draw check and the default share. Every read and write is refused (null, a
/// 404) to anyone but the drawing level's office, leaders, administrators and discipline commission (纪委监委): a
/// county's user learns nothing, not even that a draw exists.
/// </summary>
public sealed partial class SpotCheckDesk(AppDbContext db, IConfiguration config)
{
    public const decimal FallbackShare = 30m;
    public const string TaskSource = "spot-check";

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    private CurrentUser Me => db.CurrentUser;

    /// <summary>The caller draws or reads spot checks: scope above a county (a city or province), office/leader/admin or the discipline commission.</summary>
    public bool CanRead => Shared.MainMenu.ReadsSpotChecks(Me);

    /// <summary>Draws, results and settings: the drawing level's office or administrators.</summary>
    public bool CanWrite => CanRead && Me.CanWrite && Me.SeesAllDepartments;

    public string Division => Me.Scope.From;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SeedPattern();

    public async Task<decimal> DefaultShareAsync(CancellationToken ct) =>
        await db.Set<SpotCheckSetting>().Where(s => s.DivisionCode == Division).Select(s => (decimal?)s.DefaultSharePercent).FirstOrDefaultAsync(ct)
        ?? (decimal.TryParse(config[$"SpotChecks:DefaultShareByDivision:{Division}"] ?? config["SpotChecks:DefaultShare"],
            System.Globalization.CultureInfo.InvariantCulture, out var configured) ? configured : FallbackShare);

    public async Task<SpotCheckSettingView> SettingAsync(CancellationToken ct) =>
        new(Division, await DefaultShareAsync(ct), await db.Set<SpotCheckSetting>().AnyAsync(s => s.DivisionCode == Division, ct));

    public async Task<FieldErrors> SetSettingAsync(SpotCheckSettingInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.DefaultShare is not { } share) errors.Add(nameof(input.DefaultShare), "请填写默认抽查比例（百分比）");
        else if (share is <= 0 or > 100) errors.Add(nameof(input.DefaultShare), "默认抽查比例须大于 0% 且不超过 100%");
        if (!errors.Ok) return errors;
        var row = await db.Set<SpotCheckSetting>().FirstOrDefaultAsync(s => s.DivisionCode == Division, ct);
        if (row is null) db.Add(row = SpotCheckSetting.For(Division));
        row.Set(Math.Round(input.DefaultShare!.Value, 2), Me.Id, Now);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>An eligible item as read from the ledgers: the list's entry plus what the sample row keeps.</summary>
    private sealed record Eligible(string Kind, Guid Id, string Division, string Label, Guid? Signer, string? SignerName);

    /// <summary>Draws; the same request sent again (its client id) answers the draw already stored (<c>Existing</c>).</summary>
    public async Task<(SpotCheckDraw? Draw, bool Existing, FieldErrors Errors)> DrawAsync(SpotCheckDrawInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId
            && await db.Set<SpotCheckDraw>().Beyond(ScopeExit.Uniqueness).Where(d => d.ClientId == clientId).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct) is { } sent)
        {
            // Sent before: the stored draw if it is the caller's to see, else the id is someone else's (refused, nothing drawn).
            if (await Draws.FirstOrDefaultAsync(d => d.Id == sent, ct) is { } stored) return (stored, true, errors);
            errors.Add(nameof(input.ClientId), "该请求编号已被使用，请重新生成");
            return (null, false, errors);
        }
        var counties = (input.Counties ?? []).Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct().ToList();
        if (counties.Count == 0) errors.Add(nameof(input.Counties), "请选择被抽查的区县");
        else
        {
            var known = (await db.Divisions.CountiesWithinAsync(Me.Scope, ct)).Select(d => d.Code).ToHashSet();
            if (counties.FirstOrDefault(c => !known.Contains(c)) is { } bad) errors.Add(nameof(input.Counties), $"区县 {bad} 不在您的管辖范围内");
        }
        var kinds = (input.Kinds is { Count: > 0 } k ? k.Select(x => x?.Trim() ?? "") : SpotCheckKinds.Names.Keys).Distinct().ToList();
        if (kinds.FirstOrDefault(x => !SpotCheckKinds.Names.ContainsKey(x)) is { } unknown)
            errors.Add(nameof(input.Kinds), $"抽查类型“{unknown}”不存在，只能是 {SpotCheckKinds.Choices}");
        DateOnly from = default, to = Today;
        if (string.IsNullOrWhiteSpace(input.From)) errors.Add(nameof(input.From), "请填写抽查期间的起始日期");
        else if (CalendarDate.Problem("起始日期", input.From, out from) is { } p1) errors.Add(nameof(input.From), p1);
        if (!string.IsNullOrWhiteSpace(input.To) && CalendarDate.Problem("截止日期", input.To, out to) is { } p2) errors.Add(nameof(input.To), p2);
        else if (from != default && to < from) errors.Add(nameof(input.To), "截止日期不能早于起始日期");
        decimal? share = null;
        int? count = null;
        if (input.Share is not null && input.Count is not null) errors.Add(nameof(input.Share), "抽查比例和抽查数量只能填写一项");
        else if (input.Count is { } c)
        {
            if (c < 1) errors.Add(nameof(input.Count), "抽查数量须至少为 1");
            else count = c;
        }
        else if (input.Share is { } s)
        {
            if (s is <= 0 or > 100) errors.Add(nameof(input.Share), "抽查比例须大于 0% 且不超过 100%");
            else if (decimal.Round(s, 2) != s) errors.Add(nameof(input.Share), "抽查比例最多保留两位小数");
            else share = s;
        }
        else share = await DefaultShareAsync(ct);
        var seedGiven = !string.IsNullOrWhiteSpace(input.Seed);
        var seed = seedGiven ? input.Seed!.Trim() : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (seedGiven && !SeedPattern().IsMatch(seed)) errors.Add(nameof(input.Seed), "随机种子只能由字母、数字、- 和 _ 组成，长度 1–64");
        var due = Today.AddDays(30);
        if (!string.IsNullOrWhiteSpace(input.DueOn))
        {
            if (CalendarDate.Problem("核查期限", input.DueOn, out due) is { } p3) errors.Add(nameof(input.DueOn), p3);
            else if (due < Today) errors.Add(nameof(input.DueOn), "核查期限不能早于今天");
        }
        if (!errors.Ok) return (null, false, errors);

        var byTownship = input.ByTownship ?? false;
        var byKind = input.ByKind ?? false;
        var eligible = await EligibleAsync(counties, kinds, from, to, ct);
        if (eligible.Count == 0)
        {
            errors.Add(nameof(input.Counties), "所选区县和期间内没有可抽查的事项");
            return (null, false, errors);
        }
        var byKey = eligible.ToDictionary(e => (e.Kind, e.Id));
        var (list, text, hash) = SpotCheckAlgorithm.Freeze(eligible.Select(e =>
            new SpotCheckAlgorithm.Entry(e.Kind, e.Id, SpotCheckAlgorithm.Stratum(e.Kind, e.Division, byTownship, byKind))));
        // Seeds are unique per list beyond the caller's scope (a province and its city may draw the same list): ask yes/no.
        var earlier = await db.Set<SpotCheckDraw>().Beyond(ScopeExit.Uniqueness).Where(d => d.ListHash == hash)
            .Select(d => d.Seed).ToListAsync(ct);
        if (earlier.Contains(seed))
        {
            errors.Add(nameof(input.Seed), "该随机种子已用于同一清单的抽取，再次抽取须使用新的种子（前次抽取保留不变）");
            return (null, false, errors);
        }
        var picks = SpotCheckAlgorithm.Draw(seed, list, share, count);
        var draw = SpotCheckDraw.Create(Division, counties, kinds, from, to, share, count, byTownship, byKind, seed, seedGiven, text, hash, list.Count,
            picks.Count, earlier.Count + 1, due, input.ClientId, Me.Id, Me.DisplayName, Now);
        db.Add(draw);
        var place = (await db.DivisionNamesAsync([Division], ct)).GetValueOrDefault(Division, Division);
        var rank = 0;
        foreach (var pick in picks)
        {
            var e = byKey[(pick.Entry.Kind, pick.Entry.Id)];
            var item = SpotCheckItem.Create(draw, pick.Entry, pick.Key, ++rank, e.Division, Cut(e.Label, 200), e.Signer, e.SignerName);
            db.Add(item);
            // The check task is the drawing level's own: filed at the drawing division and hidden below it (四不两直).
            var task = AssignmentDesk.Open(db, Division, null, AssignmentKinds.SpotCheck, TaskSource, item.Id,
                $"抽查核实：{SpotCheckKinds.Names[e.Kind]} {e.Label}", $"第 {draw.Round} 次抽取（种子 {seed}）第 {rank} 项，请实地或凭证核实是否如实办结",
                $"{place}抽查组", null, Me.Id, null, due, hiddenBelow: Division);
            item.LinkTask(task.Id);
        }
        // One transaction: the draw, its sample, the tasks and their deadlines (bulk-inserted) stand or fall together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveManyAsync(ct);
        await tx.CommitAsync(ct);
        return (draw, false, errors);
    }

    private async Task<List<Eligible>> EligibleAsync(List<string> counties, List<string> kinds, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = ChinaTime.ToUtc(from.ToDateTime(TimeOnly.MinValue));
        var end = AssignmentDesk.EndOf(to);
        var found = new List<Eligible>();
        foreach (var county in counties)
        {
            var scope = JurisdictionScope.Of(county);
            if (kinds.Contains(SpotCheckKinds.Rectification))
            {
                var rows = await db.Set<Assignment>().AsNoTracking().Within(scope, a => a.DivisionCode)
                    .Where(a => a.Kind == AssignmentKinds.Rectification && a.Status == AssignmentStatus.Closed && a.ClosedUtc >= start && a.ClosedUtc < end)
                    .Select(a => new { a.Id, a.DivisionCode, a.Title, a.ClosedById }).ToListAsync(ct);
                found.AddRange(rows.Select(a => new Eligible(SpotCheckKinds.Rectification, a.Id, a.DivisionCode, a.Title, a.ClosedById, null)));
            }
            if (kinds.Contains(SpotCheckKinds.Adit))
            {
                var rows = await db.Set<SealingEvent>().AsNoTracking().Within(scope, e => e.DivisionCode)
                    .Where(e => (e.Kind == SealingEventKind.Sealed || e.Kind == SealingEventKind.Resealed || e.Kind == SealingEventKind.Accepted)
                                && e.OccurredOn >= from && e.OccurredOn <= to)
                    .Join(db.Set<Adit>().Where(a => a.State == SealState.Sealed || a.State == SealState.Accepted), e => e.AditId, a => a.Id,
                        (e, a) => new { a.Id, a.DivisionCode, a.Number, e.OccurredOn, e.RecordedUtc, e.PerformedByUserId, e.RecordedById, e.PerformedBy })
                    .ToListAsync(ct);
                found.AddRange(rows.GroupBy(r => r.Id).Select(g => g.OrderByDescending(r => r.OccurredOn).ThenByDescending(r => r.RecordedUtc).First())
                    .Select(r => new Eligible(SpotCheckKinds.Adit, r.Id, r.DivisionCode, r.Number, r.PerformedByUserId ?? r.RecordedById, r.PerformedBy)));
            }
            if (kinds.Contains(SpotCheckKinds.CheckIn))
            {
                var rows = await db.Set<CheckIn>().AsNoTracking().Within(scope, c => c.DivisionCode).Where(CheckIn.Counting)
                    .Where(c => c.AtUtc >= start && c.AtUtc < end)
                    .Select(c => new { c.Id, c.DivisionCode, c.AtUtc, c.UserId, c.AditId }).ToListAsync(ct);
                found.AddRange(rows.Select(c => new Eligible(SpotCheckKinds.CheckIn, c.Id, c.DivisionCode, $"签到 {ChinaTime.Format(c.AtUtc)}", c.UserId, null)));
            }
            if (kinds.Contains(SpotCheckKinds.Tip))
            {
                var rows = await db.Set<Tip>().AsNoTracking().Within(scope, t => t.DivisionCode)
                    .Where(t => t.Status == TipStatus.Verified && t.Outcome == TipOutcome.True && t.OverturnedUtc == null && t.VerifiedUtc >= start && t.VerifiedUtc < end)
                    .Select(t => new { t.Id, t.DivisionCode, t.Description, t.VerifiedById }).ToListAsync(ct);
                found.AddRange(rows.Select(t => new Eligible(SpotCheckKinds.Tip, t.Id, t.DivisionCode, "举报 " + Cut(t.Description, 40), t.VerifiedById, null)));
            }
        }
        var users = found.Where(f => f.Signer is not null && f.SignerName is null).Select(f => f.Signer!.Value).Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        foreach (var chunk in users.Chunk(500))
            foreach (var u in await db.Users.Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct)) names[u.Id] = u.DisplayName;
        return found.Select(f => f.SignerName is null && f.Signer is { } s ? f with { SignerName = names.GetValueOrDefault(s) } : f).ToList();
    }

    public IQueryable<SpotCheckDraw> Draws => db.Set<SpotCheckDraw>().AsNoTracking();

    public async Task<List<SpotCheckDrawView>> ListAsync(CancellationToken ct)
    {
        var draws = await Draws.OrderByDescending(d => d.DrawnUtc).Take(200).ToListAsync(ct);
        var ids = draws.Select(d => d.Id).ToList();
        var tallies = await db.Set<SpotCheckItem>().Where(i => ids.Contains(i.DrawId)).GroupBy(i => i.DrawId)
            .Select(g => new { g.Key, Checked = g.Count(i => i.Result != null), Not = g.Count(i => i.Result == SpotCheckResult.NotConfirmed) })
            .ToDictionaryAsync(x => x.Key, ct);
        return draws.Select(d => View(d, tallies.TryGetValue(d.Id, out var t) ? t.Checked : 0, tallies.TryGetValue(d.Id, out var t2) ? t2.Not : 0, null)).ToList();
    }

    public async Task<SpotCheckDrawView?> DetailAsync(Guid id, CancellationToken ct)
    {
        var draw = await Draws.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (draw is null) return null;
        var items = await db.Set<SpotCheckItem>().AsNoTracking().Where(i => i.DrawId == id).OrderBy(i => i.Rank).ToListAsync(ct);
        return View(draw, items.Count(i => i.Result != null), items.Count(i => i.Result == SpotCheckResult.NotConfirmed), items.Select(ItemView).ToList());
    }

    public Task<string?> ListTextAsync(Guid id, CancellationToken ct) =>
        db.Set<SpotCheckDraw>().Where(d => d.Id == id).Select(d => d.ListText).FirstOrDefaultAsync(ct);

    /// <summary>Re-draws from the stored seed and list with the published algorithm and compares with the recorded sample.</summary>
    public async Task<SpotCheckVerifyView?> VerifyAsync(Guid id, CancellationToken ct)
    {
        var draw = await Draws.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (draw is null) return null;
        var list = SpotCheckAlgorithm.Parse(draw.ListText);
        var hashOk = SpotCheckAlgorithm.Freeze(list).Hash == draw.ListHash;
        var expected = SpotCheckAlgorithm.Draw(draw.Seed, list, draw.SharePercent, draw.Count).Select(p => $"{p.Entry.Kind}:{p.Entry.Id:D}").ToList();
        var recorded = await db.Set<SpotCheckItem>().Where(i => i.DrawId == id).OrderBy(i => i.Rank).Select(i => new { i.ItemKind, i.ItemId }).ToListAsync(ct);
        var got = recorded.Select(r => $"{r.ItemKind}:{r.ItemId:D}").ToList();
        return new SpotCheckVerifyView(id, draw.Algorithm, hashOk, hashOk && expected.SequenceEqual(got), expected.Count, got.Count,
            expected.Except(got).ToList(), got.Except(expected).ToList());
    }

    /// <summary>Sampled items counted against whoever signed them off, the most not-confirmed first.</summary>
    public async Task<List<SpotCheckSignerView>> SignersAsync(CancellationToken ct) =>
        (await db.Set<SpotCheckItem>().AsNoTracking().GroupBy(i => new { i.SignerUserId, i.SignerName })
            .Select(g => new SpotCheckSignerView(g.Key.SignerUserId, g.Key.SignerName, g.Count(), g.Count(i => i.Result != null),
                g.Count(i => i.Result == SpotCheckResult.NotConfirmed)))
            .ToListAsync(ct))
        .OrderByDescending(s => s.NotConfirmed).ThenBy(s => s.SignerName, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Records a check's result. Not confirmed (a false 销号) reopens the item: a rectification item is reopened (counted
    /// in its Reopens), a sealed adit gets a finding (breach, found by the spot check) and a re-seal assignment, a check-in
    /// is marked faked (it no longer counts), a tip's verification is overturned. The check task is settled.
    /// </summary>
    public async Task<(SpotCheckItem? Item, FieldErrors Errors)> RecordAsync(Guid drawId, Guid itemId, SpotCheckResultInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var result = input.Result?.Trim() switch
        {
            "confirmed" => SpotCheckResult.Confirmed, "not-confirmed" => SpotCheckResult.NotConfirmed, _ => (SpotCheckResult?)null,
        };
        if (result is null) errors.Add(nameof(input.Result), "核查结果只能是 confirmed（属实）或 not-confirmed（不属实）");
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (result == SpotCheckResult.NotConfirmed && note is null) errors.Add(nameof(input.Note), "核查不属实时请填写核查发现");
        if (note is { Length: > 2000 }) errors.Add(nameof(input.Note), "核查说明不能超过 2000 个字符");
        var item = await db.Set<SpotCheckItem>().FirstOrDefaultAsync(i => i.Id == itemId && i.DrawId == drawId, ct);
        if (item is null || !errors.Ok) return (item, errors);

        item.Record(result!.Value, note, Me.Id, Me.DisplayName, Now);
        if (item.AssignmentId is { } taskId && await db.Set<Assignment>().FirstOrDefaultAsync(a => a.Id == taskId, ct) is { } task)
        {
            task.Settle(result == SpotCheckResult.Confirmed ? "核查属实" : $"核查不属实：{note}", Me.Id, Now);
            await db.CloseAsync(Assignment.ClockSubject, task.Id, ct);
        }
        if (result == SpotCheckResult.NotConfirmed) await ReopenItemAsync(item, $"上级抽查核查不属实：{note}", ct);
        await db.SaveChangesAsync(ct);
        return (item, errors);
    }

    private async Task ReopenItemAsync(SpotCheckItem item, string reason, CancellationToken ct)
    {
        switch (item.ItemKind)
        {
            case SpotCheckKinds.Rectification:
                var a = await db.Set<Assignment>().FirstOrDefaultAsync(x => x.Id == item.ItemId, ct);
                Rule.Check(a is not null, "SpotCheckItemGone", "被抽查的整改事项已不存在");
                if (a!.Status == AssignmentStatus.Open) break;
                a.Reopen(reason, Now);
                var due = Today.AddDays(AssignmentDesk.DefaultDays);
                a.MoveDue(due);
                db.Open(Assignment.ClockSubject, a.Id, a.DivisionCode, a.DepartmentCode, AssignmentDesk.EndOf(due), Platform.People.AnswerLevel.Person);
                break;
            case SpotCheckKinds.Adit:
                var adit = await db.Set<Adit>().FirstOrDefaultAsync(x => x.Id == item.ItemId, ct);
                Rule.Check(adit is not null, "SpotCheckItemGone", "被抽查的矿硐已不存在");
                if (adit!.State is SealState.Sealed or SealState.Accepted)
                    adit.RecordBreach(Today, Me.DisplayName, "上级抽查", Me.Id, reason, Now);
                var reseal = AssignmentDesk.Open(db, adit.DivisionCode, adit.Id, AssignmentKinds.Rectification, TaskSource, item.Id,
                    $"重新封堵矿硐 {adit.Number}", reason, null, adit.ResponsiblePersonId, adit.ResponsiblePersonId is null ? item.SignerUserId : null, null,
                    Today.AddDays(AssignmentDesk.DefaultDays));
                item.FollowedUpBy(reseal.Id);
                break;
            case SpotCheckKinds.CheckIn:
                var checkIn = await db.Set<CheckIn>().FirstOrDefaultAsync(x => x.Id == item.ItemId, ct);
                Rule.Check(checkIn is not null, "SpotCheckItemGone", "被抽查的签到已不存在");
                if (checkIn!.FakedUtc is null) checkIn.MarkFaked(reason, Me.Id, Now);
                break;
            case SpotCheckKinds.Tip:
                var tip = await db.Set<Tip>().FirstOrDefaultAsync(x => x.Id == item.ItemId, ct);
                Rule.Check(tip is not null, "SpotCheckItemGone", "被抽查的举报已不存在");
                if (tip!.OverturnedUtc is null) tip.Overturn(reason, Me.Id, Now);
                break;
        }
    }

    private static SpotCheckDrawView View(SpotCheckDraw d, int done, int not, IReadOnlyList<SpotCheckItemView>? items) =>
        new(d.Id, d.DivisionCode, d.Counties.Split(',', StringSplitOptions.RemoveEmptyEntries), d.Kinds.Split(',', StringSplitOptions.RemoveEmptyEntries),
            d.FromOn, d.ToOn, d.SharePercent, d.Count, d.ByTownship, d.ByKind, d.Seed, d.SeedGiven, d.Algorithm, d.ListHash, d.ListCount, d.SampleCount,
            d.Round, d.DueOn, d.DrawnByName, d.DrawnUtc, done, not, $"/api/spot-checks/{d.Id}/list", items);

    private static SpotCheckItemView ItemView(SpotCheckItem i) =>
        new(i.Id, i.Rank, i.ItemKind, SpotCheckKinds.Names.GetValueOrDefault(i.ItemKind, i.ItemKind), i.ItemId, i.ItemDivisionCode, i.Stratum, i.Key, i.Label,
            i.SignerUserId, i.SignerName, i.AssignmentId, i.Result switch { SpotCheckResult.Confirmed => "confirmed", SpotCheckResult.NotConfirmed => "not-confirmed", _ => null },
            i.Result switch { SpotCheckResult.Confirmed => "属实", SpotCheckResult.NotConfirmed => "不属实", _ => null }, i.Note, i.CheckerName, i.CheckedUtc,
            i.FollowUpAssignmentId);
}
