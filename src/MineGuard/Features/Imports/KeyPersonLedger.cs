using MineGuard.Platform.People;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// 重点人员台账: the key person ledger. A row is checked by <see cref="KeyPersonCommands.ValidateAndCreateAsync(KeyPersonInput, Guid?, bool, JurisdictionScope, CancellationToken)"/>,
/// exactly as the form checks it, so the messages are the form's; a number repeated within the file is caught there
/// as well (the accepted rows stay in the context until the pass is over). Sensitive: only the office and the police
/// may import (<see cref="CanUse"/>), the ID number is masked wherever a row is kept or shown (<see cref="Shown"/>),
/// and the uploaded file is deleted once the session is closed (<see cref="KeepsFile"/>).
/// </summary>
public sealed partial class KeyPersonLedger : LedgerKind
{
    /// <summary>The ledger's 乡镇 and 村 columns; the form has one home division, which they are combined into.</summary>
    public const string Township = "Township", Village = "Village";

    private const string IdKey = nameof(KeyPersonInput.IdNumber);

    public static readonly IReadOnlyList<SheetField> KeyPersonFields =
    [
        new(nameof(KeyPersonInput.Name), "姓名", true, ["人员姓名", "名字", "name"]),
        new(IdKey, "身份证号", true, ["公民身份号码", "身份证", "身份证号码", "证件号码", "身份证件号码", "id number", "id"]),
        new(nameof(KeyPersonInput.Phone), "联系电话", false, ["手机", "电话", "手机号", "手机号码", "联系方式", "phone"]),
        new(Township, "乡镇", true, ["所在乡镇", "乡镇名称", "所属乡镇", "户籍乡镇", "township", "town"]),
        new(Village, "村", false, ["所在村", "住址村", "行政村", "村名", "所属村", "village"]),
        new(nameof(KeyPersonInput.Address), "住址", false, ["家庭住址", "详细住址", "现住址", "address"]),
        new(nameof(KeyPersonInput.History), "从业经历", false, ["涉矿经历", "从业情况", "history"]),
        new(nameof(KeyPersonInput.PriorCases), "前科", false, ["违法记录", "前科情况", "违法犯罪记录", "prior cases"]),
        new(nameof(KeyPersonInput.ControlLevel), "管控等级", true, ["等级", "管控级别", "level"]),
        new(nameof(KeyPersonInput.Plates), "常用车辆", false, ["车牌", "车牌号", "车牌号码", "常用车牌", "车辆", "plates", "plate"]),
    ];

    public override string Kind => "key-persons";

    public override string Noun => "重点人员";

    public override IReadOnlyList<SheetField> Fields => KeyPersonFields;

    private static readonly IReadOnlyList<ValueColumn> KeyPersonValues =
    [
        new(nameof(KeyPersonInput.ControlLevel), [.. KeyPersonNames.Levels.Values], t => KeyPersonChecks.TryParseLevel(t, out _)),
    ];

    public override IReadOnlyList<ValueColumn> ValueColumns => KeyPersonValues;

    public override IReadOnlyList<object?> Example =>
    [
        "示例", "410325199001010000", "13800000000", "城关镇", null, "城关镇某村某组", "曾在某矿从事井下作业", null, "一般", "豫C12345",
    ];

    public override double ColumnWidth(string key) => key switch
    {
        IdKey => 22,
        nameof(KeyPersonInput.Address) or nameof(KeyPersonInput.History) or nameof(KeyPersonInput.PriorCases) => 30,
        nameof(KeyPersonInput.Phone) => 16,
        _ => 12,
    };

    public override bool CanUse(CurrentUser user) => user.CanSeeKeyPersons || (!user.IsAuthenticated && user.Scope.IsAll);

    /// <summary>The ID column masked whatever it holds; elsewhere, anything that looks like an ID number.</summary>
    public override string Shown(string? key, string cell)
    {
        if (key == IdKey) return cell.Length == 0 ? cell : Mask(IdNumber.Normalize(cell));
        return LooksLikeId().Replace(cell, m => Mask(m.Value));
    }

    public override bool KeepsFile => false;

    /// <summary>"**************1234": the last four characters, as the lists show them.</summary>
    public static string Mask(string text) => KeyPersonQueries.Mask(text.Length >= 4 ? text[^4..] : "");

    [GeneratedRegex("(?<![0-9])[0-9]{15}(?:[0-9]{2}[0-9Xx])?(?![0-9])")]
    private static partial Regex LooksLikeId();

    public override async Task<LedgerRun> StartAsync(AppDbContext db, Division county, JurisdictionScope scope, bool commit, CancellationToken ct)
    {
        var commands = new KeyPersonCommands(db, db.GetService<IdNumberProtection>());
        // Names are resolved in the county (or the uploader's part of it), never beyond.
        var within = scope.Contains(county.Code) ? JurisdictionScope.Of(county.Code) : scope;
        return new Run(db, commands, await CountyDivisions.LoadAsync(db, county, ct), within, commit);
    }

