using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// What the generated document cannot learn from <see cref="IngestRequest"/> (its events are raw JSON, checked field by
/// field in <see cref="EventIngestion"/>): the event's fields per type, the batch rules and an example of each kind of
/// system that pushes to us. It is the contract an integrator codes against; keep it in step with EventIngestion.
/// </summary>
public static class IngestDocument
{
    public const string BatchSchema = "IngestBatch";
    public const string EventSchema = "IngestEvent";

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(EventSchema))
        {
            var parsed = OpenApiModelFactory.Parse<OpenApiSchema>(Event, OpenApiSpecVersion.OpenApi3_1, document, out _, "json")
                         ?? throw new InvalidOperationException("The ingest event schema does not parse.");
            document.Components.Schemas[EventSchema] = parsed;
            document.Components.Schemas[BatchSchema] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "events" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["events"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array, MinItems = 1, MaxItems = EventIngestion.MaxBatch,
                        Items = new OpenApiSchemaReference(EventSchema, document),
                    },
                },
            };
        }

        operation.Description =
            "摄像头、无人机、电子围栏、电子封条、电表、车辆卡口、卫星图斑、民爆物品/氰化钠流向等系统向平台推送事件。每批最多 1000 个事件；每个事件带本系统" +
            "自己的事件编号 id，重发时凭它去重（同一密钥下同一 id 只存一次）；格式有误的事件按序号拒收并说明原因，其余照常接收。" +
            "时间一律为带时区的 ISO 8601；坐标默认 WGS84，crs 为 gcj02 时按 GCJ-02 换算。设备须先在平台“设备台账”中登记，设备编号即 deviceId。";
        var examples = new Dictionary<string, IOpenApiExample>();
        foreach (var (name, summary, value) in Examples)
            examples[name] = new OpenApiExample { Summary = summary, Value = JsonNode.Parse(value) };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(BatchSchema, document), Examples = examples },
            },
        };
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Description = "每个事件的结果：accepted（已接收，含平台事件编号和所属预警）、duplicates（此前已接收）、rejected（序号与各字段的原因）";
            if (response.Content?.TryGetValue("application/json", out var json) == true) json.Example = JsonNode.Parse(Result);
        }
        return Task.CompletedTask;
    }

    /// <summary>(name, summary, batch): one per kind of system; the OpenAPI tests validate each against the schema.</summary>
    public static readonly IReadOnlyList<(string Name, string Summary, string Value)> Examples =
    [
        ("camera", "摄像头在已封堵矿硐发现人员", """
            { "events": [ { "id": "cam-7-000123", "type": "camera.detection", "deviceId": "SX-CAM-001", "occurredAt": "2026-11-02T22:15:00+08:00", "subject": "person", "snapshotUrl": "https://video.example/snap/000123.jpg" } ] }
            """),
        ("efence", "手机进入矿硐电子围栏（平台向该手机发送警示短信）", """
            { "events": [ { "id": "ef-20261102-88", "type": "efence.entry", "deviceId": "SX-EF-001", "occurredAt": "2026-11-02T22:16:05+08:00", "phone": "13912345678", "lon": 111.9871, "lat": 34.1502 } ] }
            """),
        ("eseal", "电子封条被破坏", """
            { "events": [ { "id": "seal-55-7", "type": "eseal", "deviceId": "SX-SEAL-001", "occurredAt": "2026-11-02T03:01:00+08:00", "action": "tampered" } ] }
            """),
        ("mixed", "心跳、电表、卡口、无人机、卫星图斑", """
            { "events": [
              { "id": "hb-1", "type": "heartbeat", "deviceId": "SX-CAM-001", "occurredAt": "2026-11-02T22:00:00+08:00" },
              { "id": "m-1", "type": "meter.readings", "deviceId": "SX-METER-9", "occurredAt": "2026-11-02T23:00:00+08:00", "readings": [ { "at": "2026-11-02T22:00:00+08:00", "kwh": 31.5 } ] },
              { "id": "cp-1", "type": "checkpoint.passage", "deviceId": "SX-CP-2", "occurredAt": "2026-11-02T21:40:00+08:00", "plate": "豫C12345", "direction": "in" },
              { "id": "uav-1", "type": "drone.observation", "occurredAt": "2026-11-02T10:00:00+08:00", "lon": 111.98, "lat": 34.15, "photoUrl": "https://uav.example/p/1.jpg", "note": "洞口有新鲜渣土" },
              { "id": "sat-1", "type": "satellite.change", "occurredAt": "2026-10-30T00:00:00+08:00", "changeType": "新增开挖", "polygon": { "type": "Polygon", "coordinates": [[[111.98,34.15],[111.99,34.15],[111.99,34.16],[111.98,34.15]]] } } ] }
            """),
        ("explosives", "民爆物品流向（公安民爆系统推送一次购买）", """
            { "events": [ { "id": "0193a4c2-5b7e-7d00-8f3a-2b9c1d4e5f70", "type": "explosives.movement", "occurredAt": "2026-10-20T08:00:00+08:00", "movement": { "holderId": "0193a4c2-5b7e-7d00-8f3a-2b9c1d4e5f71", "kind": "purchase", "material": "explosive", "quantity": 100, "permitNumber": "GM-2026-001" } } ] }
            """),
    ];

    private const string Result = """
        { "acceptedCount": 1, "duplicateCount": 1, "rejectedCount": 1, "alertsOpened": 1,
          "accepted": [ { "index": 0, "id": "cam-7-000123", "eventId": "0193a4c2-5b7e-7d00-8f3a-2b9c1d4e5f60", "alertId": "0193a4c2-5b7e-7d00-8f3a-2b9c1d4e5f61" } ],
          "duplicates": [ { "index": 1, "id": "cam-7-000122" } ],
          "rejected": [ { "index": 2, "id": "cam-7-000124", "errors": { "subject": ["发现对象（subject）须为 person（人员）、vehicle（车辆）或 machine（机械）"] } } ] }
        """;

    private const string Event = """
        {
          "type": "object", "required": ["id", "type", "occurredAt"],
          "properties": {
            "id": { "type": "string", "minLength": 1, "maxLength": 100, "description": "本系统的事件编号，重发时不变" },
            "type": { "type": "string", "enum": ["camera.detection", "drone.observation", "efence.entry", "eseal", "meter.readings", "checkpoint.passage", "satellite.change", "heartbeat", "explosives.movement"] },
            "occurredAt": { "type": "string", "format": "date-time", "description": "带时区，如 2026-11-02T22:15:00+08:00" },
            "deviceId": { "type": "string", "maxLength": 100, "description": "在平台登记的设备编号；除 drone.observation、satellite.change 与带位置的 efence.entry 外必填" },
            "lon": { "type": "number", "minimum": 73, "maximum": 136, "description": "经度（中国境内），与 lat 同时给出" },
            "lat": { "type": "number", "minimum": 3, "maximum": 54, "description": "纬度（中国境内）" },
            "crs": { "type": "string", "enum": ["wgs84", "gcj02"], "default": "wgs84" },
            "subject": { "type": "string", "enum": ["person", "vehicle", "machine"], "description": "camera.detection 必填" },
            "snapshotUrl": { "type": "string", "format": "uri" },
            "photoUrl": { "type": "string", "format": "uri" },
            "note": { "type": "string" },
            "phone": { "type": "string", "pattern": "^1\\d{10}$", "description": "efence.entry：进入者手机号（或 subjectDeviceId）" },
            "subjectDeviceId": { "type": "string" },
            "action": { "type": "string", "enum": ["opened", "tampered", "power-on"], "description": "eseal 必填" },
            "readings": { "type": "array", "items": { "type": "object", "required": ["at", "kwh"], "properties": { "at": { "type": "string", "format": "date-time" }, "kwh": { "type": "number", "minimum": 0 }, "kind": { "type": "string", "enum": ["interval", "register"] } } } },
            "kind": { "type": "string", "enum": ["interval", "register"], "description": "meter.readings：interval（时段用电量，默认）或 register（表示数，累计）" },
            "plate": { "type": "string", "maxLength": 20 }, "direction": { "type": "string", "enum": ["in", "out"] },
            "polygon": { "type": "object", "description": "satellite.change：图斑范围，GeoJSON Polygon/MultiPolygon；事件编号即图斑编号，图斑进入批次并派发实地核查" },
            "batch": { "type": "object", "description": "satellite.change：所属批次 {batchId, province, periodFrom, periodTo, crs}；省略时归入本接口所在省当月的推送批次（{省}-{yyyy-MM}-推送）" },
            "changeType": { "type": "string", "maxLength": 40, "description": "satellite.change：变化类型（如 新增开挖、堆土），省略为“未注明”" },
            "beforeImage": { "type": "string", "maxLength": 500, "description": "satellite.change：前时相影像编号" },
            "afterImage": { "type": "string", "maxLength": 500, "description": "satellite.change：后时相影像编号" },
            "movement": { "type": "object", "description": "explosives.movement：一条民爆物品/氰化钠流向记录，字段同 POST /api/explosives/movements 的一条记录（不含 id、at：记录编号取事件编号，时间取 occurredAt）" }
          }
        }
        """;
}
