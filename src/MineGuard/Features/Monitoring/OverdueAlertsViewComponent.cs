using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace MineGuard.Features.Monitoring;

/// <summary>The supervisor's figure on the dashboard: open alerts in scope past a deadline, linking to them on the desk.</summary>
public sealed class OverdueAlertsViewComponent(AlertCommands alerts) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var overdue = await alerts.OverdueCountAsync(HttpContext.RequestAborted);
        var open = (await alerts.ListAsync(new AlertListQuery(null, null, null, null, 1), HttpContext.RequestAborted)).List?.Total ?? 0;
        return new HtmlContentViewComponentResult(new HtmlString($"""
            <div class="col-6"><a class="text-decoration-none" href="/alerts"><div class="stat"><div class="stat-value" id="open-alerts">{open}</div><div class="stat-label">未关闭预警</div></div></a></div>
            <div class="col-6"><a class="text-decoration-none" href="/alerts?overdue=true"><div class="stat"><div class="stat-value text-danger" id="overdue-alerts">{overdue}</div><div class="stat-label">逾期未处置预警</div></div></a></div>
            """));
    }
}
