using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace MineGuard.Platform.Web;

public static class ChineseModelBinding
{
    /// <summary>Model binding's own messages (a number field with letters in it…) in Chinese.</summary>
    public static void UseChinese(this DefaultModelBindingMessageProvider p)
    {
        p.SetAttemptedValueIsInvalidAccessor((value, field) => $"“{value}”不是有效的{field}");
        p.SetMissingBindRequiredValueAccessor(field => $"缺少{field}");
        p.SetMissingKeyOrValueAccessor(() => "缺少值");
        p.SetMissingRequestBodyRequiredValueAccessor(() => "请求内容不能为空");
        p.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"“{value}”无效");
        p.SetNonPropertyUnknownValueIsInvalidAccessor(() => "值无效");
        p.SetNonPropertyValueMustBeANumberAccessor(() => "必须是数字");
        p.SetUnknownValueIsInvalidAccessor(field => $"{field}的值无效");
        p.SetValueIsInvalidAccessor(value => $"“{value}”无效");
        p.SetValueMustBeANumberAccessor(field => $"{field}必须是数字");
        p.SetValueMustNotBeNullAccessor(value => $"“{value}”不能为空");
    }
}
