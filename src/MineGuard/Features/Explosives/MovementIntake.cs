using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Explosives;

/// <summary>
/// One movement as the source systems send it. <c>id</c> is the source's event id (a Guid): sent again with the same
/// content it is a duplicate, with other content it is refused. Times are ISO 8601 with an offset.
/// </summary>
public sealed record MovementInput(Guid? Id, Guid? HolderId, string? Kind, string? Material, double? Quantity, string? At, List<string>? Codes,
    string? ArrivalAt, double? RouteHours, string? Vehicle, string? Route, string? SiteDivisionCode, string? Site, string? ShotFirer, string? Crew,
    string? PermitNumber);

public sealed record MovementBatch(List<MovementInput>? Movements);

/// <summary>A refused record: its index in the batch, its id, the field and the reason (in Chinese, naming the record).</summary>
public sealed record MovementRejection(int Index, Guid? Id, string Field, string Reason);

public sealed record MovementBatchResult(int Accepted, int Duplicates, List<MovementRejection> Rejected);

/// <summary>
/// Takes a batch of movements in: each record is checked on its own (format of the detonator codes, times, a use before
/// the holder's first purchase, a stock that would go negative, a permit the holder does not hold) and refused with its
/// index and reason, the rest kept, all in one transaction.
/// </summary>
public sealed class MovementIntake(AppDbContext db)
{
    public const int MaxBatch = 1000;
    public const int MaxCodes = 20_000;

    /// <summary>Within this much (kg) a weighed balance is taken as even (scales and rounding).</summary>
    public const double ToleranceKg = 0.5;

    public static double Tolerance(string material) => material == "detonator" ? 0 : ToleranceKg;

