using MineGuard.Platform.People;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.KeyPersons.KeyPersonFixtures;

namespace MineGuard.Tests.Features.KeyPersons;

/// <summary>The duplicate check's hash key is made once per database and shared by every node and every restart.</summary>
public sealed class IdNumberProtectionTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Nodes_making_the_hash_key_at_the_same_moment_end_up_with_one_key(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            await using var nodeA = await TestApp.StartOnAsync(provider, cs, demo: true);
            await using var nodeB = await TestApp.StartOnAsync(provider, cs, demo: true);
            var a = await nodeA.LoginAsync("sx-office");
            var b = await nodeB.LoginAsync("sx-office");

            // First use on both nodes at once: both try to create the secret.
            var numbers = new[] { TestIds.Next(), TestIds.Next() };
            var created = await Task.WhenAll(
                a.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), numbers[0])),
                b.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), numbers[1])));
            Assert.All(created, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

            // Each node recognises the number the other registered.
            var onB = await b.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), numbers[0]));
            var onA = await a.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), numbers[1]));
            Assert.StartsWith("该身份证号已登记", FirstError(await ErrorsAsync(onB), "idNumber"), StringComparison.Ordinal);
            Assert.StartsWith("该身份证号已登记", FirstError(await ErrorsAsync(onA), "idNumber"), StringComparison.Ordinal);

            // The secret is stored encrypted, and its creation is in the trail without it.
            var secret = await nodeA.WithDbAsync(db => db.Set<ProtectedSecret>().SingleAsync());
            Assert.StartsWith("CfDJ8", secret.ProtectedValue, StringComparison.Ordinal); // the Data Protection payload header
            var events = await nodeA.WithDbAsync(db => db.AuditRecords.Where(r => r.EntityType == nameof(ProtectedSecret)).ToListAsync());
            Assert.DoesNotContain(secret.ProtectedValue, Assert.Single(events).Changes, StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task After_a_restart_a_registered_number_is_still_recognised_and_still_readable(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var idNumber = TestIds.Next();
            string id;
            await using (var before = await TestApp.StartOnAsync(provider, cs, demo: true))
            {
                var office = await before.LoginAsync("sx-office");
                var response = await office.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), idNumber));
                id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            }
            await using var after = await TestApp.StartOnAsync(provider, cs, demo: true);
            var again = await after.LoginAsync("sx-office");
            var duplicate = await again.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), idNumber));
            Assert.StartsWith("该身份证号已登记", FirstError(await ErrorsAsync(duplicate), "idNumber"), StringComparison.Ordinal);
            var revealed = await (await again.PostAsync($"/api/key-persons/{id}/id-number", null)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(idNumber, revealed.GetProperty("idNumber").GetString());
        }
        finally
        {
            await drop();
        }
    }
}
