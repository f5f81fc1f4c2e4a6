namespace MineGuard.Tests.Features.KeyPersons;

/// <summary>
/// Made-up ID numbers that pass GB 11643-1999, computed here from the standard's definition (ISO 7064 MOD 11-2:
/// weight 2^(17-i) mod 11, check value (12 - sum mod 11) mod 11, 10 written X), independently of the code under test.
/// Never real people's numbers: the date and sequence come from a counter, unique within a test run.
/// </summary>
internal static class TestIds
{
    private static readonly DateOnly FirstBirthDate = new(1950, 1, 1);
    private const int Days = 18_000; // up to 1999

    private static int counter = Random.Shared.Next(0, Days * 900);

    /// <summary>A fresh valid number in the region (嵩县 by default).</summary>
    public static string Next(string region = "410325")
    {
        var n = Interlocked.Increment(ref counter);
        return Make(region, FirstBirthDate.AddDays(n % Days), n / Days % 1000);
    }

    /// <summary>A fresh valid number whose check character is X.</summary>
    public static string NextEndingInX(string region = "410325")
    {
        while (true)
        {
            var id = Next(region);
            if (id[17] == 'X') return id;
        }
    }

    public static string Make(string region, DateOnly born, int sequence)
    {
        var first17 = $"{region}{born:yyyyMMdd}{sequence:D3}";
        return first17 + Check(first17);
    }

    public static char Check(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * (int)(Math.Pow(2, 17 - i) % 11);
        var value = (12 - sum % 11) % 11;
        return value == 10 ? 'X' : (char)('0' + value);
    }

    /// <summary>The same number with a different (so wrong) check character.</summary>
    public static string WithWrongCheck(string id) => id[..17] + (id[17] == '0' ? '1' : '0');
}
