// The leader's trends on the home page, drawn with ECharts (served from /lib/echarts, no CDN).
const host = document.getElementById('trends');
const echarts = window.echarts;
if (host && echarts) {
    const t = JSON.parse(host.dataset.trend || '{}');
    const base = {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 36, right: 12, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: t.months || [] },
        yAxis: { type: 'value', minInterval: 1 },
        animation: false,
    };
    const draw = (id, series) => {
        const el = document.getElementById(id);
        if (!el) return null;
        const chart = echarts.init(el, null, { renderer: 'canvas' });
        chart.setOption({ ...base, series });
        return chart;
    };
    const charts = [
        draw('chart-cases', [
            { name: '举报线索', type: 'line', data: t.tips || [] },
            { name: '预警', type: 'line', data: t.alerts || [] },
            { name: '发现破坏', type: 'line', data: t.breaches || [] },
        ]),
        draw('chart-patrols', [
            { name: '巡查次数', type: 'bar', data: t.patrols || [] },
            { name: '核验到位签到', type: 'bar', data: t.verifiedCheckIns || [] },
        ]),
    ].filter(Boolean);
    window.addEventListener('resize', () => charts.forEach(c => c.resize()));
    host.dataset.ready = 'true';
}
