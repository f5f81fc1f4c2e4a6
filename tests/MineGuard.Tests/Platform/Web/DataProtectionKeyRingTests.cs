using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Demo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Web;

/// <summary>
/// The data-protection key ring is in the database, but its master keys are encrypted with a key file that is not:
/// whoever reads the DataProtectionKeys table cannot decrypt ID numbers, tipster identities or cookies.
/// </summary>
public sealed class DataProtectionKeyRingTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_key_ring_holds_no_plaintext_key_and_a_restarted_app_reads_old_cookies_and_ciphertext(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            string cookie, ciphertext;
            await using (var first = await TestApp.StartOnAsync(provider, cs, demo: true))
            {
                var login = await TestApp.PostLoginAsync(first.Anonymous(), "sx-office", DemoData.Password);
                Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
                cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mineguard=", StringComparison.Ordinal)).Split(';')[0];
                ciphertext = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("410325199001011234");

                var rows = await first.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
                Assert.NotEmpty(rows);
                Assert.All(rows, xml =>
                {
                    Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
                    Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
                    Assert.Contains("keyFileEncrypted", xml, StringComparison.Ordinal);
                    Assert.Contains("KeyFileXmlDecryptor", xml, StringComparison.Ordinal);
                });
            }

            await using var second = await TestApp.StartOnAsync(provider, cs, demo: false);
            var client = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            client.DefaultRequestHeaders.Add("Cookie", cookie);
            var me = await client.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Contains("sx-office", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("410325199001011234", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(ciphertext));
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Without_the_key_file_the_key_ring_is_useless_and_a_rotated_key_file_keeps_the_old_one_for_reading(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, demo: false);
        var ciphertext = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("secret");
        var dir = Path.Combine(Path.GetTempPath(), "mineguard-tests", "dp-" + Guid.NewGuid().ToString("N"));
        var oldKeyFile = TestFiles.SettingsFor(app.ConnectionString)["DataProtection:KeyFile"]!;
        try
        {
            // Another key file only (a copied database on a machine without the key): nothing decrypts.
            await using (var stranger = With(app, new() { ["DataProtection:KeyFile"] = Path.Combine(dir, "other.key") }))
            {
                var protector = stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
                Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(ciphertext));
            }

            // Rotation: a new key file encrypts new entries, the old one is kept to decrypt the existing ones.
            await using var rotated = With(app, new()
            {
                ["DataProtection:KeyFile"] = Path.Combine(dir, "new.key"), ["DataProtection:PreviousKeyFiles:0"] = oldKeyFile,
            });
            Assert.Equal("secret", rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(ciphertext));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_key_stored_in_plain_text_by_an_earlier_version_is_encrypted_in_place_and_still_decrypts(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, demo: false);
        var ciphertext = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("secret");
        // Put the key back in the form the earlier version stored: its masterKey in plain text.
        var row = await app.WithDbAsync(db => db.DataProtectionKeys.OrderBy(k => k.Id).FirstAsync());
        var key = XElement.Parse(row.Xml);
        XNamespace ns = "http://schemas.asp.net/2015/03/dataProtection";
        var secret = key.Descendants(ns + "encryptedSecret").Single();
        secret.ReplaceWith(new KeyFileXmlDecryptor(app.Services).Decrypt(secret.Elements().Single()));
        var plainXml = key.ToString(SaveOptions.DisableFormatting);
        Assert.Contains("masterKey", plainXml, StringComparison.Ordinal);
        await app.WithDbAsync(db => db.DataProtectionKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Xml, plainXml)));

        await using var restarted = With(app, []);
        Assert.Equal("secret", restarted.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(ciphertext));
        var stored = await app.WithDbAsync(db => db.DataProtectionKeys.Where(k => k.Id == row.Id).Select(k => k.Xml).SingleAsync());
        Assert.DoesNotContain("masterKey", stored, StringComparison.Ordinal);
        Assert.Contains("keyFileEncrypted", stored, StringComparison.Ordinal);
    }

    private static WebApplicationFactory<Program> With(TestApp app, Dictionary<string, string?> settings)
    {
        var derived = app.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(settings)));
        _ = derived.Server;
        return derived;
    }
}
