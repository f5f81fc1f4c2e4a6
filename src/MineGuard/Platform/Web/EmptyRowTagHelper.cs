using Microsoft.AspNetCore.Razor.TagHelpers;

namespace MineGuard.Platform.Web;

/// <summary>
/// The one way a list says it is empty: <c>&lt;tbody mg-empty="Model.Items.Count == 0" mg-columns="8"&gt;</c> gets a
/// single row "暂无" across all columns (styled by <c>tr.empty</c> in site.css) when there is nothing to show.
/// </summary>
[HtmlTargetElement("tbody", Attributes = "mg-empty")]
public sealed class EmptyRowTagHelper : TagHelper
{
    public const string Text = "暂无";

    [HtmlAttributeName("mg-empty")]
    public bool Empty { get; set; }

    [HtmlAttributeName("mg-columns")]
    public int Columns { get; set; } = 1;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (Empty) output.PostContent.AppendHtml($"<tr class=\"empty\"><td colspan=\"{Columns}\">{Text}</td></tr>");
    }
}
