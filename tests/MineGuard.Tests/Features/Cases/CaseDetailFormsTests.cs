using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Cases;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Features.Cases.CasePagesTests;

namespace MineGuard.Tests.Features.Cases;

/// <summary>
/// The case page's forms beyond the first slice: the 人不漏案 names (list as a party or give the reason), the evidence
/// custody hand-over, the seizure disposal (confirmed), and the print buttons shown as the stage allows.
/// </summary>
public sealed class CaseDetailFormsTests
{
    private static async Task<string> RefusedAsync(HttpResponseMessage r)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode} {body}");
        return body;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Named_persons_custody_and_disposal_have_their_forms_and_the_print_buttons_follow_the_stage(string provider)
    {
        var app = await TestApp.Shared(provider);
        var officers = await OfficersAsync(app, "natural-resources");
        var officer = await app.LoginAsync(officers[0].UserName);
        var id = (await DirectCaseAsync(officer, "natural-resources", officers.Select(o => o.Id))).GetProperty("id").GetGuid();
        var named = "孙九" + Guid.NewGuid().ToString("N")[..4];
        var other = "钱十" + Guid.NewGuid().ToString("N")[..4];
        var evidence = (await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/evidence", new { title = "询问笔录", collectedBy = "刘洋", place = "陶村林场", namedPersons = named })))
            .GetProperty("evidence")[0].GetProperty("id").GetGuid();
        var seizure = (await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/seizures", new
        {
            kind = "tool", description = "凿岩机", storagePlace = "县局罚没物品库", keeper = "刘洋", namedPersons = other,
        }))).GetProperty("seizures")[0].GetProperty("id").GetGuid();
        var url = $"/cases/{id}";

        // The names show as gaps, with the forms; only the filing-approval button before a decision.
        var page = await officer.GetStringAsync(url);
        Assert.Contains($"data-name=\"{named}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-name=\"{other}\"", page, StringComparison.Ordinal);
        Assert.Contains("涉及人员：" + named, page, StringComparison.Ordinal);
        Assert.Contains(CaseDocuments.Url(id, "filing-approval"), page, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseDocuments.Url(id, "penalty-decision"), page, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseDocuments.Url(id, "criminal-transfer"), page, StringComparison.Ordinal);

        // 列为当事人 from the gap, and a reason for the other (a reason is required, shown beside the field).
        Assert.Equal($"{url}?done=party", (await PostAsync(officer, $"{url}?handler=Party", new() { ["Kind"] = "person", ["Name"] = named })).Headers.Location!.OriginalString);
        Assert.Contains("请写明排除的理由", await RefusedAsync(await PostAsync(officer, $"{url}?handler=Dismiss", new() { ["Name"] = other })), StringComparison.Ordinal);
        Assert.Equal($"{url}?done=dismissed", (await PostAsync(officer, $"{url}?handler=Dismiss", new() { ["Name"] = other, ["Reason"] = "仅为车辆租赁方，不知情" }))
            .Headers.Location!.OriginalString);
        page = await officer.GetStringAsync(url);
        Assert.DoesNotContain($"data-name=\"{named}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-name=\"{other}\"", page, StringComparison.Ordinal);

        // Custody: the receiver is required; a hand-over changes the holder and is listed.
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(await app.LoginAsync("hj-office"), $"{url}?handler=Custody",
            new() { ["EvidenceId"] = evidence.ToString(), ["ToHolder"] = "王强" })).StatusCode);
        Assert.Contains("请填写接收人", await RefusedAsync(await PostAsync(officer, $"{url}?handler=Custody", new() { ["EvidenceId"] = evidence.ToString() })),
            StringComparison.Ordinal);
        Assert.Equal($"{url}?done=custody", (await PostAsync(officer, $"{url}?handler=Custody",
            new() { ["EvidenceId"] = evidence.ToString(), ["ToHolder"] = "证物室王强", ["Note"] = "入库保管" })).Headers.Location!.OriginalString);
        Assert.Equal("证物室王强", await app.WithDbAsync(db => db.Set<CaseEvidence>().Where(e => e.Id == evidence).Select(e => e.Holder).SingleAsync()));
        Assert.Contains("刘洋 → 证物室王强", await officer.GetStringAsync(url), StringComparison.Ordinal);

        // Disposal: not without the confirmation, not without its document; then recorded once.
        Task<string?> DisposalAsync() => app.WithDbAsync(db => db.Set<CaseSeizure>().Where(s => s.Id == seizure).Select(s => s.Disposal).SingleAsync());
        var fields = new Dictionary<string, string> { ["SeizureId"] = seizure.ToString(), ["Disposal"] = "confiscated", ["Document"] = "嵩自然资罚〔2026〕5号" };
        Assert.Contains("请先确认", await RefusedAsync(await PostAsync(officer, $"{url}?handler=Disposal", new(fields))), StringComparison.Ordinal);
        Assert.Contains("请填写处置依据的文书", await RefusedAsync(await PostAsync(officer, $"{url}?handler=Disposal",
            new(fields) { ["Document"] = "", ["confirmed"] = "true" })), StringComparison.Ordinal);
        Assert.Null(await DisposalAsync());
        Assert.Equal($"{url}?done=disposed", (await PostAsync(officer, $"{url}?handler=Disposal", new(fields) { ["confirmed"] = "true" })).Headers.Location!.OriginalString);
        Assert.Equal("confiscated", await DisposalAsync());
        Assert.DoesNotContain("disposal-form", await officer.GetStringAsync(url), StringComparison.Ordinal);

        // After the decision, the 决定书 button.
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/notice", new { text = "拟没收作案工具并处罚款" }));
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/decision", new { text = "没收作案工具", fineYuan = 20000 }));
        page = await officer.GetStringAsync(url);
        Assert.Contains(CaseDocuments.Url(id, "penalty-decision"), page, StringComparison.Ordinal);
        Assert.Contains("打印处罚决定书", page, StringComparison.Ordinal);
    }
}
