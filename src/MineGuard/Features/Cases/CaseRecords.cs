using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Clues;
using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Cases;

public sealed record PartyInput(string? Kind, [property: MaxLength(100)] string? Name, Guid? KeyPersonId, [property: MaxLength(30)] string? IdNumber,
    [property: MaxLength(30)] string? CreditCode, [property: MaxLength(100)] string? Role);

/// <summary>列入重点人员台账: the control level the office gives the party (一般, 重点 or 严管; 重点 when blank).</summary>
public sealed record KeyPersonEnrolInput([property: MaxLength(10)] string? ControlLevel);

public sealed record DismissInput([property: MaxLength(100)] string? Name, Guid? PartyId, [property: MaxLength(1000)] string? Reason);

public sealed record EvidenceInput([property: MaxLength(200)] string? Title, [property: MaxLength(100)] string? CollectedBy, string? CollectedAt,
    [property: MaxLength(200)] string? Place, [property: MaxLength(1000)] string? NamedPersons);

public sealed record CustodyInput([property: MaxLength(100)] string? ToHolder, [property: MaxLength(1000)] string? Note);

public sealed record SeizureInput(string? Kind, [property: MaxLength(500)] string? Description, double? Weight, string? Unit, double? ValueYuan,
    [property: MaxLength(200)] string? ValuedBy, [property: MaxLength(20)] string? Plate, int? Quantity, [property: MaxLength(200)] string? StoragePlace,
    [property: MaxLength(100)] string? Keeper, [property: MaxLength(1000)] string? NamedPersons);

public sealed record DisposalInput(string? Disposal, string? DisposedOn, [property: MaxLength(200)] string? Document);

public sealed record CaseGap(Guid CaseId, string Number, string Name, string Reason);

/// <summary>
/// A case's records: parties (当事人: persons with protected ID numbers, units with credit codes), dismissals, evidence with
/// files and its custody log (withdrawn, never deleted), seized property and its disposal, and the 人不漏案 gaps report.
/// </summary>
public sealed partial class CaseRecords(AppDbContext db, CaseDesk desk, IdNumberProtection ids, IKeyPersonLedger ledger)
{
    public const long MaxFileBytes = 50 * 1024 * 1024;

    private async Task SaveAsync(Case c, string kind, string text, CancellationToken ct)
    {
        desk.Entry(c, kind, $"{db.CurrentUser.DisplayName} {text}");
        await db.SaveChangesAsync(ct);
    }

    public async Task<(CaseParty? Party, FieldErrors Errors)> AddPartyAsync(Case c, PartyInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = CaseDesk.Blank(input.Kind) ?? "person";
        var name = CaseDesk.Blank(input.Name);
        var role = CaseDesk.Blank(input.Role);
        CaseParty? party = null;
        if (kind == "unit")
        {
            if (name is null) errors.Add(nameof(input.Name), "请填写单位名称");
            var code = CaseDesk.Blank(input.CreditCode)?.ToUpperInvariant();
            if (CreditCode.Problem(code) is { } problem) errors.Add(nameof(input.CreditCode), problem);
            if (errors.Ok) party = CaseParty.Unit(c, name!, code!, role, desk.Now);
        }
        else if (kind == "person")
        {
            KeyPersonRecord? known = null;
            if (input.KeyPersonId is { } kid && (known = await ledger.FindAsync(kid, ct)) is null)
                errors.Add(nameof(input.KeyPersonId), "重点人员不存在或不在您的管辖范围内");
            name ??= known?.Name;
            if (name is null) errors.Add(nameof(input.Name), "请填写当事人姓名");
            string? plain = null;
            if (CaseDesk.Blank(input.IdNumber) is { } text)
            {
                if (IdNumber.Problem(text, desk.Today) is { } problem) errors.Add(nameof(input.IdNumber), problem);
                else plain = IdNumber.Normalize(text);
            }
            if (errors.Ok)
            {
                party = plain is not null
                    ? CaseParty.Person(c, name!, known?.Id, ids.Protect(plain), await ids.HashAsync(plain, ct), IdNumber.Last4(plain), role, desk.Now)
                    : CaseParty.Person(c, name!, known?.Id, known?.IdNumberProtected, known?.IdNumberHash, known?.IdNumberLast4, role, desk.Now);
            }
        }
        else errors.Add(nameof(input.Kind), "当事人类型只能是 person（自然人）或 unit（单位）");
        if (party is null) return (null, errors);
        db.Add(party);
        await SaveAsync(c, "party", $"列为当事人：{party.Name}" + (party.KeyPersonId is null ? "" : "（重点人员）"), ct);
        return (party, errors);
    }