    public override async Task<int> UndoAsync(AppDbContext db, ImportBatch batch, CancellationToken ct)
    {
        // The batch was found in the caller's scope; its rows are its own, wherever below that they lie.
        var rows = db.Set<KeyPerson>().Beyond(ScopeExit.SystemJudgement).Where(p => p.ImportBatchId == batch.Id);
        var since = batch.ChangedAfterUtc;
        var persons = await rows.AsNoTracking().Select(p => new { p.Id, p.Name, p.UpdatedUtc }).ToListAsync(ct);
        var changed = persons.Where(p => p.UpdatedUtc > since).Select(p => p.Id).ToHashSet();
        changed.UnionWith(await db.Set<HomeVisit>().Beyond(ScopeExit.SystemJudgement)
            .Where(v => rows.Any(p => p.Id == v.KeyPersonId)).Select(v => v.KeyPersonId).ToListAsync(ct));
        changed.UnionWith(await db.Set<KeyPersonAdit>()
            .Where(l => rows.Any(p => p.Id == l.KeyPersonId)).Select(l => l.KeyPersonId).ToListAsync(ct));
        // A change that leaves UpdatedUtc alone still leaves an audit record; the import itself wrote none for its rows.
        var ids = persons.ToDictionary(p => p.Id.ToString(), p => p.Id);
        var audited = await db.AuditRecords.Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(r => r.EntityType == nameof(KeyPerson) && r.AtUtc >= since && (r.Action == "update" || r.Action == "delete"))
            .Select(r => r.EntityId).ToListAsync(ct);
        changed.UnionWith(audited.Where(ids.ContainsKey).Select(id => ids[id]));
        var names = persons.Where(p => changed.Contains(p.Id)).Select(p => p.Name).Order(StringComparer.Ordinal).Take(5).ToList();
        Rule.Check(changed.Count == 0, "ImportChangedSince",
            $"本批次导入的重点人员中有 {changed.Count} 人在导入后已有变更（如 {string.Join("、", names)}：修改、走访记录或关联矿硐），不能整批撤销；请逐个处理这些人员");
        return await rows.ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Rows are checked in <see cref="PrepareAsync"/> (the form's checks query the database) in file order; each
    /// accepted person is added to the context, which is how the next rows see it as a duplicate. A committing run's
    /// persons are saved with the batch; a checking run lets go of them in <see cref="Finish"/>.
    /// </summary>
    private sealed class Run(AppDbContext db, KeyPersonCommands commands, CountyDivisions divisions, JurisdictionScope scope, bool commit)
        : LedgerRun<KeyPerson>
    {
        private readonly Dictionary<int, (KeyPerson?, FieldErrors, string?)> results = [];

        public override async Task PrepareAsync(IReadOnlyList<LedgerRow> rows, CancellationToken ct)
        {
            results.Clear();
            foreach (var row in rows)
            {
                var (division, villageError, note) = Home(row);
                var (person, errors) = await commands.ValidateAndCreateAsync(Input(row, division), importBatchId: null, isDemo: false, scope, ct);
                errors = Columns(row, errors);
                if (villageError is not null) errors[Village] = [villageError];
                results[row.Number] = (person, errors, note);
            }
        }

        protected override (KeyPerson? Valid, FieldErrors Errors) Validate(LedgerRow row)
        {
            if (!results.Remove(row.Number, out var result)) throw new InvalidOperationException($"row {row.Number} was not prepared");
            var (person, errors, note) = result;
            if (note is not null) Note(Village, note);
            return (person, errors);
        }

        /// <summary>
        /// The home division from the ledger's 乡镇 and 村, found in the county like an adit's (a village's short name
        /// matched, the nearest names named when none): its code, or the text for the form's own lookup when the
        /// township is not the county's (its messages), or nothing with the village's error.
        /// </summary>
        private (string? Division, string? VillageError, string? Note) Home(LedgerRow row)
        {
            var (township, village) = (row[Township], row[Village]);
            var text = township is null ? village : village is null ? township : $"{township}/{village}";
            if (township is null || divisions.Find(township, DivisionLevel.Township, divisions.County.Code) is not { } found) return (text, null, null);
            if (village is null) return (found.Code, null, null);
            var matched = divisions.Village(village, found, out var error, out var note);
            return (matched?.Code, error, note);
        }

        /// <summary>Nothing to insert in bulk: the person is already in the context and is saved with the batch.</summary>
        protected override IEnumerable<object> Create(KeyPerson valid, Guid batchId)
        {
            if (!commit) throw new InvalidOperationException("a checking run creates nothing");
            db.Entry(valid).Property(p => p.ImportBatchId).CurrentValue = batchId;
            return [];
        }

        public override void Finish()
        {
            if (commit) return;
            foreach (var entry in db.ChangeTracker.Entries<KeyPerson>().Where(e => e.State == EntityState.Added).ToList())
                entry.State = EntityState.Detached;
        }

        /// <summary>The form's input, with the one home division found from the ledger's 乡镇 and 村.</summary>
        private static KeyPersonInput Input(LedgerRow row, string? division)
        {
            return new KeyPersonInput(row[nameof(KeyPersonInput.Name)], row[IdKey], row[nameof(KeyPersonInput.Phone)], division,
                row[nameof(KeyPersonInput.Address)], row[nameof(KeyPersonInput.History)], row[nameof(KeyPersonInput.PriorCases)],
                row[nameof(KeyPersonInput.ControlLevel)], row[nameof(KeyPersonInput.Plates)]);
        }

        /// <summary>The home division's errors go to the column they are about: 村 when the row names one, else 乡镇.</summary>
        private static FieldErrors Columns(LedgerRow row, FieldErrors errors)
        {
            if (!errors.TryGetValue(nameof(KeyPersonInput.Division), out var messages)) return errors;
            var result = new FieldErrors();
            foreach (var (key, list) in errors)
            {
                if (key == nameof(KeyPersonInput.Division)) continue;
                result[key] = list;
            }
            foreach (var message in messages) result.Add(row[Village] is null ? Township : Village, message);
            return result;
        }
    }
}
