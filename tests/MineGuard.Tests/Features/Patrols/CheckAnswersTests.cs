using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Demo;
using MineGuard.Features.Assignments;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The eight checks are judged by what each answer means (issue 11: 否 everywhere used to record a breach and send an
/// SMS). Format 2 asks every check as "有/无" (true = 有 = a problem); format 1, still queued on some phones, is read by
/// its old meaning; a check that does not apply to the adit's state (the seal of an unsealed adit) is not judged.
/// </summary>
public sealed class CheckAnswersTests
{
    private static readonly object NoProblem = new
    {
        sealBroken = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false,
    };

    private static readonly object SealBroken = new
    {
        sealBroken = true, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false,
    };

    private sealed record Outcome(SealState State, bool Verified, bool BreachRecorded, int Assignments, int Notifications, int Sms);

    /// <summary>A responsible person with a phone (so an SMS would be written), a sealed or unsealed adit, one genuine patrol.</summary>
    private static async Task<Outcome> PatrolAsync(TestApp app, object answers, int? format, bool sealedAdit = true)
    {
        var kit = await FieldKit.StartAsync(app);
        var admin = await app.LoginAsync("sx-admin");
        var resp = "rp" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = resp, displayName = "包保" + resp[2..6], password = DemoData.Password, divisionCode = "410325400", departmentCode = "forestry", roles = new[] { "responsible" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await app.WithDbAsync(db => db.Users.Where(u => u.UserName == resp).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhoneNumber, "13800138000")));
        var adit = await kit.AditAsync(responsible: resp);
        if (sealedAdit)
        {
            var sealedOn = MineGuard.Platform.Time.ChinaTime.ToLocal(kit.Now).AddDays(-20).ToString("yyyy-MM-dd");
            var seal = await kit.Office.PostAsJsonAsync($"/api/adits/{adit.Id}/seal", new { on = sealedOn, method = "浆砌石", performedBy = "施工队" });
            Assert.True(seal.IsSuccessStatusCode, await seal.Content.ReadAsStringAsync());
        }

        var state = await kit.RunAsync(kit.GenuinePatrol(adit, out _, out var checkInId, answers, answerFormat: format), checkInId);
        return await app.WithDbAsync(async db => new Outcome(
            await db.Adits().Where(a => a.Id == adit.Id).Select(a => a.State).SingleAsync(),
            state.GetProperty("verified").GetBoolean(),
            await db.CheckIns().Where(c => c.Id == checkInId).Select(c => c.BreachRecorded).SingleAsync(),
            await db.Set<Assignment>().CountAsync(a => a.AditId == adit.Id),
            await db.Set<Notification>().CountAsync(n => n.SourceId == checkInId),
            await db.Set<SmsMessage>().CountAsync(m => m.SourceId == checkInId)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task No_problem_answered_everywhere_records_no_breach_no_assignment_and_no_sms(string provider)
    {
        var app = await TestApp.Shared(provider);
        var outcome = await PatrolAsync(app, NoProblem, 2);
        Assert.Equal(new Outcome(SealState.Sealed, true, false, 0, 0, 0), outcome);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_broken_seal_answered_有_records_the_breach_an_assignment_and_an_sms(string provider)
    {
        var app = await TestApp.Shared(provider);
        var outcome = await PatrolAsync(app, SealBroken, 2);
        Assert.Equal(new Outcome(SealState.Breached, true, true, 1, 1, 1), outcome);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_new_key_without_a_format_field_is_read_as_format_2(string provider)
    {
        // An app shell cached before the update with a new bundle sends sealBroken but no answerFormat.
        var app = await TestApp.Shared(provider);
        Assert.Equal(new Outcome(SealState.Sealed, true, false, 0, 0, 0), await PatrolAsync(app, NoProblem, null));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_check_in_queued_in_format_1_is_judged_by_its_old_meaning(string provider)
    {
        var app = await TestApp.Shared(provider);
        // 封堵是否完好 是, every sign of digging 否: nothing wrong.
        var good = new { sealIntact = true, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false };
        Assert.Equal(new Outcome(SealState.Sealed, true, false, 0, 0, 0), await PatrolAsync(app, good, null));
        // 封堵是否完好 否: the seal was reported broken.
        var broken = new { sealIntact = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false };
        Assert.Equal(new Outcome(SealState.Breached, true, true, 1, 1, 1), await PatrolAsync(app, broken, 1));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_seal_of_an_unsealed_adit_is_not_judged_in_either_format(string provider)
    {
        var app = await TestApp.Shared(provider);
        Assert.Equal(new Outcome(SealState.Unsealed, true, false, 0, 0, 0), await PatrolAsync(app, SealBroken, 2, sealedAdit: false));
        var oldNo = new { sealIntact = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false };
        Assert.Equal(new Outcome(SealState.Unsealed, true, false, 0, 0, 0), await PatrolAsync(app, oldNo, null, sealedAdit: false));
        // Other signs still count at an unsealed adit: an assignment and a message, no SMS (that is for a broken seal).
        var digging = new { sealBroken = (bool?)null, freshDigging = true, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false };
        Assert.Equal(new Outcome(SealState.Unsealed, true, false, 1, 1, 0), await PatrolAsync(app, digging, 2, sealedAdit: false));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Unknown_formats_and_mixed_keys_are_refused_naming_the_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        async Task<JsonElement> Refused(object body)
        {
            var response = await kit.Member.SendAsync(kit.Put($"/api/field/check-ins/{Guid.NewGuid()}", body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        }

        var common = new { patrolId = Guid.NewGuid(), aditId = adit.Id, at = kit.Now, lat = adit.Lat, lon = adit.Lon, accuracy = 8.0 };
        var errors = await Refused(new { common.patrolId, common.aditId, common.at, common.lat, common.lon, common.accuracy, answerFormat = 3, answers = NoProblem });
        Assert.Contains("未知的八查答案格式", errors.GetProperty("answerFormat")[0].GetString(), StringComparison.Ordinal);
        errors = await Refused(new { common.patrolId, common.aditId, common.at, common.lat, common.lon, common.accuracy, answers = new { sealIntact = true, sealBroken = false } });
        Assert.Contains("不能同时填写", errors.GetProperty("answers")[0].GetString(), StringComparison.Ordinal);
        errors = await Refused(new { common.patrolId, common.aditId, common.at, common.lat, common.lon, common.accuracy, answerFormat = 2, answers = new { sealIntact = true } });
        Assert.Contains("sealBroken", errors.GetProperty("answers")[0].GetString(), StringComparison.Ordinal);
        var anonymous = await app.Anonymous().PutAsJsonAsync($"/api/field/check-ins/{Guid.NewGuid()}", new { common.patrolId, answerFormat = 2 });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_bundle_asks_every_check_as_有_无_and_the_seal_only_of_sealed_adits(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var bundle = await kit.Member.GetFromJsonAsync<JsonElement>("/api/field/bundle");
        Assert.Equal(2, bundle.GetProperty("answerFormat").GetInt32());
        var questions = bundle.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal(8, questions.Count);
        Assert.Equal("SealBroken", questions[0].GetProperty("key").GetString());
        Assert.Equal(["Sealed", "Accepted"], questions[0].GetProperty("appliesTo").EnumerateArray().Select(s => s.GetString()));
        Assert.All(questions.Skip(1), q => Assert.Equal(JsonValueKind.Null, q.GetProperty("appliesTo").ValueKind));
        // Phrased as the problem itself, never as a yes/no question whose good answer differs from check to check.
        Assert.All(questions, q => Assert.DoesNotContain("是否", q.GetProperty("question").GetString(), StringComparison.Ordinal));
    }
}
