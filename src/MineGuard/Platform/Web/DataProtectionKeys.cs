using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Audit;

namespace MineGuard.Platform.Web;

/// <summary>A data-protection key ring entry, kept in the database so every node can read every node's cookies.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string FriendlyName { get; set; } = "";
    [AuditHidden]
    public string Xml { get; set; } = "";
}

/// <summary>
/// The key ring in <see cref="AppDbContext"/> (the EF package for this does not restore here). Entries are stored
/// encrypted (<see cref="KeyFileXmlEncryptor"/>); an entry an earlier version stored with its secret in plain text is
/// encrypted in place the first time the ring is read.
/// </summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, IXmlEncryptor encryptor) : IXmlRepository
{
    private static readonly XNamespace Ns = "http://schemas.asp.net/2015/03/dataProtection";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = db.DataProtectionKeys.AsNoTracking().Select(k => new { k.Id, k.Xml }).ToList();
        var elements = new List<XElement>(rows.Count);
        foreach (var row in rows)
        {
            var element = XElement.Parse(row.Xml);
            if (EncryptPlaintextSecrets(element))
            {
                var xml = element.ToString(SaveOptions.DisableFormatting);
                db.DataProtectionKeys.Where(k => k.Id == row.Id).ExecuteUpdate(s => s.SetProperty(k => k.Xml, xml));
            }
            elements.Add(element);
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }

    /// <summary>Replaces each secret marked "requires encryption" by its encrypted form, as data protection itself does.</summary>
    private bool EncryptPlaintextSecrets(XElement root)
    {
        var plain = root.Descendants().Where(e => (bool?)e.Attribute(Ns + "requiresEncryption") == true).ToList();
        foreach (var secret in plain)
        {
            var info = encryptor.Encrypt(new XElement(secret));
            secret.ReplaceWith(new XElement(Ns + "encryptedSecret",
                new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!), info.EncryptedElement));
        }
        return plain.Count > 0;
    }
}
