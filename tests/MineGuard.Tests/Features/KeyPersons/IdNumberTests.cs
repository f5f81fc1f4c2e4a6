using MineGuard.Platform.People;
using MineGuard.Features.KeyPersons;

namespace MineGuard.Tests.Features.KeyPersons;

public sealed class IdNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 2);

    [Fact]
    public void Generated_numbers_pass_and_their_check_character_matches_the_standard()
    {
        for (var i = 0; i < 500; i++)
        {
            var id = TestIds.Next(i % 2 == 0 ? "410325" : "431281");
            Assert.Null(IdNumber.Problem(id, Today));
            Assert.Equal(id[17], IdNumber.CheckCharacter(id.AsSpan(0, 17)));
        }
    }

    [Fact]
    public void The_check_character_can_be_X_and_is_accepted_in_lower_case_and_full_width()
    {
        var id = TestIds.NextEndingInX();
        Assert.True(IdNumber.IsValid(id, Today));
        var lower = id[..17] + "x";
        Assert.True(IdNumber.IsValid(lower, Today));
        Assert.Equal(id, IdNumber.Normalize(lower));
        var fullWidth = string.Concat(id.Select(c => c == 'X' ? 'Ｘ' : (char)(c - '0' + '０')));
        Assert.True(IdNumber.IsValid(" " + fullWidth + "　", Today));
        Assert.Equal(id, IdNumber.Normalize(fullWidth));
    }

    [Fact]
    public void A_wrong_check_character_is_named_as_such()
    {
        var id = TestIds.Next();
        Assert.Equal("身份证号校验位不正确", IdNumber.Problem(TestIds.WithWrongCheck(id), Today));
    }

    [Fact]
    public void Swapping_two_different_neighbouring_digits_is_caught()
    {
        var id = TestIds.Make("410325", new DateOnly(1978, 3, 14), 527);
        // Swap within the sequence (positions 15 and 16), which leaves region and date intact.
        var swapped = id[..14] + id[15] + id[14] + id[16..];
        Assert.NotEqual(id, swapped);
        Assert.Equal("身份证号校验位不正确", IdNumber.Problem(swapped, Today));
    }

    [Theory]
    [InlineData("19990230")] // no such day
    [InlineData("19991301")] // no such month
    [InlineData("18991231")] // before 1900
    [InlineData("20261103")] // after today
    public void An_impossible_birth_date_is_refused(string date)
    {
        var first17 = "410325" + date + "123";
        var id = first17 + TestIds.Check(first17);
        Assert.Equal("身份证号中的出生日期（第 7–14 位）无效", IdNumber.Problem(id, Today));
    }

    [Fact]
    public void Born_today_is_allowed()
    {
        var first17 = "410325" + "20261102" + "001";
        Assert.True(IdNumber.IsValid(first17 + TestIds.Check(first17), Today));
    }

    [Theory]
    [InlineData("000000")]
    [InlineData("990101")] // no province 99
    [InlineData("410025")] // city part 00 on the mainland
    [InlineData("810101")] // Hong Kong permits are 810000
    public void A_region_that_cannot_have_issued_the_number_is_refused(string region)
    {
        var id = TestIds.Make(region, new DateOnly(1980, 5, 6), 42);
        Assert.Equal("身份证号前 6 位不是有效的行政区划代码", IdNumber.Problem(id, Today));
    }

    [Theory]
    [InlineData("441900")] // 东莞: a city without counties
    [InlineData("810000")] // residence permit of a Hong Kong resident
    [InlineData("110101")]
    public void Unusual_but_real_regions_are_accepted(string region) =>
        Assert.True(IdNumber.IsValid(TestIds.Make(region, new DateOnly(1980, 5, 6), 42), Today));

    [Theory]
    [InlineData(null, "请填写身份证号")]
    [InlineData("   ", "请填写身份证号")]
    [InlineData("41032519800506004", "身份证号应为 18 位")]
    [InlineData("4103251980050600411", "身份证号应为 18 位")]
    [InlineData("410325800506004", "这是 15 位的旧身份证号，请填写 18 位的身份证号")]
    [InlineData("41032519800506A041", "身份证号前 17 位应为数字，最后一位为数字或 X")]
    [InlineData("41032519800506004Y", "身份证号前 17 位应为数字，最后一位为数字或 X")]
    public void Malformed_input_gets_a_message_saying_what_is_wrong(string? text, string message) =>
        Assert.Equal(message, IdNumber.Problem(text, Today));

    [Fact]
    public void Birth_date_and_last_four_are_read_from_the_number()
    {
        var id = TestIds.Make("410325", new DateOnly(1968, 12, 31), 7);
        Assert.Equal(new DateOnly(1968, 12, 31), IdNumber.BirthDate(id));
        Assert.Equal(id[14..], IdNumber.Last4(id));
    }
}