    /// <summary>
    /// Parties become key persons, the office confirming (案不漏人): a person party with an ID number is put on the ledger
    /// (or linked to the entry that has the number) under the case's township, the case number as the prior case.
    /// </summary>
    public async Task<(Guid? KeyPersonId, FieldErrors Errors)> EnrolAsync(Case c, Guid partyId, KeyPersonEnrolInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var party = await db.Set<CaseParty>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(p => p.Id == partyId && p.CaseId == c.Id, ct);
        if (party is null) errors.Add(nameof(partyId), "本案没有这个当事人");
        else if (party.Kind != "person") errors.Add(nameof(partyId), "单位不能列入重点人员台账");
        else if (party.KeyPersonId is not null) errors.Add(nameof(partyId), $"{party.Name} 已在重点人员台账");
        else if (party.IdNumberProtected is null || party.IdNumberHash is null || party.IdNumberLast4 is null)
            errors.Add(nameof(partyId), $"{party.Name} 没有登记身份证号，不能列入重点人员台账；请先核实身份");
        var level = CaseDesk.Blank(input.ControlLevel) ?? "重点";
        if (!errors.Ok) return (null, errors);
        var history = $"{CaseTypes.Names.GetValueOrDefault(c.Type, c.Type)}案件当事人（{c.Number}）；户籍地暂按案发乡镇登记，请核实";
        var (id, registered, problems) = await ledger.EnrolAsync(
            new KeyPersonEnrolment(party!.Name, party.IdNumberProtected!, party.IdNumberHash!, party.IdNumberLast4!, c.DivisionCode, history, c.Number, level), ct);
        foreach (var (field, messages) in problems)
            errors[field switch { nameof(KeyPersonEnrolment.ControlLevel) => nameof(input.ControlLevel), _ => nameof(partyId) }] = messages;
        if (id is null) return (null, errors);
        party.LinkKeyPerson(id.Value);
        await SaveAsync(c, "party", registered ? $"将当事人 {party.Name} 列入重点人员台账（{level}）" : $"当事人 {party.Name} 已在重点人员台账，与台账关联", ct);
        return (id, errors);
    }

    public async Task<FieldErrors> DismissAsync(Case c, DismissInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = CaseDesk.Blank(input.Name);
        if (input.PartyId is { } pid)
        {
            var party = await db.Set<CaseParty>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(p => p.Id == pid && p.CaseId == c.Id, ct);
            if (party is null) errors.Add(nameof(input.PartyId), "本案没有这个当事人");
            else name = party.Name;
        }
        if (name is null) errors.Add(nameof(input.Name), "请填写不列为当事人的人员姓名");
        var reason = CaseDesk.Blank(input.Reason);
        if (reason is null) errors.Add(nameof(input.Reason), "请写明排除的理由");
        if (!errors.Ok) return errors;
        db.Add(CaseDismissal.Create(c, name!, input.PartyId, reason!, db.CurrentUser.Id, desk.Now));
        await SaveAsync(c, "dismissed", input.PartyId is null ? $"排除 {name}：{reason}" : $"当事人 {name} 不列入重点人员：{reason}", ct);
        return errors;
    }

    public async Task<(CaseEvidence? Evidence, FieldErrors Errors)> AddEvidenceAsync(Case c, EvidenceInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var title = CaseDesk.Blank(input.Title);
        if (title is null) errors.Add(nameof(input.Title), "请填写证据名称");
        var by = CaseDesk.Blank(input.CollectedBy);
        if (by is null) errors.Add(nameof(input.CollectedBy), "请填写收集人");
        var place = CaseDesk.Blank(input.Place);
        if (place is null) errors.Add(nameof(input.Place), "请填写收集地点");
        var at = desk.When(errors, nameof(input.CollectedAt), "收集时间", input.CollectedAt);
        if (!errors.Ok) return (null, errors);
        var e = CaseEvidence.Create(c, title!, by!, at, place!, ClueDesk.Names(input.NamedPersons), desk.Now);
        db.Add(e);
        await SaveAsync(c, "evidence", $"登记证据：{title}（{by} 于 {ChinaTime.Format(at)} 在 {place} 收集）", ct);
        return (e, errors);
    }