    /// <summary>A record id derived from a source's own key (the first 16 bytes of its SHA-256): the same key, the same id.</summary>
    public static Guid DerivedId(string key) => new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))[..16]);

    private sealed record Accepted(Guid HolderId, string Material, string Kind, double Quantity, DateTime Utc);

    /// <summary>
    /// Takes the batch in. The same ids raced in by another request that committed first (a unique-key violation at the
    /// save) are not an error: this attempt is forgotten and the batch checked again against what is stored, where they
    /// are now duplicates (or, with other content, refused by id).
    /// </summary>
    public async Task<(MovementBatchResult? Result, FieldErrors Errors)> TakeAsync(MovementBatch batch, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var items = batch.Movements ?? [];
        if (items.Count == 0) errors.Add("movements", "请至少提交一条记录");
        else if (items.Count > MaxBatch) errors.Add("movements", $"每批最多 {MaxBatch} 条记录");
        if (!errors.Ok) return (null, errors);
        return (await TakeAsync(items, null, "接收民爆物品/氰化钠流向记录", ct), errors);
    }

    /// <summary>
    /// Checks the records (<see cref="AddAsync"/>) and saves the good ones in one transaction audited as one event
    /// ("{what} N 条"): the batch API's path and the monthly export's upload (<see cref="MovementUpload"/>).
    /// </summary>
    public async Task<MovementBatchResult> TakeAsync(IReadOnlyList<MovementInput> items, Func<int, (int Index, string Name)>? where, string what,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await AddAsync(items, ct, where);
                if (result.Accepted > 0)
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    using var audit = db.AuditAsBatch("create", nameof(ExplosiveMovement), "*", db.CurrentUser.Scope.Code);
                    await db.SaveChangesAsync(ct);
                    audit.Complete($"{what} {result.Accepted} 条");
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                }
                return result;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Checks each record on its own and adds the good ones to the context, unsaved (the one validation path: the batch
    /// API saves them in its transaction, the ingestion API in the batch's). <paramref name="where"/> names a record in a
    /// refusal: its index in what the caller received and the words for it (default: its place in this list);
    /// <paramref name="sourceSystem"/>: sent by a source system's integration (see <see cref="SourceSystem"/>).
    /// </summary>
    public async Task<MovementBatchResult> AddAsync(IReadOnlyList<MovementInput> items, CancellationToken ct, Func<int, (int Index, string Name)>? where = null,
        bool sourceSystem = false)
    {
        SourceSystem = sourceSystem;
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var holderIds = items.Where(i => i.HolderId is not null).Select(i => i.HolderId!.Value).Distinct().ToList();
        var holders = await Holders().Where(h => holderIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        if (SourceSystem) await db.Beyond<ExplosivePermit>(ScopeExit.SystemJudgement).Where(p => holderIds.Contains(p.HolderId)).LoadAsync(ct);
        var ids = items.Where(i => i.Id is not null).Select(i => i.Id!.Value).Distinct().ToList();
        var stored = await db.Set<ExplosiveMovement>().Beyond(ScopeExit.Uniqueness).Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.PayloadHash }).ToDictionaryAsync(m => m.Id, m => m.PayloadHash, ct);
        var divisions = await SiteDivisionsAsync(items, ct);

        var rejected = new List<MovementRejection>();
        var accepted = new List<Accepted>();
        var seen = new Dictionary<Guid, string>();
        var (added, duplicates) = (0, 0);
        for (var index = 0; index < items.Count; index++)
        {
            var input = items[index];
            var (at, name) = where?.Invoke(index) ?? (index, $"第 {index + 1} 条记录（序号 {index}）");
            var refuse = (string field, string reason) => rejected.Add(new MovementRejection(at, input.Id, field, $"{name}：{reason}"));
            var check = Check(input, holders, divisions, now);
            if (check.Error is { } e) { refuse(e.Field, e.Reason); continue; }
            var (holder, kind, material, quantity, utc, codes, details) = check.Value!;
            var hash = Hash(input, codes);
            if (stored.TryGetValue(input.Id!.Value, out var old) || seen.TryGetValue(input.Id.Value, out old))
            {
                if (old == hash) duplicates++;
                else refuse("id", "该记录编号已提交过不同内容");
                continue;
            }
            if (await OrderErrorAsync(holder, kind, material, quantity, utc, accepted, ct) is { } order) { refuse(order.Field, order.Reason); continue; }

            var movement = ExplosiveMovement.Record(input.Id.Value, holder, kind, material, quantity, utc, details, hash, now);
            db.Add(movement);
            foreach (var code in codes) db.Add(new ExplosiveDetonator(movement, code));
            accepted.Add(new Accepted(holder.Id, material, kind, quantity, utc));
            seen[movement.Id] = hash;
            added++;
        }
        return new MovementBatchResult(added, duplicates, rejected);
    }

    private sealed record Checked(ExplosiveHolder Holder, string Kind, string Material, double Quantity, DateTime Utc, List<string> Codes,
        ExplosiveMovement.Details Details);

    private static (Checked? Value, (string Field, string Reason)? Error) Check(MovementInput i, Dictionary<Guid, ExplosiveHolder> holders,
        HashSet<string> divisions, DateTime now)
    {
        static (Checked?, (string, string)?) No(string field, string reason) => (null, (field, reason));
        if (i.Id is null || i.Id == Guid.Empty) return No("id", "缺少记录编号（id）");
        if (i.HolderId is not { } hid || !holders.TryGetValue(hid, out var holder)) return No("holderId", "单位不存在或不在您的管辖范围内");
        if (i.Kind is null || !ExplosiveKinds.Movements.ContainsKey(i.Kind)) return No("kind", "流向类型只能是 purchase、transport、receipt、issue、use、return、destruction 或 stock");
        if (i.Material is null || !ExplosiveKinds.Materials.ContainsKey(i.Material)) return No("material", "物品只能是 detonator（雷管）、explosive（炸药）或 cyanide（氰化钠）");
        if (!Instant(i.At, out var utc)) return No("at", "时间应为带时区的 ISO 8601 时间（如 2026-10-01T08:00:00+08:00）");
        if (utc > now.AddMinutes(5)) return No("at", "时间不能晚于现在");
        var codes = new List<string>();
        double quantity;
        if (i.Material == "detonator" && i.Kind != "stock")
        {
            if (i.Codes is not { Count: > 0 }) return No("codes", "雷管应逐发列出编码（codes）");
            if (i.Codes.Count > MaxCodes) return No("codes", $"每条记录最多 {MaxCodes} 发雷管");
            foreach (var raw in i.Codes)
            {
                var code = DetonatorCode.Normalise(raw ?? "");
                if (!DetonatorCode.IsValid(code)) return No("codes", $"雷管编码“{raw}”格式不对（应为 13 位管壳码：厂家代码 2 位、年 1 位、月 2 位、日 2 位、特征号 1 位、流水号 5 位）");
                codes.Add(code);
            }
            if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count) return No("codes", "同一条记录中雷管编码重复");
            if (i.Quantity is { } q && q != codes.Count) return No("quantity", $"数量 {q} 与所列雷管编码 {codes.Count} 发不符");
            quantity = codes.Count;
        }
        else
        {
            if (i.Codes is { Count: > 0 }) return No("codes", "炸药、氰化钠按重量登记，不列编码");
            if (i.Quantity is not { } q || q is not (>= 0 and <= 1_000_000) || (q == 0 && i.Kind != "stock"))
                return No("quantity", $"数量应为大于 0 的{ExplosiveKinds.Unit(i.Material)}数（盘点可为 0）");
            quantity = q;
        }
        DateTime? arrival = null;
        if (i.Kind == "transport")
        {
            if (!Instant(i.ArrivalAt, out var a)) return No("arrivalAt", "运输记录应有到达时间（带时区的 ISO 8601）");
            if (a < utc) return No("arrivalAt", "到达时间不能早于起运时间");
            if (i.RouteHours is not { } rh || rh is not (> 0 and <= 240)) return No("routeHours", "运输记录应有路线的正常用时（小时，0–240）");
            if (string.IsNullOrWhiteSpace(i.Vehicle)) return No("vehicle", "运输记录应有车辆号牌");
            arrival = a;
        }
        if (i.Kind is "issue" or "use")
        {
            if (string.IsNullOrWhiteSpace(i.SiteDivisionCode) || !divisions.Contains(i.SiteDivisionCode.Trim())) return No("siteDivisionCode", "领用和使用记录应有作业地点所在区划代码");
        }
        if (i.Kind == "use" && i.Material != "cyanide")
        {
            if (string.IsNullOrWhiteSpace(i.Site)) return No("site", "爆破使用记录应有爆破地点");
            if (string.IsNullOrWhiteSpace(i.ShotFirer)) return No("shotFirer", "爆破使用记录应有爆破员");
        }
        foreach (var (field, value, max) in new[] { ("vehicle", i.Vehicle, 20), ("route", i.Route, 200), ("site", i.Site, 200), ("shotFirer", i.ShotFirer, 50),
                     ("crew", i.Crew, 100), ("permitNumber", i.PermitNumber, 60) })
            if (value is { } v && v.Trim().Length > max) return No(field, $"内容过长（最多 {max} 个字符）");
        var permit = i.PermitNumber?.Trim();
        if (permit is { Length: > 0 } && !holder.Permits.Any(p => p.Number == permit)) return No("permitNumber", $"许可证“{permit}”不是该单位的许可证");
        var details = new ExplosiveMovement.Details(arrival, i.Kind == "transport" ? i.RouteHours : null, Blank(i.Vehicle), Blank(i.Route),
            Blank(i.SiteDivisionCode), Blank(i.Site), Blank(i.ShotFirer), Blank(i.Crew), permit is { Length: > 0 } ? permit : null);
        return (new Checked(holder, i.Kind, i.Material, quantity, utc, codes, details), null);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool Instant(string? text, out DateTime utc)
    {
        utc = default;
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when)) return false;
        var t = text.TrimEnd();
        if (!(t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && (t[^6] is '+' or '-') && t[^3] == ':'))) return false;
        utc = when.UtcDateTime;
        return true;
    }

    /// <summary>A use, return or destruction before the holder's first purchase of the material, or one that takes its stock below zero.</summary>
    private async Task<(string Field, string Reason)?> OrderErrorAsync(ExplosiveHolder holder, string kind, string material, double quantity, DateTime utc,
        List<Accepted> accepted, CancellationToken ct)
    {
        if (ExplosiveMovement.Sign(kind) >= 0) return null;
        var mine = Movements().Where(m => m.HolderId == holder.Id && m.Material == material);
        var firstStored = await mine.Where(m => m.Kind == "purchase").MinAsync(m => (DateTime?)m.Utc, ct);
        var firstBatch = accepted.Where(a => a.HolderId == holder.Id && a.Material == material && a.Kind == "purchase").Select(a => (DateTime?)a.Utc).Min();
        var first = new[] { firstStored, firstBatch }.Where(x => x is not null).Min();
        var name = ExplosiveKinds.Movements[kind];
        if (first is null || utc < first)
            return ("at", $"{name}时间早于该单位第一次购买{ExplosiveKinds.Materials[material]}");
        var rows = await mine.Where(m => m.Utc <= utc && m.Kind != "stock").GroupBy(m => m.Kind).Select(g => new { g.Key, Sum = g.Sum(m => m.Quantity) }).ToListAsync(ct);
        var stock = rows.Sum(r => ExplosiveMovement.Sign(r.Key) * r.Sum)
                    + accepted.Where(a => a.HolderId == holder.Id && a.Material == material && a.Utc <= utc).Sum(a => ExplosiveMovement.Sign(a.Kind) * a.Quantity);
        if (stock - quantity < -Tolerance(material))
        {
            var unit = ExplosiveKinds.Unit(material);
            return ("quantity", $"{name} {quantity:0.###}{unit}后库存为负（此前账面库存 {stock:0.###}{unit}）");
        }
        return null;
    }

    /// <summary>
    /// A source system's integration (an API key: a jurisdiction, no department) writes the loop's records on behalf of the
    /// police and the emergency department, so its reads of the holders, permits and movements leave the department
    /// filter — never the jurisdiction — and are not shown to it (refusals name the field only).
    /// </summary>
    private bool SourceSystem { get; set; }

    private IQueryable<ExplosiveHolder> Holders() => SourceSystem
        ? db.Beyond<ExplosiveHolder>(ScopeExit.SystemJudgement).Where(db.CurrentUser.Scope.Predicate<ExplosiveHolder>(h => h.DivisionCode))
        : db.Set<ExplosiveHolder>().Include(h => h.Permits);

    private IQueryable<ExplosiveMovement> Movements() => SourceSystem
        ? db.Beyond<ExplosiveMovement>(ScopeExit.SystemJudgement).Where(db.CurrentUser.Scope.Predicate<ExplosiveMovement>(m => m.DivisionCode))
        : db.Set<ExplosiveMovement>();

    private async Task<HashSet<string>> SiteDivisionsAsync(IReadOnlyList<MovementInput> items, CancellationToken ct)
    {
        var codes = items.Select(i => i.SiteDivisionCode?.Trim()).Where(c => !string.IsNullOrEmpty(c)).Distinct().ToList();
        return (await db.Divisions.Where(d => codes.Contains(d.Code)).Select(d => d.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What cannot change about a movement, hashed: the same id with another hash is a conflicting resend.</summary>
    private static string Hash(MovementInput i, List<string> codes) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new
        {
            i.HolderId, i.Kind, i.Material, i.Quantity, i.At, codes, i.ArrivalAt, i.RouteHours, i.Vehicle, i.Route, i.SiteDivisionCode, i.Site, i.ShotFirer,
            i.Crew, i.PermitNumber,
        })));
}
