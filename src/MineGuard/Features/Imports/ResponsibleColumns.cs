using MineGuard.Platform.Excel;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// The 包保责任人 columns a ledger of places has (adits, mines): name, 联系电话, and the unit and post a new person is
/// recorded with. The row's person is found or made by <see cref="CountyPeople"/>; a kind only says where the place is.
/// </summary>
public static class ResponsibleColumns
{
    /// <summary>The name column's key: the adit form's input property, so its errors read the same.</summary>
    public const string Name = "Responsible";
    public const string Phone = "ResponsiblePhone";
    public const string Unit = "ResponsibleUnit";
    public const string Post = "ResponsiblePost";

    public static readonly IReadOnlyList<SheetField> Fields =
    [
        new(Name, "包保责任人", false, ["责任人", "包保人", "监管责任人", "责任人姓名", "包保责任人姓名", "responsible"]),
        new(Phone, "联系电话", false,
            ["包保责任人电话", "包保责任人联系电话", "责任人电话", "责任人联系电话", "责任人手机", "电话", "手机", "手机号", "手机号码", "联系方式", "phone", "mobile"]),
        new(Unit, "责任人单位", false, ["包保责任人单位", "包保单位", "单位", "工作单位"]),
        new(Post, "责任人职务", false, ["包保责任人职务", "职务", "职位"]),
    ];

    /// <summary>The template's example values, in <see cref="Fields"/> order.</summary>
    public static readonly IReadOnlyList<object?> Example = ["王敏", "13812345678", "城关镇人民政府", "包村干部"];

    public const string Hint = "包保责任人填姓名和联系电话：按电话找本县责任人名录中的人员（没有电话时按姓名，也可填系统用户名），找不到的按本行新建为责任人";

    public static double? ColumnWidth(string key) => key switch
    {
        Name => 16,
        Phone or Post => 14,
        Unit => 20,
        _ => null,
    };

    /// <summary>Who the row names (null: nobody, or an error under the row's name or phone column).</summary>
    public static LedgerPerson? Match(CountyPeople people, LedgerRow row, FieldErrors errors) =>
        people.Match(row[Name], row[Phone], errors, Name, Phone);

    /// <summary>The accepted row's person and account, and the new person to insert with the row (first row only).</summary>
    public static (Guid? PersonId, Guid? UserId, NewPerson? Created) Accept(CountyPeople people, LedgerPerson? match, LedgerRow row, string divisionCode) =>
        match is null ? (null, null, null) : people.Accept(match, row.Number, divisionCode, row[Unit], row[Post]);
}
