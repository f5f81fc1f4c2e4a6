using System.Collections.Frozen;
using System.Globalization;

namespace MineGuard.Platform.Auth;

/// <summary>
/// The passwords people pick first, built in code (deployments have no internet, and a list derived from rules can
/// be read and reviewed here). It follows what every published analysis of leaked password sets finds at the top
/// (the 2011 CSDN / 7k7k / Tianya leaks, SplashData's yearly lists, the NCSC 100k list): digit runs and dates,
/// keyboard walks, a small set of words and names (English and pinyin) with a digit or symbol tail, and l33t
/// spellings of those. About 30,000 exact entries plus the patterns in <see cref="Contains"/>.
/// </summary>
public static class CommonPasswords
{
    /// <summary>Words that, with digits or symbols around them, make most weak passwords.</summary>
    private static readonly string[] Words =
    [
        "password", "passwd", "passw", "pass", "pwd", "admin", "administrator", "root", "user", "test", "guest", "login",
        "qwerty", "letmein", "welcome", "iloveyou", "monkey", "dragon", "master", "shadow", "sunshine", "princess",
        "football", "baseball", "basketball", "soccer", "superman", "batman", "spiderman", "trustno1", "michael", "jordan",
        "hello", "helloworld", "freedom", "whatever", "computer", "internet", "secret", "love", "lovely", "loveyou",
        "angel", "baby", "babygirl", "sweet", "flower", "summer", "winter", "spring", "autumn", "happy", "lucky",
        "china", "beijing", "shanghai", "guangzhou", "shenzhen", "henan", "hunan", "luoyang", "huaihua", "songxian",
        "hongjiang", "woaini", "aini", "wodemima", "mima", "mimamima", "zhongguo", "huawei", "xiaomi", "apple",
        "google", "baidu", "tencent", "taobao", "alibaba", "wechat", "weixin", "changeme", "default", "system",
        "server", "office", "manager", "abc", "abcd", "abcde", "abcdef", "abcdefg", "qwe", "qwer", "qwert", "asd",
        "asdf", "asdfgh", "zxc", "zxcv", "zxcvbn", "zxcvbnm", "qaz", "qazwsx", "wsx", "mineguard", "kuangshan",
        "zhengfu", "gonganju", "gongan", "jingcha", "police", "danwei", "bangong", "bangongshi", "xinxi", "ziran",
        "zhifa", "anquan", "security", "demo", "temp", "temppass", "access", "super", "killer", "hacker", "hunter",
        "ranger", "tiger", "lion", "panda", "pokemon", "naruto", "starwars", "matrix", "mustang", "ferrari", "porsche",
        "harley", "yankees", "liverpool", "chelsea", "arsenal", "barcelona", "jessica", "ashley", "daniel", "thomas",
        "robert", "charlie", "george", "andrew", "joshua", "jennifer", "nicole", "michelle", "maggie", "buster",
        "cookie", "chocolate", "cheese", "pepper", "ginger", "purple", "orange", "banana", "blue", "red", "black",
        "silver", "golden", "diamond", "samsung", "nokia", "iphone", "windows", "linux", "oracle", "mysql", "sa",
        "wang", "zhang", "chen", "yang", "huang", "zhao", "zhou", "sun", "zhu", "guo", "xu", "gao", "lin", "luo",
        "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong",
        "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao",
        "jiang", "cui", "zhong", "tan", "liao", "fan", "wangwei", "zhangwei", "liwei", "wangfang", "liuyang", "zhangmin",
        "lijing", "wangjing", "zhangjing", "liqiang", "wangqiang", "dage", "laoban", "xiaobao", "baobao", "beibei",
        "tiantian", "aiai", "woaiwojia", "woshishui", "nihao", "nihaoma", "caonima", "wocao", "haha", "hehe", "ok",
        "money", "qq", "yy", "sb", "tianya", "csdn", "sina", "sohu", "netease", "feitian", "jingjing", "xiaoxiao",
        "yangyang", "qingqing", "lili", "feifei", "shanshan", "dandan", "huanhuan", "tingting", "mingming",
    ];

    /// <summary>Tails people put after (or before) a word.</summary>
    private static readonly string[] Tails =
    [
        "", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "1234567890", "0", "00",
        "000", "01", "007", "11", "111", "1111", "123123", "666", "6666", "888", "8888", "999", "520", "521", "1314",
        "5201314", "1314520", "!", "!!", "@", "#", "!@#", "@123", "#123", "123!", "123.", "123456!", "1!", "1@",
        "2008", "2010", "2012", "2015", "2016", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025",
        "2026", "2027", "@2024", "@2025", "@2026", "@2027", "321", "654321", "abc", "qwe", "asd", "zxc", "qq",
    ];

