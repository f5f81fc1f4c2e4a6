// A meter's hourly series with its expected band and each finding's window shaded (ECharts from /lib/echarts, no CDN).
// The host element gets data-shaded (the number of shaded windows) and data-ready once drawn: the browser test reads them.
const host = document.getElementById('meter-chart');
const echarts = window.echarts;
if (host && echarts) {
    const response = await fetch(host.dataset.url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.ok) {
        const data = await response.json();
        const hours = data.hours || [];
        const t = h => new Date(h.at).getTime();
        const low = hours.map(h => [t(h), h.low ?? '-']);
        const width = hours.map(h => [t(h), h.high != null && h.low != null ? h.high - h.low : '-']);
        const kwh = hours.map(h => [t(h), h.kwh ?? '-']);
        const findings = data.findings || [];
        const areas = findings.map(f => [
            { name: f.kindName, xAxis: new Date(f.start).getTime(), itemStyle: { color: f.status === 'explained' ? 'rgba(25,135,84,0.15)' : 'rgba(220,53,69,0.2)' } },
            { xAxis: new Date(f.end).getTime() },
        ]);
        // Open on the latest finding (a month around it), else on the last month.
        const last = hours.length ? t(hours[hours.length - 1]) : Date.now();
        const focus = findings.length ? new Date(findings[0].start).getTime() : last - 30 * 864e5;
        const chart = echarts.init(host, null, { renderer: 'canvas' });
        chart.setOption({
            animation: false,
            tooltip: { trigger: 'axis' },
            legend: { top: 0, data: ['用电量 kWh', '预期范围'] },
            grid: { left: 48, right: 16, top: 32, bottom: 72 },
            xAxis: { type: 'time' },
            yAxis: { type: 'value', name: 'kWh' },
            dataZoom: [
                { type: 'slider', startValue: Math.max(focus - 14 * 864e5, hours.length ? t(hours[0]) : focus), endValue: Math.min(focus + 21 * 864e5, last) },
                { type: 'inside' },
            ],
            series: [
                { name: '预期下限', type: 'line', data: low, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
                { name: '预期范围', type: 'line', data: width, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 },
                  areaStyle: { color: 'rgba(108,117,125,0.25)' }, color: 'rgba(108,117,125,0.6)' },
                { name: '用电量 kWh', type: 'line', data: kwh, symbol: 'none', connectNulls: false, color: '#0d6efd',
                  markArea: { silent: true, label: { show: true, position: 'insideTop', fontSize: 11 }, data: areas } },
            ],
        });
        window.addEventListener('resize', () => chart.resize());
        host.dataset.shaded = String(areas.length);
        host.dataset.ready = 'true';
    } else {
        host.textContent = '用电数据读取失败（' + response.status + '）';
    }
}
