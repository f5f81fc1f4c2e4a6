using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Platform.Web;

/// <summary>
/// The one generated API description (/openapi/v1.json, issue 21): every /api route is in it with its method and a
/// Chinese summary, the ingestion examples validate against their schema, and staff and integrations can read it.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    [Theory, OnSqlite]
    public async Task Every_api_route_of_the_app_is_in_the_document_with_its_method(string provider)
    {
        var app = await TestApp.Shared(provider);
        var document = await DocumentAsync(await app.LoginAsync("sx-office"));
        var routes = ApiRoutes(app);
        Assert.True(routes.Count >= 150, $"expected the app's /api routes, found {routes.Count}");
        Assert.Contains(("POST", "/api/ingest/events"), routes);

        var missing = MissingFrom(document, routes);
        Assert.True(missing.Count == 0, "Routes missing from /openapi/v1.json:\n" + string.Join("\n", missing));

        // The comparison finds a route that is not there: one path and one method taken out are each reported.
        var withoutPath = JsonNode.Parse(document.GetRawText())!;
        withoutPath["paths"]!.AsObject().Remove("/api/persons/{id}");
        Assert.Contains("GET /api/persons/{id}", MissingFrom(JsonSerializer.SerializeToElement(withoutPath), routes));
        var withoutMethod = JsonNode.Parse(document.GetRawText())!;
        withoutMethod["paths"]!["/api/ingest/events"]!.AsObject().Remove("post");
        Assert.Equal(["POST /api/ingest/events"], MissingFrom(JsonSerializer.SerializeToElement(withoutMethod), routes));
    }

    [Theory, OnSqlite]
    public async Task Every_operation_has_a_chinese_summary_a_tag_and_its_way_in(string provider)
    {
        var app = await TestApp.Shared(provider);
        var document = await DocumentAsync(await app.LoginAsync("sx-office"));
        var failures = new List<string>();
        foreach (var (method, path, operation) in Operations(document))
        {
            if (!operation.TryGetProperty("summary", out var summary) || !Chinese().IsMatch(summary.GetString() ?? ""))
                failures.Add($"{method} {path}: no Chinese summary");
            if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0) failures.Add($"{method} {path}: no tag");
            if (!operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0) failures.Add($"{method} {path}: no security");
            if (!operation.GetProperty("responses").TryGetProperty("401", out _)) failures.Add($"{method} {path}: no 401");
            if (!operation.GetProperty("responses").EnumerateObject().Any(r => r.Name[0] is '2' or '3' || r.Name == "410"))
                failures.Add($"{method} {path}: no success response");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Every feature's tag has a name people read.
        var named = document.GetProperty("tags").EnumerateArray()
            .Where(t => Chinese().IsMatch(t.GetProperty("x-displayName").GetString() ?? ""))
            .Select(t => t.GetProperty("name").GetString()!).ToHashSet();
        Assert.Subset(named, Operations(document).SelectMany(o => o.Operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)).ToHashSet());

        // Integrations come in with their key, people with their cookie; both schemes are declared.
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("apiKey").GetProperty("in").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        Assert.Equal(["apiKey"], SchemesOf(Operation(document, "post", "/api/ingest/events")));
        Assert.Equal(["apiKey"], SchemesOf(Operation(document, "get", "/api/integration/whoami")));
        Assert.Equal(["cookie"], SchemesOf(Operation(document, "get", "/api/persons")));

        // Errors as they occur: a writer-only change may be refused (403) or break a rule (409), an id may be unknown (404),
        // input may be wrong (400, errors by field); all are ProblemDetails.
        var complete = Operation(document, "post", "/api/assignments/{id}/complete").GetProperty("responses");
        foreach (var status in new[] { "400", "401", "403", "404", "409" })
        {
            Assert.True(complete.TryGetProperty(status, out var response), status);
            Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), status);
        }
        Assert.False(Operation(document, "get", "/api/persons").GetProperty("responses").TryGetProperty("403", out _));
        // A file export says it is a spreadsheet.
        Assert.True(Operation(document, "get", "/api/persons/export").GetProperty("responses").GetProperty("200").GetProperty("content")
            .TryGetProperty("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out _));
    }

    [Theory, OnSqlite]
    public async Task Persons_clues_and_assignments_are_described_in_the_users_terms(string provider)
    {
        var app = await TestApp.Shared(provider);
        var document = await DocumentAsync(await app.LoginAsync("sx-office"));
        var expected = new (string Method, string Path, string Summary)[]
        {
            ("get", "/api/persons", "责任人名录"), ("post", "/api/persons/import", "导入责任人"), ("post", "/api/persons/{id}/merge", "合并"),
            ("get", "/api/clues", "线索列表"), ("post", "/api/clues/{id}/assign", "核查人"), ("post", "/api/clues/{id}/verify", "核查结果"),
            ("get", "/api/assignments", "督办事项列表"), ("post", "/api/assignments/{id}/verify", "核验"), ("get", "/api/inbox", "我的待办"),
        };
        foreach (var (method, path, summary) in expected)
            Assert.Contains(summary, Operation(document, method, path).GetProperty("summary").GetString(), StringComparison.Ordinal);
        foreach (var prefix in new[] { "/api/persons", "/api/clues", "/api/assignments" })
        {
            var operations = Operations(document).Where(o => o.Path == prefix || o.Path.StartsWith(prefix + "/", StringComparison.Ordinal)).ToList();
            Assert.True(operations.Count >= 8, $"{prefix}: {operations.Count} operations");
            Assert.All(operations, o => Assert.Matches(Chinese(), o.Operation.GetProperty("summary").GetString()));
        }
        // Request and response schemas come from the handlers' types.
        var create = Operation(document, "post", "/api/clues");
        Assert.Equal("#/components/schemas/ClueInput",
            create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Theory, OnSqlite]
    public async Task Ingest_events_carry_examples_that_validate_against_their_schema(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, integration) = await IntegrationAsync(app);
        var document = await DocumentAsync(integration);
        var body = Operation(document, "post", "/api/ingest/events").GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        var schema = SchemaFor(document, body.GetProperty("schema"));
        var examples = body.GetProperty("examples").EnumerateObject().ToList();
        Assert.True(examples.Count >= 4, $"{examples.Count} examples");
        var types = new HashSet<string>();
        foreach (var example in examples)
        {
            var value = example.Value.GetProperty("value");
            var result = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(result.IsValid, $"example {example.Name}: " + Errors(result));
            foreach (var e in value.GetProperty("events").EnumerateArray()) types.Add(e.GetProperty("type").GetString()!);
        }
        // Every kind of event has an example.
        var kinds = document.GetProperty("components").GetProperty("schemas").GetProperty("IngestEvent")
            .GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(t => t.GetString()!).ToHashSet();
        Assert.Equal(9, kinds.Count);
        Assert.Subset(types, kinds);

        // The check can fail: an event without its type, or with one the platform does not know, is refused by the schema.
        foreach (var broken in new[]
                 {
                     """{ "events": [ { "id": "x", "occurredAt": "2026-11-02T22:15:00+08:00" } ] }""",
                     """{ "events": [ { "id": "x", "type": "camera.sighting", "occurredAt": "2026-11-02T22:15:00+08:00" } ] }""",
                     """{ "events": [] }""",
                 })
        {
            Assert.False(schema.Evaluate(JsonDocument.Parse(broken).RootElement).IsValid, broken);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Staff_and_integrations_read_the_document_at_its_old_and_new_addresses_and_the_public_does_not(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        foreach (var address in new[] { "/openapi/v1.json", "/api/ingest/openapi.json", "/api/monitoring/openapi.json" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(address)).StatusCode);

        var (_, integration) = await IntegrationAsync(app);
        var office = await app.LoginAsync("sx-office");
        var leader = await app.LoginAsync("hj-leader");
        foreach (var (client, address) in new[]
                 {
                     (integration, "/openapi/v1.json"), (integration, "/api/ingest/openapi.json"),
                     (office, "/openapi/v1.json"), (office, "/api/monitoring/openapi.json"), (leader, "/openapi/v1.json"),
                 })
        {
            var response = await client.GetAsync(address);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{address}: {(int)response.StatusCode}");
            var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
            // The old addresses answer with the same generated document, examples included.
            Assert.True(Operation(document, "post", "/api/ingest/events").GetProperty("requestBody").GetProperty("content")
                .GetProperty("application/json").GetProperty("examples").TryGetProperty("camera", out _), address);
        }
        // A key for ingestion is not a log-in: the old staff address stays closed to it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync("/api/monitoring/openapi.json")).StatusCode);
    }

    [Theory, OnSqlite]
    public async Task The_reference_page_answers_staff_from_the_package_under_the_csp(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        var refused = await anonymous.GetAsync("/api-docs/v1");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/login", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/api-docs/scalar.js")).StatusCode);
        var (_, integration) = await IntegrationAsync(app);
        Assert.NotEqual(HttpStatusCode.OK, (await integration.GetAsync("/api-docs/v1")).StatusCode);

        var office = await app.LoginAsync("sx-office");
        var entry = await office.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.Redirect, entry.StatusCode);
        var page = await office.GetAsync("/api-docs/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("MineGuard 接口说明", html, StringComparison.Ordinal);
        // Everything it loads is ours: no CDN, no web fonts.
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//", RegexOptions.None, TimeSpan.FromSeconds(1)), html);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        // Its inline script runs under this response's nonce; every other response keeps script-src 'self' alone.
        var nonce = Regex.Match(html, "nonce=\"([^\"]+)\"", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var again = await office.GetAsync("/api-docs/v1");
        Assert.DoesNotContain(nonce, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var script = await office.GetAsync("/api-docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("script-src 'self';", script.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);

        // The administrators find it where they make integrators' keys.
        var keys = await (await app.LoginAsync("sx-admin")).GetStringAsync("/admin/api-keys");
        Assert.Contains("href=\"/api-docs\"", keys, StringComparison.Ordinal);
    }

    /// <summary>"METHOD /path" of every route the document lacks (route constraints dropped: {id:guid} → {id}).</summary>
    internal static List<string> MissingFrom(JsonElement document, IEnumerable<(string Method, string Route)> routes)
    {
        var paths = document.GetProperty("paths");
        return routes
            .Where(r => !paths.TryGetProperty(DocumentPath(r.Route), out var item) || !item.TryGetProperty(r.Method.ToLowerInvariant(), out _))
            .Select(r => $"{r.Method} {DocumentPath(r.Route)}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string DocumentPath(string route) => Parameter().Replace(route, "{$1}");

    private static HashSet<(string Method, string Route)> ApiRoutes(TestApp app)
    {
        var routes = new HashSet<(string, string)>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (route != "/api" && !route.StartsWith("/api/", StringComparison.Ordinal)) continue;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]) routes.Add((method, route));
        }
        return routes;
    }

    private static async Task<JsonElement> DocumentAsync(HttpClient client)
    {
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            if (operation.Name is "get" or "post" or "put" or "delete" or "patch") yield return (operation.Name, path.Name, operation.Value);
        }
    }

    private static JsonElement Operation(JsonElement document, string method, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static List<string> SchemesOf(JsonElement operation) =>
        operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();

    /// <summary>The operation's schema as a JSON Schema (2020-12) with the document's components as its $defs.</summary>
    private static JsonSchema SchemaFor(JsonElement document, JsonElement schema)
    {
        var defs = JsonNode.Parse(document.GetProperty("components").GetProperty("schemas").GetRawText())!;
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://mineguard.test/openapi/{Guid.NewGuid():N}",
            ["$defs"] = defs,
            ["$ref"] = schema.GetProperty("$ref").GetString(),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
