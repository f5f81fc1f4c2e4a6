using Microsoft.AspNetCore.Razor.TagHelpers;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Web;

/// <summary>
/// Fills a <c>&lt;select mg-divisions="Model.Divisions" mg-selected="…"&gt;</c> with named divisions (see
/// <see cref="DivisionChoices"/>): the code is the value sent, the name what a person picks. A selected code that is not
/// in the list (a record filed deeper than the list goes) is kept as an option of its own, so saving the form never
/// moves the record somewhere else.
/// </summary>
[HtmlTargetElement("select", Attributes = "mg-divisions")]
public sealed class DivisionOptionsTagHelper : TagHelper
{
    [HtmlAttributeName("mg-divisions")]
    public IEnumerable<DivisionChoice> Divisions { get; set; } = [];

    [HtmlAttributeName("mg-selected")]
    public string? Selected { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var found = false;
        foreach (var d in Divisions)
        {
            var selected = d.Code == Selected;
            found |= selected;
            Option(output, d.Code, d.Label, selected);
        }
        if (!found && !string.IsNullOrEmpty(Selected)) Option(output, Selected, $"（代码 {Selected}）", true);
    }

    private static void Option(TagHelperOutput output, string code, string label, bool selected)
    {
        output.PostContent.AppendHtml("<option value=\"");
        output.PostContent.Append(code);
        output.PostContent.AppendHtml(selected ? "\" selected>" : "\">");
        output.PostContent.Append(label);
        output.PostContent.AppendHtml("</option>");
    }
}