    /// <summary>The evidence's file: a photo, a PDF or an MP4 video, stored once by its SHA-256, which the evidence keeps.</summary>
    public async Task<FieldErrors> AttachAsync(Case c, CaseEvidence e, IFormFile? file, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (file is null || file.Length == 0) errors.Add("File", "请选择文件");
        else if (file.Length > MaxFileBytes) errors.Add("File", $"文件不能超过 {MaxFileBytes / 1024 / 1024} MB");
        else if (e.StoredFileId is not null) errors.Add("File", "该证据已有文件；如需更换，请撤回后重新登记");
        if (!errors.Ok) return errors;
        var bytes = await UploadBytes.ReadAsync(file!, ct);
        var type = Images.Type(bytes) ?? (bytes.AsSpan().StartsWith("%PDF"u8) ? "application/pdf"
            : bytes.Length > 12 && bytes.AsSpan(4, 4).SequenceEqual("ftyp"u8) ? "video/mp4" : null);
        if (type is null)
        {
            errors.Add("File", "只能上传照片（JPEG、PNG、WebP）、PDF 或 MP4 视频");
            return errors;
        }
        var name = Path.GetFileName(file!.FileName);
        if (name.Length > 200) name = name[^200..];
        var id = await db.StoreAsync(bytes, type, name, ct);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        e.Attach(id, name, type, sha);
        await SaveAsync(c, "evidence-file", $"上传证据文件：{e.Title}（{name}，SHA-256 {sha[..12]}…）", ct);
        return errors;
    }

    public async Task<FieldErrors> HandOverAsync(Case c, CaseEvidence e, CustodyInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var to = CaseDesk.Blank(input.ToHolder);
        if (to is null) errors.Add(nameof(input.ToHolder), "请填写接收人");
        if (!errors.Ok) return errors;
        var from = e.Holder;
        e.HandTo(to!);
        db.Add(CaseCustody.Create(e, from, to!, CaseDesk.Blank(input.Note), db.CurrentUser.Id, desk.Now));
        await SaveAsync(c, "custody", $"证据交接：{e.Title} 由 {from} 交 {to}", ct);
        return errors;
    }

    public async Task<FieldErrors> WithdrawAsync(Case c, CaseEvidence e, ReasonInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = CaseDesk.Blank(input.Reason);
        if (reason is null) errors.Add(nameof(input.Reason), "请写明撤回证据的理由");
        if (!errors.Ok) return errors;
        e.Withdraw(reason!, desk.Now);
        await SaveAsync(c, "evidence-withdrawn", $"撤回证据：{e.Title}（{reason}）", ct);
        return errors;
    }

