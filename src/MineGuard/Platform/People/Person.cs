using System.Text;
using System.Text.RegularExpressions;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.People;

/// <summary>
/// 责任人: a person who answers for a place or a piece of work — a 包保责任人, village secretary, township cadre, grid
/// member, a mine's safety officer — with or without a log-in. The offices' ledgers name thousands of cadres who will never
/// log in and must still get the SMS, so a person is a record of their own; <see cref="UserId"/> links an account when
/// they have one. The phone is personal data: shown masked to those who do not manage people.
/// </summary>
public sealed class Person : IInJurisdiction
{
    private Person() { }

    public Guid Id { get; private set; }

    /// <summary>Where the person answers (their village, township or county).</summary>
    public string DivisionCode { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>Normalised: 11 digits for a mobile, 0 + area code + number for a landline.</summary>
    public string Phone { get; private set; } = "";

    /// <summary>单位, e.g. 陶村林场 or 黄庄村村委会.</summary>
    public string? Unit { get; private set; }

    /// <summary>职务, e.g. 村支部书记, 包村干部, 网格员.</summary>
    public string? Post { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The person's log-in, when they have one.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>Set when this record was merged into another (same person entered twice); merged records are kept.</summary>
    public Guid? MergedIntoId { get; private set; }

    /// <summary>
    /// The ledger import (<see cref="Imports.ImportBatch"/>) that created this record from a row naming a new 包保责任人;
    /// undoing that import removes the record unless something else has come to name it since.
    /// </summary>
    public Guid? ImportBatchId { get; private set; }

    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }
    public bool IsDemo { get; private set; }

    public static Person Create(string divisionCode, string name, string phone, string? unit, string? post, string? note, Guid? userId,
        DateTime nowUtc, bool isDemo = false) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Name = name, Phone = phone, Unit = unit, Post = post, Note = note,
        UserId = userId, CreatedUtc = nowUtc, UpdatedUtc = nowUtc, IsDemo = isDemo,
    };

    /// <summary>A person (no account) a ledger row names for the first time, created by the import batch.</summary>
    public static Person FromLedger(Guid id, string divisionCode, string name, string phone, string? unit, string? post, Guid importBatchId,
        DateTime nowUtc) => new()
    {
        Id = id, DivisionCode = divisionCode, Name = name, Phone = phone, Unit = unit, Post = post, ImportBatchId = importBatchId,
        CreatedUtc = nowUtc, UpdatedUtc = nowUtc,
    };

    public void Update(string divisionCode, string name, string phone, string? unit, string? post, string? note, DateTime nowUtc)
    {
        Rule.Check(MergedIntoId is null, "PersonMerged", "该人员已合并到另一条记录，请修改合并后的记录");
        (DivisionCode, Name, Phone, Unit, Post, Note, UpdatedUtc) = (divisionCode, name, phone, unit, post, note, nowUtc);
    }

    /// <summary>Gives the person a log-in made for them (the account's user id).</summary>
    public void LinkAccount(Guid userId, DateTime nowUtc)
    {
        Rule.Check(MergedIntoId is null, "PersonMerged", "该人员已合并到另一条记录，请在合并后的记录上开通账号");
        Rule.Check(UserId is null, "PersonHasAccount", "该人员已有登录账号");
        (UserId, UpdatedUtc) = (userId, nowUtc);
    }

    /// <summary>Records that this is the same person as <paramref name="into"/>, which keeps the name, phone and account.</summary>
    public void MergeInto(Person into, DateTime nowUtc)
    {
        Rule.Check(into.Id != Id, "PersonMergeSelf", "不能把人员合并到自己");
        Rule.Check(MergedIntoId is null && into.MergedIntoId is null, "PersonMerged", "其中一条记录已合并过，请选未合并的记录");
        Rule.Check(into.DivisionCode.Length >= 6 && DivisionCode.StartsWith(into.DivisionCode[..6], StringComparison.Ordinal),
            "PersonMergeCounty", "只能合并同一县（市）的人员记录");
        Rule.Check(UserId is null || into.UserId is null || UserId == into.UserId, "PersonMergeAccounts", "两条记录各有不同的登录账号，不能合并");
        into.UserId ??= UserId;
        MergedIntoId = into.Id;
        UpdatedUtc = into.UpdatedUtc = nowUtc;
    }
}

/// <summary>Chinese phone numbers as people write them: normalised for storage and matching, masked for display.</summary>
public static partial class PhoneNumber
{
    /// <summary>
    /// A mobile (1[3-9] + 9 digits) or a landline (0 + 2–3 digit area code + 7–8 digits), from what people type:
    /// spaces, dashes, brackets, full-width digits, a +86 / 0086 prefix.
    /// </summary>
    public static bool TryNormalize(string? raw, out string phone)
    {
        phone = "";
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var digits = new StringBuilder();
        foreach (var ch in raw.Trim())
        {
            var c = ch is >= '０' and <= '９' ? (char)(ch - '０' + '0') : ch;
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c is not (' ' or '-' or '(' or ')' or '（' or '）' or '+' or '－' or '　')) return false;
        }
        var d = digits.ToString();
        if (d.StartsWith("0086", StringComparison.Ordinal)) d = d[4..];
        else if (d.StartsWith("86", StringComparison.Ordinal) && d.Length == 13) d = d[2..];
        if (!Mobile().IsMatch(d) && !Landline().IsMatch(d)) return false;
        phone = d;
        return true;
    }

    /// <summary>138****1111; a landline keeps its area code and last four digits.</summary>
    public static string Mask(string phone) =>
        phone.Length <= 7 ? new string('*', phone.Length) : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{9,11}$")]
    private static partial Regex Landline();
}
