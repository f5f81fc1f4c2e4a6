using System.Net;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace MineGuard.Platform.Web;

/// <summary>
/// The no-script half of the one confirmation mechanism: a <c>&lt;form data-confirm="…"&gt;</c> gets a required
/// “确认” checkbox named <c>confirmed</c> inside <c>&lt;noscript&gt;</c>, so with JavaScript off the browser will not send
/// the form until the person ticks it. With JavaScript on, wwwroot/js/confirm.js asks in a dialog instead and sends
/// <c>confirmed=true</c>. Handlers that delete, retire or send check <see cref="Confirmed"/>.
/// </summary>
[HtmlTargetElement("form", Attributes = "data-confirm")]
public sealed class ConfirmTagHelper : TagHelper
{
    public const string Field = "confirmed";

    public static bool Confirmed(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.HasFormContentType && request.Form[Field].ToString() is "true" or "on";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var value = context.AllAttributes["data-confirm"].Value;
        // A literal attribute arrives as HtmlString, one with Razor expressions as other IHtmlContent: render, then decode.
        string text;
        if (value is IHtmlContent html)
        {
            using var writer = new StringWriter();
            html.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
            text = WebUtility.HtmlDecode(writer.ToString());
        }
        else text = value?.ToString() ?? "";
        output.PostContent.AppendHtml($"<noscript><label class=\"confirm-step\"><input type=\"checkbox\" name=\"{Field}\" value=\"true\" required /> 确认：");
        output.PostContent.Append(text);
        output.PostContent.AppendHtml("</label></noscript>");
    }
}