    public async Task<(CaseSeizure? Seizure, FieldErrors Errors)> AddSeizureAsync(Case c, SeizureInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = CaseDesk.Blank(input.Kind);
        if (kind is null || !CaseViews.SeizureKinds.ContainsKey(kind))
            errors.Add(nameof(input.Kind), "财物类别只能是 " + string.Join("、", CaseViews.SeizureKinds.Select(k => $"{k.Key}（{k.Value}）")));
        var description = CaseDesk.Blank(input.Description);
        if (description is null) errors.Add(nameof(input.Description), "请填写财物名称和特征");
        if (input.Weight is { } w)
        {
            if (w is not (>= 0 and <= 1e9)) errors.Add(nameof(input.Weight), "重量须为不小于 0 的数");
            if (CaseDesk.Blank(input.Unit) is not ("kg" or "千克" or "公斤")) errors.Add(nameof(input.Unit), "重量单位须为千克（kg）");
        }
        else if (kind == "ore") errors.Add(nameof(input.Weight), "矿产品须填写重量（千克）");
        if (input.ValueYuan is { } v && v is not (>= 0 and <= 1e11)) errors.Add(nameof(input.ValueYuan), "价值须为不小于 0 的元数");
        var valuedBy = CaseDesk.Blank(input.ValuedBy);
        if (input.ValueYuan is not null && valuedBy is null) errors.Add(nameof(input.ValuedBy), "请写明估价方式（价格认定、市场询价等）");
        var plate = CaseDesk.Blank(input.Plate)?.ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("·", "", StringComparison.Ordinal);
        if (kind == "vehicle" && plate is null) errors.Add(nameof(input.Plate), "车辆须填写号牌");
        else if (plate is not null && !PlatePattern().IsMatch(plate)) errors.Add(nameof(input.Plate), "车辆号牌格式不正确，如 豫C12345");
        if (input.Quantity is < 0) errors.Add(nameof(input.Quantity), "数量不能为负数");
        var storage = CaseDesk.Blank(input.StoragePlace);
        if (storage is null) errors.Add(nameof(input.StoragePlace), "请填写存放地点");
        var keeper = CaseDesk.Blank(input.Keeper);
        if (keeper is null) errors.Add(nameof(input.Keeper), "请填写保管人");
        if (!errors.Ok) return (null, errors);
        var s = CaseSeizure.Create(c, kind!, description!, input.Weight, input.ValueYuan, valuedBy, plate, input.Quantity, storage!, keeper!,
            ClueDesk.Names(input.NamedPersons), desk.Now);
        db.Add(s);
        await SaveAsync(c, "seizure", $"登记涉案财物：{CaseViews.SeizureKinds[kind!]} {description}"
            + (input.Weight is { } kg ? $"，{kg:0.##} 千克" : "") + (input.ValueYuan is { } y ? $"，估值 {y:0.##} 元（{valuedBy}）" : "")
            + (plate is null ? "" : $"，号牌 {plate}") + $"，存放于 {storage}，保管人 {keeper}", ct);
        return (s, errors);
    }

    public async Task<FieldErrors> DisposeAsync(Case c, CaseSeizure s, DisposalInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var disposal = CaseDesk.Blank(input.Disposal);
        if (disposal is null || !CaseViews.Disposals.ContainsKey(disposal))
            errors.Add(nameof(input.Disposal), "处置方式只能是 " + string.Join("、", CaseViews.Disposals.Select(k => $"{k.Key}（{k.Value}）")));
        var on = desk.Today;
        if (CaseDesk.Blank(input.DisposedOn) is { } text && CalendarDate.Problem("处置日期", text, out on) is { } problem) errors.Add(nameof(input.DisposedOn), problem);
        var document = CaseDesk.Blank(input.Document);
        if (document is null) errors.Add(nameof(input.Document), "请填写处置依据的文书（文号）");
        if (!errors.Ok) return errors;
        s.Dispose(disposal!, on, document!);
        await SaveAsync(c, "disposed", $"处置涉案财物：{s.Description} {CaseViews.Disposals[disposal!]}（{on:yyyy-MM-dd}，{document}）", ct);
        return errors;
    }

    /// <summary>The full ID number of a party, for the office and the case's officers: audited, never cached.</summary>
    public string? RevealIdNumber(Case c, CaseParty p)
    {
        if (p.IdNumberProtected is not { } protectedId) return null;
        db.AuditRead(nameof(CaseParty), p.Id.ToString(), c.DivisionCode, $"查看案件 {c.Number} 当事人 {p.Name} 的完整身份证号");
        return ids.Unprotect(protectedId);
    }

