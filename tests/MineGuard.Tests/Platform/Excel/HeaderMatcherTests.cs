using MineGuard.Features.Imports;
using MineGuard.Platform.Excel;

namespace MineGuard.Tests.Platform.Excel;

/// <summary>Offices' own column names, matched to the adit ledger's fields.</summary>
public sealed class HeaderMatcherTests
{
    private static readonly IReadOnlyList<SheetField> Fields = AditLedger.AditFields;

    [Theory]
    [InlineData("经度（度）", "经度")]
    [InlineData(" 编 号* ", "编号")]
    [InlineData("Ｘ坐标", "x坐标")]
    [InlineData("高程(m)", "高程")]
    [InlineData("【备注】", "备注")]
    [InlineData("乡/镇", "乡镇")]
    [InlineData("Longitude", "longitude")]
    public void Headers_are_normalised(string header, string expected) => Assert.Equal(expected, HeaderMatcher.Normalize(header));

    [Fact]
    public void An_office_ledger_with_unfamiliar_headers_maps_itself()
    {
        string[] headers = ["序号", "所在乡镇", "东经", "北纬", "是否封堵", "封堵方式", "封堵时间", "包保责任人", "填表人"];
        var match = HeaderMatcher.Match(headers, Fields);
        // 序号 counts the rows: it is never the adit's number.
        Assert.Equal<IEnumerable<string?>>([null, "Township", "Lon", "Lat", "SealState", "SealMethod", "SealedOn", "Responsible", null], match.Fields);
        Assert.Equal([0, 8], match.UnmatchedColumns);
        Assert.Empty(match.MissingRequired);
    }

    [Fact]
    public void Better_names_win_and_each_field_takes_one_column()
    {
        string[] headers = ["序号", "矿硐编号", "X", "Y", "矿硐所在乡镇名称", "经度（度）", "坐标类型"];
        var match = HeaderMatcher.Match(headers, Fields);
        // 矿硐编号 is the number, never the row count (序号); 经度 is a better name than X.
        Assert.Equal<IEnumerable<string?>>([null, "Number", null, "Lat", "Township", "Lon", "Crs"], match.Fields);
    }

    [Fact]
    public void Required_fields_without_a_column_are_named()
    {
        var match = HeaderMatcher.Match(["编号", "名称", "备注"], Fields);
        Assert.Equal(["乡镇", "经度", "纬度"], match.MissingRequired.Select(f => f.Header));
    }

    [Fact]
    public void A_title_row_above_the_header_is_skipped()
    {
        List<SheetRow> rows =
        [
            new(1, ["嵩县废弃矿硐排查台账（2024年）"]),
            new(2, ["填报单位：嵩县自然资源局", "", "", "日期：2024-10-01"]),
            new(3, ["序号", "乡镇", "经度", "纬度"]),
            new(4, ["1", "城关镇", "112.05", "34.13"]),
        ];
        Assert.Equal(2, HeaderMatcher.FindHeader(rows, Fields));
    }

    [Fact]
    public void A_header_over_two_rows_is_read_as_one_but_a_data_row_never_joins_it()
    {
        List<SheetRow> twoRows =
        [
            new(1, ["序号", "乡镇", "硐口坐标", "", "封堵情况", "", ""]),
            new(2, ["", "", "东经", "北纬", "是否封堵", "方式", "时间"]),
            new(3, ["1", "城关镇", "112.05", "34.13", "否", "", ""]),
        ];
        var header = HeaderMatcher.FindHeaderRows(twoRows, Fields);
        Assert.Equal(2, header.Row);
        Assert.Equal(["序号", "乡镇", "硐口坐标/东经", "硐口坐标/北纬", "封堵情况/是否封堵", "封堵情况/方式", "封堵情况/时间"], header.Headers);
        Assert.Equal<IEnumerable<string?>>([null, "Township", "Lon", "Lat", "SealState", null, null], header.Match.Fields);

        // A one-row header keeps its row even when the next row (data without numbers) is text only.
        List<SheetRow> oneRow =
        [
            new(1, ["编号", "乡镇", "经度", "纬度", "备注"]),
            new(2, ["SX-1", "城关镇", "112度03分04秒", "34度07分08秒", "乡镇已核实"]),
        ];
        var single = HeaderMatcher.FindHeaderRows(oneRow, Fields);
        Assert.Equal((1, "备注"), (single.Row, single.Headers[4]));
        Assert.Equal<IEnumerable<string?>>(["Number", "Township", "Lon", "Lat", "Description"], single.Match.Fields);
    }
}