    /// <summary>Long well-known entries no rule above makes (from the same published lists).</summary>
    private static readonly string[] Known =
    [
        "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "1q2w3e4r5t", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "q1w2e3r4t5", "q1w2e3r4t5y6",
        "qazwsxedc", "qazwsxedcrfv", "qweasdzxc", "123qweasdzxc", "qweasdzxc123", "zaq12wsx", "zaq1xsw2cde3",
        "!qaz2wsx", "!qaz@wsx", "1qaz!qaz", "1qaz@wsx", "1qaz2wsx!", "p@ssw0rd", "p@ssword", "passw0rd", "pa$$word",
        "asdfghjkl", "asdfghjkl;", "qwertyuiop", "qwertyuiop[]", "zxcvbnm,./", "1234qwer", "12345qwert", "123456qwerty",
        "qwer1234", "qwert12345", "qwerty123456", "asdf1234", "zxcv1234", "abcd1234", "abc123456789", "a1b2c3d4e5",
        "a1b2c3d4e5f6", "aa123456789", "a123456789", "123456789a", "123456789q", "qq123456789", "123456789qq",
        "woaini1314", "woaini520", "5201314520", "1314520520", "52013145201314", "iloveyou1314", "147258369",
        "1472583690", "147258369a", "159357456852", "159753456852", "741852963", "963852741", "3.1415926", "31415926",
        "3.1415926535", "314159265358", "0123456789", "9876543210", "1357924680", "2468013579", "135792468",
        "11223344", "1122334455", "112233445566", "aabbccdd", "aaaaaaaaaa", "abcabcabc", "abcabcabcabc",
        "qqqqqqqqqq", "asdasdasd", "asdasdasdasd", "qweqweqwe", "qweqweqweqwe", "zxczxczxc", "iloveyou!",
        "letmein123", "welcome123", "welcome@123", "admin@123", "admin123456", "admin888888", "root123456",
        "test123456", "password1!", "passw0rd!", "p@ssw0rd1", "p@ssw0rd123", "changeme123", "Aa123456789",
        "Aa1234567890", "Qwer1234!@#$", "Abc@123456", "Admin@12345", "Abcd@1234", "Zxcvbnm123", "Asdfghjkl1",
    ];

    private static readonly string[] Walks =
    [
        "1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./", "abcdefghijklmnopqrstuvwxyz", "0987654321",
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/", "qazwsxedcrfvtgbyhnujmikolp", "zaqxswcdevfrbgtnhymjuki,lo.;p/",
        "!qaz@wsx#edc$rfv%tgb", "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0",
    ];

    private static readonly Lazy<FrozenSet<string>> Exact = new(Build);
    private static readonly FrozenSet<string> WordSet = Words.Select(Normalize).ToFrozenSet();

    /// <summary>How many exact entries the list holds.</summary>
    public static int Count => Exact.Value.Count;

    /// <summary>
    /// True for a listed password (any case, l33t spellings included), a listed word with only digits or symbols
    /// around it ("Zhangwei@2026"), a keyboard walk or alphabet run, or a common digit string (runs, repeats, dates,
    /// 520/1314) with at most three letters.
    /// </summary>
    public static bool Contains(string password)
    {
        var lower = password.ToLowerInvariant();
        var normal = Normalize(password);
        if (Exact.Value.Contains(lower) || Exact.Value.Contains(normal)) return true;
        var stem = lower.Trim("0123456789!@#$%^&*()-_=+.,;:?~`'\"/\\|[]{}<> ".ToCharArray());
        if (stem.Length > 0 && WordSet.Contains(Normalize(stem))) return true;
        if (Walks.Any(w => IsRun(lower, w))) return true;
        var letters = lower.Count(char.IsLetter);
        var digits = new string(lower.Where(char.IsDigit).ToArray());
        return letters <= 3 && digits.Length >= 6 && CommonDigits(digits);
    }

    /// <summary>Lower case with the usual l33t letters read back (@→a, 0→o, $→s, 3→e, 1→i, !→i, 5→s, 7→t, 4→a).</summary>
    public static string Normalize(string s) => new(s.ToLowerInvariant().Select(c => c switch
    {
        '@' or '4' => 'a', '0' => 'o', '$' or '5' => 's', '3' => 'e', '1' or '!' => 'i', '7' => 't', _ => c,
    }).ToArray());

    /// <summary>The whole text is a stretch of the walk, forwards or backwards (possibly repeated).</summary>
    private static bool IsRun(string text, string walk)
    {
        if (text.Length < 6) return false;
        var twice = walk + walk;
        var reversed = new string(twice.Reverse().ToArray());
        for (var len = 3; len <= Math.Min(walk.Length, text.Length); len++)
        {
            if (text.Length % len != 0) continue;
            var unit = text[..len];
            if (!Enumerable.Range(0, text.Length / len).All(i => text.Substring(i * len, len) == unit)) continue;
            if (twice.Contains(unit, StringComparison.Ordinal) || reversed.Contains(unit, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Runs up or down, one digit or a short group repeated, 520/1314 love numbers, dates.</summary>
    private static bool CommonDigits(string d)
    {
        if (IsRun(d, "0123456789") || IsRun(d, "1234567890")) return true;
        for (var len = 1; len <= 4; len++)
        {
            if (d.Length % len == 0 && d.Length / len >= 2 && Enumerable.Range(0, d.Length / len).All(i => d.Substring(i * len, len) == d[..len])) return true;
        }
        var love = d.Replace("520", "", StringComparison.Ordinal).Replace("1314", "", StringComparison.Ordinal)
            .Replace("521", "", StringComparison.Ordinal);
        if (love.Length <= 2) return true;
        // A date of birth (yyyyMMdd, with or without a run after it).
        return d.Length >= 8 && DateTime.TryParseExact(d[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
               && date.Year is >= 1930 and <= 2030 && (d.Length == 8 || CommonDigits(d[8..]) || d.Length - 8 <= 2);
    }

    private static FrozenSet<string> Build()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words)
        {
            foreach (var tail in Tails)
            {
                set.Add(word + tail);
                set.Add(tail + word);
                set.Add(Normalize(word + tail));
            }
            set.Add(word + word);
        }
        foreach (var k in Known)
        {
            set.Add(k.ToLowerInvariant());
            set.Add(Normalize(k));
        }
        for (var n = 1; n <= 16; n++)
        {
            for (var digit = 0; digit <= 9; digit++) set.Add(new string((char)('0' + digit), n));
            set.Add(string.Concat(Enumerable.Range(1, n).Select(i => i % 10)));
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
