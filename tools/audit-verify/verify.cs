// MineGuard audit trail verifier for auditors: checks an export made by `mineguard audit export --out DIR` without
// the product, its database or its keys. Needs only the .NET 10 SDK:
//
//     dotnet run tools/audit-verify/verify.cs -- DIR
//
// It checks (1) the hash chain of records.jsonl: sequence 1, 2, 3… without gaps, each record's previousHash is the
// hash of the record before it, each hash is SHA-256 of the record's fields; (2) every line of checkpoints.jsonl is
// signed with public-key.pem (ECDSA P-256, SHA-256); (3) every signed checkpoint matches the records: a checkpoint
// beyond the last record means records were cut off (truncation), a different hash means the chain was rewritten
// and re-chained. Exit code 0: intact; 2: tampering found; 1: the folder cannot be read.
// Compare the printed key id with the one the operator gave you (or the external witness holds): an export whose
// public key was swapped together with re-signed checkpoints proves nothing.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

#if !AUDIT_VERIFY_LIBRARY
return MineGuard.AuditVerify.Verifier.Run(args, Console.Out);
#endif

namespace MineGuard.AuditVerify
{
    public static class Verifier
    {
        private const string Format = "mineguard-audit-checkpoint/1";
        private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

        public static int Run(string[] args, TextWriter output)
        {
            if (args.Length != 1 || !Directory.Exists(args[0]))
            {
                output.WriteLine("usage: dotnet run tools/audit-verify/verify.cs -- EXPORT-FOLDER");
                return 1;
            }
            var dir = args[0];
            var problems = new List<string>();
            using var key = ECDsa.Create();
            string keyId;
            try
            {
                key.ImportFromPem(File.ReadAllText(Path.Combine(dir, "public-key.pem")));
                keyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
            }
            catch (Exception e) when (e is IOException or ArgumentException or CryptographicException)
            {
                output.WriteLine("cannot read public-key.pem: " + e.Message);
                return 1;
            }
            output.WriteLine($"public key id: {keyId}  (compare with the key id the operator or the witness gave you)");

            // 1. The hash chain.
            var hashes = new Dictionary<long, string>();
            long expected = 1;
            var previous = Genesis;
            var chainBroken = false;
            foreach (var line in File.ReadLines(Path.Combine(dir, "records.jsonl")))
            {
                if (line.Length == 0) continue;
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                var sequence = r.GetProperty("sequence").GetInt64();
                var hash = Text(r, "hash");
                hashes[sequence] = hash;
                if (chainBroken) continue;
                string? problem = null;
                if (sequence != expected) problem = $"record {expected} is missing (next is {sequence})";
                else if (Text(r, "previousHash") != previous) problem = $"record {sequence}: previousHash does not match record {sequence - 1}";
                else if (RecordHash(r) != hash) problem = $"record {sequence}: content does not match its hash (changed)";
                if (problem is not null)
                {
                    problems.Add("CHAIN BROKEN: " + problem);
                    chainBroken = true;
                    continue;
                }
                previous = hash;
                expected++;
            }
            var head = hashes.Count == 0 ? 0 : hashes.Keys.Max();
            output.WriteLine($"records: {hashes.Count}, last sequence {head}" + (chainBroken ? "" : ", hash chain intact"));

            // 2. and 3. The signed checkpoints.
            var checkpointsPath = Path.Combine(dir, "checkpoints.jsonl");
            var lines = File.Exists(checkpointsPath) ? File.ReadAllLines(checkpointsPath) : [];
            long latest = 0;
            string latestAt = "";
            var number = 0;
            foreach (var line in lines)
            {
                number++;
                if (line.Length == 0) continue;
                long sequence;
                string hash, at, signature;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    var c = doc.RootElement;
                    if (Text(c, "format") != Format) throw new FormatException("unknown format");
                    sequence = c.GetProperty("sequence").GetInt64();
                    hash = Text(c, "hash");
                    at = Text(c, "atUtc");
                    signature = Text(c, "signature");
                }
                catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
                {
                    problems.Add($"checkpoint line {number}: not a checkpoint ({e.Message})");
                    continue;
                }
                var signed = Encoding.UTF8.GetBytes($"{Format}\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}\n{at}");
                bool valid;
                try
                {
                    valid = key.VerifyData(signed, Convert.FromBase64String(signature), HashAlgorithmName.SHA256);
                }
                catch (FormatException)
                {
                    valid = false;
                }
                if (!valid)
                {
                    problems.Add($"checkpoint line {number}: signature INVALID (forged or altered)");
                    continue;
                }
                if (sequence > latest)
                {
                    latest = sequence;
                    latestAt = at;
                }
                if (!hashes.TryGetValue(sequence, out var actual))
                {
                    if (sequence <= head) problems.Add($"REWRITTEN: checkpointed record {sequence} (signed {at}) is missing");
                }
                else if (actual != hash)
                {
                    problems.Add($"REWRITTEN: record {sequence} does not match the checkpoint signed {at} (changed and re-chained)");
                }
            }
            if (latest > head)
                problems.Add($"TRUNCATED: the checkpoint signed {latestAt} covers record {latest}, but the export ends at record {head}");
            output.WriteLine(latest == 0
                ? "signed checkpoints: none (truncation cannot be detected)"
                : $"signed checkpoints: {number} lines, latest covers record {latest} (signed {latestAt})"
                  + (head > latest ? $"; {head - latest} later record(s) not yet covered by a signature" : ""));

            foreach (var problem in problems) output.WriteLine(problem);
            output.WriteLine(problems.Count == 0 ? "RESULT: INTACT" : $"RESULT: TAMPERING FOUND ({problems.Count} problem(s))");
            return problems.Count == 0 ? 0 : 2;
        }

        private static string Text(JsonElement e, string name) =>
            e.GetProperty(name).ValueKind == JsonValueKind.Null ? "" : e.GetProperty(name).GetString() ?? "";

        /// <summary>SHA-256 of the record's fields joined by U+001F, as the product computes it.</summary>
        private static string RecordHash(JsonElement r)
        {
            var text = string.Join('\u001f',
                r.GetProperty("sequence").GetInt64().ToString(CultureInfo.InvariantCulture), Text(r, "atUtc"),
                Text(r, "actorId"), Text(r, "actorName"), Text(r, "action"), Text(r, "entityType"), Text(r, "entityId"),
                Text(r, "divisionCode"), Text(r, "changes"), Text(r, "address"), Text(r, "previousHash"));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }
    }
}
