using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Tests.Platform.Jurisdiction;

/// <summary>The village name matcher: the forms offices write against the statistical names, without a database.</summary>
public sealed class VillageNamesTests
{
    [Theory]
    [InlineData("黄庄村民委员会", "黄庄村")]
    [InlineData("青山村村民委员会", "青山村")]
    [InlineData("安康社区居民委员会", "安康社区")]
    [InlineData("北园社区居委会", "北园社区")]
    [InlineData("立新村委会", "立新村")]
    [InlineData("立新村村委会", "立新村")]
    [InlineData("新兴居民委员会", "新兴社区")]
    [InlineData("渔滨居委会", "渔滨社区")]
    [InlineData(" 黄庄村 ", "黄庄村")]
    [InlineData("黄 庄　村", "黄庄村")]
    [InlineData("巴彦希里嘎查", "巴彦希里嘎查")]
    [InlineData("陶村林场虚拟生活区", "陶村林场虚拟生活区")]
    public void Both_sides_come_to_one_short_form(string name, string shortForm) =>
        Assert.Equal(shortForm, VillageNames.Normalize(name));

    [Theory]
    [InlineData("黄庄", "黄庄")]
    [InlineData("黄庄村", "黄庄")]
    [InlineData("安康社区", "安康")]
    [InlineData("村", "村")]
    public void The_core_leaves_off_village_and_community(string shortForm, string core) =>
        Assert.Equal(core, VillageNames.Core(shortForm));

    [Theory]
    [InlineData("樊店村", "樊店村", 0)]
    [InlineData("樊庄村", "樊店村", 1)]
    [InlineData("樊店", "樊店村", 1)]
    [InlineData("", "樊店村", 3)]
    [InlineData("上湾村", "下湾村", 1)]
    public void Edit_distance(string a, string b, int distance) => Assert.Equal(distance, VillageNames.Distance(a, b));

    private static readonly Division Township = Division.Official("410325101", "田湖镇", DivisionLevel.Township, "410325", DateTime.UnixEpoch);

    private static VillageTable Table() => new(new (string Code, string Name)[]
    {
        ("410325101001", "凤阳社区居民委员会"), ("410325101200", "田湖村村民委员会"), ("410325101201", "樊店村村民委员会"),
        ("410325101209", "张庄村村民委员会"), ("410325101221", "毛庄村村民委员会"), ("410325101228", "屏凤庄村民委员会"),
        ("410325101229", "杨湾村民委员会"), ("410325101300", "东湾村民委员会"), ("410325101301", "东湾社区居委会"),
    }.Select(v => Division.Village(Township, v.Code, v.Name, false, DateTime.UnixEpoch)));

    [Theory]
    [InlineData("樊店村村民委员会", "410325101201", true)] // the statistical name
    [InlineData("410325101201", "410325101201", true)] // the code
    [InlineData("樊店村", "410325101201", false)]
    [InlineData("樊店村委会", "410325101201", false)]
    [InlineData("樊店", "410325101201", false)]
    [InlineData("田湖村", "410325101200", false)]
    [InlineData("屏凤庄村", "410325101228", false)]
    [InlineData("杨湾村", "410325101229", false)]
    [InlineData("凤阳社区", "410325101001", false)]
    [InlineData("凤阳居委会", "410325101001", false)]
    [InlineData("ＴＥＳＴ", null, false)]
    public void A_ledger_name_matches_one_village_of_the_township(string text, string? code, bool exact)
    {
        var match = Table().Match(text);
        Assert.Equal(code, match.Village?.Code);
        if (code is not null) Assert.Equal(exact, match.Exact);
    }

    [Fact]
    public void A_village_whose_short_form_ends_in_two_village_characters_matches_as_written()
    {
        // 李村村村民委员会 is the committee of 李村村 (the village of 李村): its short form, as offered among the nearest names, matches it.
        var table = new VillageTable([Division.Village(Township, "410325101310", "李村村村民委员会", false, DateTime.UnixEpoch),
            Division.Village(Township, "410325101311", "闫村村民委员会", false, DateTime.UnixEpoch)]);
        Assert.Equal("410325101310", table.Match("李村村").Village?.Code);
        Assert.Equal("410325101310", table.Match("李村村村委会").Village?.Code);
        Assert.Equal("410325101311", table.Match("闫村").Village?.Code);
    }

    [Fact]
    public void A_name_two_villages_share_is_refused_with_both()
    {
        // 东湾 is both 东湾村 and 东湾社区: the short forms differ, the core does not.
        Assert.Equal("410325101300", Table().Match("东湾村").Village?.Code);
        Assert.Equal("410325101301", Table().Match("东湾社区").Village?.Code);
        var both = Table().Match("东湾");
        Assert.Null(both.Village);
        Assert.Equal(["410325101300", "410325101301"], both.Several.Select(v => v.Code));
    }

    [Fact]
    public void An_unknown_name_names_the_three_nearest()
    {
        var none = Table().Match("樊庄村");
        Assert.Null(none.Village);
        Assert.Empty(none.Several);
        Assert.Equal(["樊店村", "张庄村", "毛庄村"], none.Nearest);
    }
}
