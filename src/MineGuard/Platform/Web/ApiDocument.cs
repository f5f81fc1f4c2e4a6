using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MineGuard.Platform.Auth;
using Scalar.AspNetCore;

namespace MineGuard.Platform.Web;

/// <summary>
/// The one API description (issue 21): generated from the endpoints at <see cref="Path"/> for every /api route, with
/// the two ways in (the API key of an integration, the log-in cookie of a person), the errors the platform really
/// answers with, and a reference page for people at <see cref="ReferencePath"/> (Scalar, served from its package).
/// Features add a Chinese summary to each route (<c>.WithSummary("…")</c>) and, where a body needs more than its type
/// says, their own operation transformer (the ingestion events: Features/Monitoring/IngestDocument).
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    public const string Path = "/openapi/v1.json";
    public const string ReferencePath = "/api-docs";
    public const string CookieScheme = "cookie";
    public const string KeyScheme = "apiKey";

    public static IServiceCollection AddMineGuardApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi(Name, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            // The API only: pages, tiles and the health check are not part of the contract.
            o.ShouldInclude = d => d.RelativePath is { } path && (path == "api" || path.StartsWith("api/", StringComparison.Ordinal));
            o.AddDocumentTransformer(DescribeDocument);
            o.AddOperationTransformer(DescribeAccessAndErrors);
        });
        return services;
    }

    public static void MapApiDocument(this IEndpointRouteBuilder app)
    {
        // Staff and integrations read it (as they read the old ingest description); the public has no use for it.
        app.MapOpenApi(Path).RequireAuthorization(Policies.ApiReader);
        // The reference page is for staff (integrators read the JSON with their key). Its script and styles come from
        // the package (no CDN, no web fonts, no telemetry: deployments have no internet); the page's one inline script
        // runs under a nonce that this response alone adds to the CSP.
        var reference = app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("MineGuard 接口说明")
                .WithOpenApiRoutePattern(Path)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideClientButton()
                .HideDeveloperTools()
                .WithNonce())
            .RequireAuthorization(Policies.Staff);
        // Scalar marks its script files anonymous (after our conventions, hence Finally); here nothing but the log-in
        // page, the error page and the tip portal is public.
        reference.Finally(endpoint =>
        {
            foreach (var open in endpoint.Metadata.OfType<IAllowAnonymous>().ToList()) endpoint.Metadata.Remove(open);
        });
        reference.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = http =>
            {
                http.Response.OnStarting(() =>
                {
                    if (http.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                        http.Response.Headers.ContentSecurityPolicy = SecurityHeaders.WithScriptNonce(http.Response.Headers.ContentSecurityPolicy.ToString(), nonce);
                    return Task.CompletedTask;
                });
                return inner(http);
            };
        });
    }

    /// <summary>The document as JSON, for the addresses integrators used before it was generated.</summary>
    public static async Task<string> JsonAsync(IServiceProvider services, CancellationToken ct)
    {
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(Name).GetOpenApiDocumentAsync(ct);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MineGuard 接口 (API)",
            Version = "1.0",
            Description = "非法采矿防控平台的全部 /api 接口。工作人员凭登录后的 Cookie 调用；对接系统（摄像头、无人机、电子围栏、" +
                          "电子封条、电表、车辆卡口、卫星图斑等）凭管理员在“接口密钥”中创建的密钥调用，放在请求头 X-Api-Key 中。" +
                          "先用 GET /api/integration/whoami 检查密钥，再向 POST /api/ingest/events 推送事件（示例见该接口）。" +
                          "出错时一律返回 ProblemDetails（中文 title/detail；400 的 errors 按字段给出原因；409 的 code 指明业务规则）。",
        };
        document.Servers = [new OpenApiServer { Url = "/" }];
        // Tags stay the features' English names (stable for generated clients); people read the Chinese one.
        document.Tags = new HashSet<OpenApiTag>(TagNames.Select(t => new OpenApiTag
        {
            Name = t.Key, Description = t.Value,
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-displayName"] = new JsonNodeExtension(JsonValue.Create(t.Value)) },
        }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [KeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthentication.Header,
                Description = "对接系统的接口密钥：管理员在“接口密钥”中创建，形如 mg_xxxxxxxxxxxx_…，只显示一次；" +
                              "也可写作 Authorization: ApiKey <密钥>",
            },
            [CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "mineguard",
                Description = "工作人员在 /login 登录后浏览器持有的 Cookie（8 小时内有效，外勤应用可保持 14 天）",
            },
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, Problem(validation: false));
        document.Components.Schemas.TryAdd(ValidationProblemSchema, Problem(validation: true));
        return Task.CompletedTask;
    }

    /// <summary>Each feature's tag and its name for people, in the order a county office meets them.</summary>
    private static readonly IReadOnlyDictionary<string, string> TagNames = new Dictionary<string, string>
    {
        ["integration"] = "对接系统：密钥检查", ["ingest"] = "对接系统：监控事件接入", ["adits"] = "矿硐台账", ["mines"] = "矿业权",
        ["persons"] = "责任人名录", ["clues"] = "线索与我的待办", ["assignments"] = "督办事项", ["tips"] = "举报", ["petitions"] = "信访",
        ["patrols"] = "巡查", ["field"] = "外勤应用同步", ["monitoring"] = "技防预警与设备", ["key-persons"] = "重点人员",
        ["imports"] = "台账导入", ["map"] = "地图", ["divisions"] = "行政区划与当前用户", ["notifications"] = "消息与短信",
        ["admin"] = "系统管理", ["exports"] = "导出", ["cases"] = "案件", ["account"] = "本人账号", ["follow-ups"] = "（已停用）跟进事项",
        ["analysis"] = "风险分析",
        ["supervision"] = "督导看板",
        ["reports"] = "阶段报告",
        ["spot-checks"] = "抽查",
        ["referrals"] = "问责线索",
        ["campaigns"] = "专项行动", ["joint-operations"] = "联合执法", ["meetings"] = "联席会议", ["publicity"] = "宣传",
        ["explosives"] = "民爆物品与氰化钠闭环",
        ["incidents"] = "事件事故", ["safety-notices"] = "安全警示",
        ["satellite"] = "卫片图斑",
        ["sweeps"] = "排查行动与检查表", ["inspections"] = "检查记录", ["rectifications"] = "问题台账与整改台账",
    };

    private const string ProblemSchema = "Problem";
    private const string ValidationProblemSchema = "ValidationProblem";

    private static OpenApiSchema Problem(bool validation)
    {
        var text = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null };
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = validation ? "请求有误：errors 以字段名（JSON 名）为键，给出中文原因" : "错误说明（中文 title 与 detail；业务规则冲突时 code 为规则名）",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = text, ["title"] = text, ["detail"] = text, ["instance"] = text,
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
                ["code"] = text,
            },
        };
        if (validation)
        {
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        return schema;
    }

    private static Task DescribeAccessAndErrors(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document!;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (!anonymous)
        {
            var schemes = policies.Contains(Policies.ApiReader) ? [KeyScheme, CookieScheme]
                : policies.Contains(Policies.Integration) ? [KeyScheme]
                : new[] { CookieScheme };
            operation.Security = schemes
                .Select(s => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(s, document)] = [] })
                .ToList();
        }

        operation.Responses ??= new OpenApiResponses();
        var returns = ResultTypes(metadata.OfType<MethodInfo>().FirstOrDefault()?.ReturnType);
        // Files (exports, photos, evidence) are written by the handler itself: say what a success carries.
        // (An export that may also answer 202, a background job, still sends the file itself with 200.)
        if (!operation.Responses.ContainsKey("200")
            && (returns.Contains(typeof(FileStreamHttpResult)) || !operation.Responses.Keys.Any(k => k.StartsWith('2'))))
        {
            var path = context.Description.RelativePath ?? "";
            var spreadsheet = path.EndsWith(".xlsx", StringComparison.Ordinal) || path.EndsWith("/export", StringComparison.Ordinal);
            var binary = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = spreadsheet ? "Excel 文件（.xlsx），或 format=csv 时的 CSV（UTF-8）" : "文件内容（照片、附件或佐证材料，类型随文件）",
                Content = spreadsheet
                    ? new Dictionary<string, OpenApiMediaType> { ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = binary, ["text/csv"] = binary }
                    : new Dictionary<string, OpenApiMediaType> { ["application/octet-stream"] = binary },
            };
        }
        var hasInput = operation.Parameters is { Count: > 0 } || operation.RequestBody is not null;
        // Bound input is checked before the handler (InputLimits, a body that does not parse): a 400 naming the field.
        if (hasInput) Add(operation, document, "400", "请求有误，errors 指明字段", ValidationProblemSchema);
        if (!anonymous || returns.Contains(typeof(UnauthorizedHttpResult))) Add(operation, document, "401", "未登录，或密钥缺失、无效、已吊销", ProblemSchema);
        if (policies.Overlaps(Narrow) || returns.Contains(typeof(ForbidHttpResult)))
            Add(operation, document, "403", "已登录，但角色或部门无权执行此操作", ProblemSchema);
        if (returns.Contains(typeof(NotFound)))
            Add(operation, document, "404", "未找到，或不在您的管辖范围内", ProblemSchema);
        // Business rules (Rule.Check) answer 409 with their code from any change.
        if (context.Description.HttpMethod is not ("GET" or "HEAD"))
            Add(operation, document, "409", "业务规则不允许此操作（code 指明规则，detail 说明原因）", ProblemSchema);
        return Task.CompletedTask;
    }

    private static readonly string[] Narrow = [Policies.Writer, Policies.Office, Policies.OfficeOnly, Policies.Admin, Policies.KeyPersons];

    private static void Add(OpenApiOperation operation, OpenApiDocument document, string status, string description, string schema)
    {
        if (operation.Responses!.TryGetValue(status, out var existing))
        {
            // NotFound and ValidationProblem describe themselves without a word of Chinese or a body: complete them.
            if (existing is OpenApiResponse response)
            {
                if (string.IsNullOrEmpty(response.Description) || response.Description.All(c => c < 128)) response.Description = description;
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                if (response.Content.Count == 0)
                    response.Content["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schema, document) };
            }
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            },
        };
    }

    /// <summary>The result types a handler declares (<c>Task&lt;Results&lt;Ok&lt;T&gt;, NotFound&gt;&gt;</c> → Ok&lt;T&gt;, NotFound).</summary>
    private static HashSet<Type> ResultTypes(Type? type)
    {
        var found = new HashSet<Type>();
        void Walk(Type t)
        {
            found.Add(t);
            if (!t.IsGenericType) return;
            var definition = t.GetGenericTypeDefinition();
            if (definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition.FullName!.StartsWith("Microsoft.AspNetCore.Http.HttpResults.Results`", StringComparison.Ordinal))
                foreach (var argument in t.GetGenericArguments()) Walk(argument);
        }
        if (type is not null) Walk(type);
        return found;
    }
}