    /// <summary>
    /// 人不漏案、案不漏人: persons named in a case's clues, evidence (not withdrawn) or seized-property records who are neither a
    /// party nor dismissed with a reason; and persons who are parties of a closed theft case, neither on the key-person
    /// ledger nor dismissed. Over the caller's cases of the county (or their whole scope), or one case (its page).
    /// </summary>
    public async Task<List<CaseGap>> GapsAsync(string? county, CancellationToken ct, Guid? caseId = null)
    {
        var cases = db.Set<Case>().AsNoTracking();
        if (county is not null) cases = cases.Where(c => c.CountyCode == county);
        if (caseId is { } one) cases = cases.Where(c => c.Id == one);
        var rows = await cases.OrderBy(c => c.FiledUtc).ThenBy(c => c.Id).Select(c => new { c.Id, c.Number, c.Type, c.Stage }).ToListAsync(ct);
        var caseIds = rows.Select(r => r.Id).ToList();
        var exit = ScopeExit.ChildrenOfVisible;
        var clueLinks = await db.Set<CaseLink>().Beyond(exit).Where(l => l.Kind == "clue" && caseIds.Contains(l.CaseId)).Select(l => new { l.CaseId, l.TargetId }).ToListAsync(ct);
        var clueIds = clueLinks.Select(l => l.TargetId).ToList();
        var clueNames = await db.Set<Clue>().Beyond(ScopeExit.LinkedLabel).Where(x => clueIds.Contains(x.Id) && x.NamedPersons != null)
            .ToDictionaryAsync(x => x.Id, x => x.NamedPersons!, ct);
        var evidence = await db.Set<CaseEvidence>().Beyond(exit).Where(e => caseIds.Contains(e.CaseId) && e.WithdrawnUtc == null && e.NamedPersons != null)
            .Select(e => new { e.CaseId, e.NamedPersons }).ToListAsync(ct);
        var seizures = await db.Set<CaseSeizure>().Beyond(exit).Where(e => caseIds.Contains(e.CaseId) && e.NamedPersons != null)
            .Select(e => new { e.CaseId, e.NamedPersons }).ToListAsync(ct);
        var parties = (await db.Set<CaseParty>().Beyond(exit).AsNoTracking().Where(p => caseIds.Contains(p.CaseId)).ToListAsync(ct)).ToLookup(p => p.CaseId);
        var dismissals = (await db.Set<CaseDismissal>().Beyond(exit).AsNoTracking().Where(p => caseIds.Contains(p.CaseId)).ToListAsync(ct)).ToLookup(p => p.CaseId);
        var hashes = parties.SelectMany(g => g).Select(p => p.IdNumberHash).OfType<string>().Distinct().ToList();
        var onLedger = await ledger.OnLedgerAsync(hashes, ct);

        var named = new Dictionary<Guid, List<(string Name, string Where)>>();
        void Add(Guid caseId, string? text, string where)
        {
            foreach (var n in ClueDesk.SplitNames(text))
                (named.TryGetValue(caseId, out var list) ? list : named[caseId] = []).Add((n, where));
        }
        foreach (var l in clueLinks) Add(l.CaseId, clueNames.GetValueOrDefault(l.TargetId), "线索");
        foreach (var e in evidence) Add(e.CaseId, e.NamedPersons, "证据");
        foreach (var s in seizures) Add(s.CaseId, s.NamedPersons, "涉案财物");

        var gaps = new List<CaseGap>();
        foreach (var c in rows)
        {
            var covered = parties[c.Id].Select(p => p.Name).Concat(dismissals[c.Id].Where(d => d.PartyId == null).Select(d => d.Name)).ToHashSet();
            if (named.TryGetValue(c.Id, out var list))
                foreach (var g in list.Where(x => !covered.Contains(x.Name)).GroupBy(x => x.Name))
                    gaps.Add(new CaseGap(c.Id, c.Number, g.Key, $"{string.Join("、", g.Select(x => x.Where).Distinct())}中提到，未列为当事人，也未写明排除理由"));
            if (c.Stage != CaseStage.Closed || !CaseTypes.IsTheft(c.Type)) continue;
            var excused = dismissals[c.Id].Where(d => d.PartyId != null).Select(d => d.PartyId!.Value).ToHashSet();
            foreach (var p in parties[c.Id].Where(p => p.Kind == "person" && p.KeyPersonId is null && !excused.Contains(p.Id)
                                                         && (p.IdNumberHash is null || !onLedger.Contains(p.IdNumberHash))))
                gaps.Add(new CaseGap(c.Id, c.Number, p.Name, "盗采案件已结案，当事人未列入重点人员库，也未写明理由"));
        }
        return gaps;
    }

    [GeneratedRegex(@"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{4,6}[挂学警]?$")]
    private static partial Regex PlatePattern();
}

/// <summary>统一社会信用代码 (GB 32100-2015): 18 characters of 0-9 and A-Z without I, O, S, V, Z, the last a MOD 31 check character.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static string? Problem(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "请填写统一社会信用代码";
        if (code.Length != 18) return "统一社会信用代码应为 18 位";
        if (code.Any(ch => !Alphabet.Contains(ch))) return "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）";
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(code[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31] == code[17] ? null : "统一社会信用代码校验位不正确";
    }

    /// <summary>A valid code from its first 17 characters (tests and demo data).</summary>
    public static string Complete(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return first17 + Alphabet[(31 - sum % 31) % 31];
    }
}
