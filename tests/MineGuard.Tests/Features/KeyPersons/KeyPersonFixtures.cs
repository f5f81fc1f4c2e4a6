using MineGuard.Platform.People;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Adits;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.KeyPersons;

/// <summary>Uniquely named key persons and adits for tests that share one app.</summary>
internal static class KeyPersonFixtures
{
    public const string Fanpo = "410325109";      // 饭坡镇, 嵩县
    public const string Chengguan = "410325100";  // 城关镇, 嵩县
    public const string Qiancheng = "431281101";  // 黔城镇, 洪江市

    public static string UniqueName(string prefix = "测试") => prefix + Guid.NewGuid().ToString("N")[..8];

    public static object Body(string name, string idNumber, string division = Fanpo, string level = "重点", string? phone = "13800000000") => new
    {
        name, idNumber, phone, division, address = "某村三组", history = "2015—2018 年在金矿打工", priorCases = "2019 年因盗采被行政拘留",
        controlLevel = level,
    };

    /// <summary>Registers a person through the API; returns its id and the (plain) number used.</summary>
    public static async Task<(string Id, string IdNumber, string Name)> CreateAsync(
        HttpClient client, string? name = null, string division = Fanpo, string level = "重点", string? region = null)
    {
        name ??= UniqueName();
        var idNumber = TestIds.Next(region ?? division[..6]);
        var response = await client.PostAsJsonAsync("/api/key-persons", Body(name, idNumber, division, level));
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, idNumber, name);
    }

    /// <summary>An adit on the ledger of the given township, made directly (adit registration is another feature).</summary>
    public static async Task<(Guid Id, string Number)> AditAsync(TestApp app, string township = Fanpo)
    {
        var number = $"T{township}-{Guid.NewGuid():N}"[..24];
        var id = await app.WithDbAsync(async db =>
        {
            var adit = Adit.Register(number, new Adit.Place(township[..6], township, null, null), 111.9, 34.1,
                new Adit.Details("测试矿硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), db.Clock.GetUtcNow().UtcDateTime);
            db.Add(adit);
            await db.SaveChangesAsync();
            return adit.Id;
        });
        return (id, number);
    }

    public static Task<JsonElement> ErrorsAsync(HttpResponseMessage response) => Problems.ErrorsAsync(response);

    public static string FirstError(JsonElement errors, string field) =>
        errors.TryGetProperty(field, out var messages) ? messages[0].GetString()! : throw new Xunit.Sdk.XunitException($"no error for {field}: {errors}");
}
