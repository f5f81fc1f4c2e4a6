namespace MineGuard.Features.Monitoring;

/// <summary>
/// The ingestion API's OpenAPI 3.1 description, served at /api/ingest/openapi.json (with the integration's key) and
/// /api/monitoring/openapi.json (for staff). Written by hand: it is the contract an integrator codes against.
/// </summary>
public static class IngestOpenApi
{
    public const string Json = """
{
  "openapi": "3.1.0",
  "info": {
    "title": "MineGuard 监控事件接入接口 (ingestion API)",
    "version": "1.0",
    "description": "摄像头、无人机、电子围栏、电子封条、电表、车辆卡口、卫星图斑等系统向平台推送事件。每批最多 1000 个事件；每个事件带本系统自己的事件编号 id，重发时凭它去重（同一密钥下同一 id 只存一次）；格式有误的事件按序号拒收并说明原因，其余照常接收。时间一律为带时区的 ISO 8601；坐标默认 WGS84，crs 为 gcj02 时按 GCJ-02 换算。设备须先在平台“设备台账”中登记，设备编号即 deviceId。"
  },
  "servers": [{ "url": "/" }],
  "security": [{ "apiKey": [] }],
  "paths": {
    "/api/integration/whoami": {
      "get": { "summary": "检查密钥是否可用", "responses": { "200": { "description": "密钥名称与管辖范围" }, "401": { "description": "密钥无效或已吊销" } } }
    },
    "/api/ingest/events": {
      "post": {
        "summary": "推送一批事件",
        "requestBody": {
          "required": true,
          "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/Batch" },
            "examples": {
              "camera": { "summary": "摄像头在已封堵矿硐发现人员", "value": { "events": [
                { "id": "cam-7-000123", "type": "camera.detection", "deviceId": "SX-CAM-001", "occurredAt": "2026-11-02T22:15:00+08:00", "subject": "person", "snapshotUrl": "https://video.example/snap/000123.jpg" } ] } },
              "efence": { "summary": "手机进入矿硐电子围栏（平台向该手机发送警示短信）", "value": { "events": [
                { "id": "ef-20261102-88", "type": "efence.entry", "deviceId": "SX-EF-001", "occurredAt": "2026-11-02T22:16:05+08:00", "phone": "13912345678", "lon": 111.9871, "lat": 34.1502 } ] } },
              "eseal": { "summary": "电子封条被破坏", "value": { "events": [
                { "id": "seal-55-7", "type": "eseal", "deviceId": "SX-SEAL-001", "occurredAt": "2026-11-02T03:01:00+08:00", "action": "tampered" } ] } },
              "mixed": { "summary": "心跳、电表、卡口、无人机、卫星图斑", "value": { "events": [
                { "id": "hb-1", "type": "heartbeat", "deviceId": "SX-CAM-001", "occurredAt": "2026-11-02T22:00:00+08:00" },
                { "id": "m-1", "type": "meter.readings", "deviceId": "SX-METER-9", "occurredAt": "2026-11-02T23:00:00+08:00", "readings": [ { "at": "2026-11-02T22:00:00+08:00", "kwh": 31.5 } ] },
                { "id": "cp-1", "type": "checkpoint.passage", "deviceId": "SX-CP-2", "occurredAt": "2026-11-02T21:40:00+08:00", "plate": "豫C12345", "direction": "in" },
                { "id": "uav-1", "type": "drone.observation", "occurredAt": "2026-11-02T10:00:00+08:00", "lon": 111.98, "lat": 34.15, "photoUrl": "https://uav.example/p/1.jpg", "note": "洞口有新鲜渣土" },
                { "id": "sat-1", "type": "satellite.change", "occurredAt": "2026-10-30T00:00:00+08:00", "polygon": { "type": "Polygon", "coordinates": [[[111.98,34.15],[111.99,34.15],[111.99,34.16],[111.98,34.15]]] } } ] } }
            }
          } }
        },
        "responses": {
          "200": { "description": "每个事件的结果：accepted（已接收，含平台事件编号和所属预警）、duplicates（此前已接收）、rejected（序号与各字段的原因）",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Result" },
              "example": { "acceptedCount": 1, "duplicateCount": 1, "rejectedCount": 1, "alertsOpened": 1,
                "accepted": [ { "index": 0, "id": "cam-7-000123", "eventId": "0193…", "alertId": "0193…" } ],
                "duplicates": [ { "index": 1, "id": "cam-7-000122" } ],
                "rejected": [ { "index": 2, "id": "cam-7-000124", "errors": { "subject": ["发现对象（subject）须为 person（人员）、vehicle（车辆）或 machine（机械）"] } } ] } } } },
          "400": { "description": "整批有误（如 events 为空或超过 1000 个），errors 指明字段" },
          "401": { "description": "缺少或无效的 X-Api-Key" }
        }
      }
    }
  },
  "components": {
    "securitySchemes": { "apiKey": { "type": "apiKey", "in": "header", "name": "X-Api-Key", "description": "管理员在“接口密钥”中创建，形如 mg_xxxxxxxxxxxx_…，只显示一次" } },
    "schemas": {
      "Batch": { "type": "object", "required": ["events"], "properties": { "events": { "type": "array", "maxItems": 1000, "items": { "$ref": "#/components/schemas/Event" } } } },
      "Event": {
        "type": "object", "required": ["id", "type", "occurredAt"],
        "properties": {
          "id": { "type": "string", "maxLength": 100, "description": "本系统的事件编号，重发时不变" },
          "type": { "type": "string", "enum": ["camera.detection", "drone.observation", "efence.entry", "eseal", "meter.readings", "checkpoint.passage", "satellite.change", "heartbeat"] },
          "occurredAt": { "type": "string", "format": "date-time", "description": "带时区，如 2026-11-02T22:15:00+08:00" },
          "deviceId": { "type": "string", "maxLength": 100, "description": "在平台登记的设备编号；除 drone.observation、satellite.change 与带位置的 efence.entry 外必填" },
          "lon": { "type": "number" }, "lat": { "type": "number" },
          "crs": { "type": "string", "enum": ["wgs84", "gcj02"], "default": "wgs84" },
          "subject": { "type": "string", "enum": ["person", "vehicle", "machine"], "description": "camera.detection 必填" },
          "snapshotUrl": { "type": "string", "format": "uri" },
          "photoUrl": { "type": "string", "format": "uri" },
          "note": { "type": "string" },
          "phone": { "type": "string", "pattern": "^1\\d{10}$", "description": "efence.entry：进入者手机号（或 subjectDeviceId）" },
          "subjectDeviceId": { "type": "string" },
          "action": { "type": "string", "enum": ["opened", "tampered", "power-on"], "description": "eseal 必填" },
          "readings": { "type": "array", "items": { "type": "object", "required": ["at", "kwh"], "properties": { "at": { "type": "string", "format": "date-time" }, "kwh": { "type": "number", "minimum": 0 } } } },
          "plate": { "type": "string", "maxLength": 20 }, "direction": { "type": "string", "enum": ["in", "out"] },
          "polygon": { "type": "object", "description": "satellite.change：GeoJSON Polygon/MultiPolygon" }
        }
      },
      "Result": { "type": "object", "properties": {
        "acceptedCount": { "type": "integer" }, "duplicateCount": { "type": "integer" }, "rejectedCount": { "type": "integer" }, "alertsOpened": { "type": "integer" },
        "accepted": { "type": "array", "items": { "type": "object", "properties": { "index": { "type": "integer" }, "id": { "type": "string" }, "eventId": { "type": "string", "format": "uuid" }, "alertId": { "type": ["string", "null"], "format": "uuid" } } } },
        "duplicates": { "type": "array", "items": { "type": "object", "properties": { "index": { "type": "integer" }, "id": { "type": "string" } } } },
        "rejected": { "type": "array", "items": { "type": "object", "properties": { "index": { "type": "integer" }, "id": { "type": ["string", "null"] }, "errors": { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } } } } } } } }
    }
  }
}
""";
}
