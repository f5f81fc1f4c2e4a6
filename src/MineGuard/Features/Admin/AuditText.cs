using System.Text.Json;

namespace MineGuard.Features.Admin;

/// <summary>
/// The audit trail in a reader's terms: Chinese names for the record types and their common fields, and each change as
/// "字段：旧值 → 新值". A field without a Chinese name keeps its code name. The stored records are not changed.
/// </summary>
public static class AuditText
{
    public static readonly IReadOnlyDictionary<string, string> Entities = new Dictionary<string, string>
    {
        ["AppUser"] = "用户", ["AppRole"] = "角色", ["IdentityUserRole`1"] = "用户角色", ["Department"] = "部门", ["Division"] = "区划与网格",
        ["Adit"] = "矿硐", ["SealingEvent"] = "封堵记录", ["AditPhoto"] = "矿硐照片", ["LicensedMine"] = "矿山",
        ["KeyPerson"] = "重点人员", ["HomeVisit"] = "走访记录", ["KeyPersonAdit"] = "重点人员关联矿硐", ["ProtectedSecret"] = "加密密钥",
        ["PatrolTeam"] = "巡查队", ["PatrolTeamArea"] = "巡查队责任区", ["PatrolTeamMember"] = "巡查队员", ["PatrolPlan"] = "巡查计划",
        ["PatrolPlanItem"] = "巡查计划矿硐", ["Patrol"] = "巡查", ["CheckIn"] = "签到", ["CheckInPhoto"] = "签到照片", ["TrackChunk"] = "巡查轨迹",
        ["PatrolRuleSet"] = "巡查考核规则", ["Tip"] = "举报线索", ["TipAttachment"] = "举报附件", ["TipMessage"] = "举报人留言",
        ["Reward"] = "举报奖励", ["RewardRule"] = "奖励标准", ["Petition"] = "信访事项", ["FollowUp"] = "跟进事项（已并入督办事项）",
        ["Assignment"] = "督办事项",
        ["Alert"] = "预警", ["AlertEntry"] = "预警处置记录", ["AlertRule"] = "预警规则", ["Device"] = "监测设备", ["DeviceEvent"] = "设备信号",
        ["ApiKey"] = "接口密钥", ["Notification"] = "站内通知", ["SmsMessage"] = "短信", ["SmsAttempt"] = "短信发送记录",
        ["ImportSession"] = "台账导入", ["ImportBatch"] = "导入批次", ["StoredFile"] = "文件",
    };

    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["Id"] = "ID", ["Name"] = "名称", ["DisplayName"] = "姓名", ["UserName"] = "用户名", ["NormalizedUserName"] = "用户名（规范化）",
        ["Email"] = "电子邮箱", ["NormalizedEmail"] = "电子邮箱（规范化）", ["EmailConfirmed"] = "邮箱已确认", ["PhoneNumber"] = "手机号",
        ["PhoneNumberConfirmed"] = "手机号已确认", ["PasswordHash"] = "密码", ["SecurityStamp"] = "安全标记", ["ConcurrencyStamp"] = "并发标记",
        ["AccessFailedCount"] = "连续登录失败次数", ["LockoutEnabled"] = "允许锁定", ["LockoutEnd"] = "锁定至", ["TwoFactorEnabled"] = "双重验证",
        ["UserId"] = "用户", ["RoleId"] = "角色", ["DivisionCode"] = "所属区划", ["DepartmentCode"] = "部门", ["CountyCode"] = "县",
        ["TownshipCode"] = "乡镇", ["VillageCode"] = "村", ["GridCode"] = "网格", ["ParentCode"] = "上级区划", ["Code"] = "代码", ["Level"] = "层级",
        ["IsDemo"] = "演示数据", ["IsActive"] = "启用", ["CreatedUtc"] = "创建时间", ["UpdatedUtc"] = "更新时间", ["CreatedById"] = "创建人",
        ["Status"] = "状态", ["State"] = "封堵状态", ["Number"] = "编号", ["Title"] = "标题", ["Detail"] = "详情", ["Description"] = "说明",
        ["Note"] = "备注", ["Reason"] = "原因", ["StatusReason"] = "状态原因", ["DueOn"] = "期限", ["AssigneeUserId"] = "承办人",
        ["Lon"] = "经度", ["Lat"] = "纬度", ["Elevation"] = "海拔", ["Mineral"] = "矿种", ["Origin"] = "来源",
        ["ResponsibleUserId"] = "包保责任人", ["RightsHolder"] = "权利人", ["ClosureParty"] = "关闭责任单位",
        ["CurrentSealMethod"] = "封堵方式", ["LastSealedOn"] = "最近封堵日期", ["LastBreachedOn"] = "最近破坏日期", ["BreachCount"] = "破坏次数",
        ["SealCount"] = "封堵次数", ["Kind"] = "类别", ["OccurredOn"] = "发生日期", ["Method"] = "方式", ["PerformedBy"] = "实施单位",
        ["HowFound"] = "发现方式", ["Resolution"] = "办结情况", ["ClosedUtc"] = "办结时间", ["ClosedById"] = "办结人",
        ["Severity"] = "级别", ["Outcome"] = "核查结论", ["Reply"] = "答复", ["RepliedUtc"] = "答复时间", ["ArchivedUtc"] = "归档时间",
        ["EscalatedUtc"] = "提级督办时间", ["Content"] = "内容", ["Nature"] = "性质", ["ReceivedOn"] = "收到日期", ["Petitioner"] = "信访人",
        ["Contact"] = "联系方式", ["Amount"] = "金额", ["PayBy"] = "兑现期限", ["PaidOn"] = "兑现日期", ["Tier"] = "奖励档次",
        ["AssignedDivisionCode"] = "承办乡镇", ["AssignedDepartmentCode"] = "承办部门", ["Kinds"] = "举报类别", ["Place"] = "地点",
        ["Channel"] = "渠道", ["ReceivedUtc"] = "收到时间", ["VerificationNote"] = "核查情况", ["CaseNumber"] = "立案编号",
        ["Phone"] = "手机号", ["Text"] = "内容", ["Attempts"] = "发送次数", ["SentUtc"] = "发送时间", ["Enabled"] = "启用",
        ["TeamId"] = "巡查队", ["PlanId"] = "巡查计划", ["AditId"] = "矿硐", ["PatrolId"] = "巡查", ["TipId"] = "举报线索",
        ["PeriodStart"] = "开始日期", ["PeriodEnd"] = "结束日期", ["StartedUtc"] = "开始时间", ["EndedUtc"] = "结束时间", ["AtUtc"] = "时间",
        ["Verified"] = "核验到位", ["Flags"] = "可疑标记", ["DeviceId"] = "设备", ["Prefix"] = "前缀", ["RevokedUtc"] = "吊销时间",
        ["AssignmentId"] = "督办事项", ["FollowUpId"] = "跟进事项", ["(secret)"] = "保密字段",
    };

    public static readonly IReadOnlyDictionary<string, string> ExtraActions = new Dictionary<string, string>
    {
        ["route"] = "预警分派", ["import"] = "导入台账", ["undo-import"] = "撤销导入", ["export"] = "导出", ["ingest"] = "接收设备信号",
        ["logout"] = "退出登录", ["password-change"] = "修改本人密码", ["password-change-failed"] = "修改密码时当前密码错误",
        ["password-change-throttled"] = "修改密码尝试过于频繁",
    };

    public static string Entity(string type) => Entities.TryGetValue(type, out var name) ? name : type;

    public static string Field(string name) => Fields.TryGetValue(name, out var chinese) ? chinese : name;

    /// <summary>The change as lines: "字段：旧 → 新" for an update, "字段：值" for a new or deleted record; other text as it is.</summary>
    public static IReadOnlyList<string> Lines(string? changes)
    {
        if (string.IsNullOrWhiteSpace(changes)) return [];
        if (!changes.TrimStart().StartsWith('{')) return [changes];
        try
        {
            using var doc = JsonDocument.Parse(changes);
            var lines = new List<string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var v = p.Value;
                lines.Add(v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2
                    ? $"{Field(p.Name)}：{Value(v[0])} → {Value(v[1])}"
                    : $"{Field(p.Name)}：{Value(v)}");
            }
            return lines;
        }
        catch (JsonException)
        {
            return [changes];
        }
    }

    private static string Value(JsonElement v)
    {
        var text = v.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "（空）",
            JsonValueKind.True => "是",
            JsonValueKind.False => "否",
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : "（空）",
            _ => v.GetRawText(),
        };
        return text.Length <= 80 ? text : text[..80] + "…";
    }
}
