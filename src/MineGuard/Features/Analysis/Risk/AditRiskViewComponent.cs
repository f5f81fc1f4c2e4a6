using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Analysis;

/// <summary>
/// The adit page's small 风险评分 section: the score and each contribution. Invoked by name from the adit page
/// (<c>Component.InvokeAsync("AditRisk", …)</c>), so Adits references no composer.
/// </summary>
public sealed class AditRiskViewComponent(AppDbContext db, RiskScorer scorer, HtmlEncoder h) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid aditId)
    {
        var view = await RiskApi.ViewAsync(db, scorer, aditId, HttpContext.RequestAborted);
        if (view is null) return new HtmlContentViewComponentResult(HtmlString.Empty);
        var html = new StringBuilder();
        html.Append($"""<h2 class="h5 mt-3">风险评分 <span class="badge text-bg-{(view.Score >= 60 ? "danger" : view.Score >= 30 ? "warning" : "secondary")}" id="risk-score">{view.Score:0}</span></h2>""");
        html.Append("""<table class="table table-sm small bg-white" id="risk-contributions"><thead><tr><th>因素</th><th>情况</th><th class="text-end">得分</th></tr></thead><tbody>""");
        foreach (var c in view.Contributions)
            html.Append($"""<tr{(c.HasData ? "" : " class=\"text-muted\"")}><td>{h.Encode(c.Label)}</td><td>{h.Encode(c.Value)}</td><td class="text-end">{c.Points:0.0}</td></tr>""");
        html.Append($"""</tbody></table><div class="small text-muted">“附近”指 {view.NearMetres} 米以内；满分 100。</div>""");
        // The adit's meters, each with its chart (电力看矿; the office reads them).
        if (User.IsInRole(Roles.Office) || User.IsInRole(Roles.Admin))
        {
            var meters = await db.Devices().AsNoTracking().Where(d => d.AditId == aditId && d.Kind == DeviceKind.Meter)
                .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).ToListAsync(HttpContext.RequestAborted);
            if (meters.Count > 0)
                html.Append("<div class=\"small mt-1\" id=\"adit-meters\">电表用电曲线：")
                    .AppendJoin("、", meters.Select(m => $"""<a href="/analysis/meters/{Uri.EscapeDataString(m.Code)}">{h.Encode(m.Name)}（{h.Encode(m.Code)}）</a>"""))
                    .Append("</div>");
        }
        return new HtmlContentViewComponentResult(new HtmlString(html.ToString()));
    }
}
