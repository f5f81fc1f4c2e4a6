using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Demo;
using MineGuard.Platform.Audit;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform;

/// <summary>Two application nodes on one PostgreSQL database, as a city or province runs it.</summary>
public sealed class SeveralNodesTests
{
    [Theory, OnPostgres]
    public async Task Two_nodes_start_together_share_log_ins_and_write_one_audit_chain(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            var (nodeANode, nodeBNode) = await TestApp.StartTwoNodesAsync(provider, cs);
            await using var nodeA = nodeANode;
            await using var nodeB = nodeBNode;
            Assert.Equal(MineGuard.Platform.Hosting.DemoLoader.AllUsers.Count, await nodeA.WithDbAsync(db => db.Users.CountAsync()));

            // Log in on node A; the cookie works on node B (the key ring is in the database).
            var anon = nodeA.Anonymous();
            var login = await TestApp.PostLoginAsync(anon, "sx-office", DemoData.Password);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mineguard=", StringComparison.Ordinal)).Split(';')[0];
            var b = nodeB.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            b.DefaultRequestHeaders.Add("Cookie", cookie);
            var me = await b.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Contains("sx-office", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Both nodes write at once; the chain stays whole.
            var adminA = await nodeA.LoginAsync("sx-admin");
            var adminB = await nodeB.LoginAsync("sx-admin");
            var writes = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? adminA : adminB).PostAsync("/api/admin/divisions",
                System.Net.Http.Json.JsonContent.Create(new { parentCode = "410325105", kind = "grid", name = $"双节点网格{i}" })));
            Assert.All(await Task.WhenAll(writes), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            var chain = await nodeB.WithDbAsync(db => AuditChain.VerifyAsync(db));
            Assert.True(chain.IsIntact, chain.Reason);
        }
        finally
        {
            await drop();
        }
    }
}
