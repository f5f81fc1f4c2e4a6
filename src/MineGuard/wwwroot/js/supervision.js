// 督导看板: ranks the children by the chosen measure (ECharts bar chart); a bar links to the list behind it.
const data = JSON.parse(document.getElementById('dashboard-data')?.textContent ?? 'null');
const el = document.getElementById('rank-chart');
const select = document.getElementById('rank-measure');
if (data && el && select && window.echarts) {
    const chart = echarts.init(el);
    const names = new Map(data.children.map(c => [c.code, c.name]));
    const draw = () => {
        // The section's key has no dot; a measure's key may (an alert type such as device.offline).
        const dot = select.value.indexOf('.');
        const [sectionKey, measureKey] = [select.value.slice(0, dot), select.value.slice(dot + 1)];
        const measure = data.sections.find(s => s.key === sectionKey)?.measures.find(m => m.key === measureKey);
        if (!measure) return;
        const rows = [...measure.children].reverse(); // largest at the top of a horizontal bar chart
        chart.setOption({
            grid: { left: 100, right: 30, top: 10, bottom: 30 },
            tooltip: { trigger: 'item' },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', data: rows.map(r => names.get(r.code) ?? r.code) },
            series: [{
                type: 'bar', name: measure.name,
                data: rows.map(r => ({ value: r.value, link: r.link })),
                itemStyle: { color: measure.higherIsWorse ? '#c0392b' : '#2c7be5' },
                label: { show: true, position: 'right' },
            }],
        }, true);
        el.dataset.measure = select.value;
    };
    chart.on('click', p => { if (p.data?.link) location.href = p.data.link; });
    select.addEventListener('change', draw);
    window.addEventListener('resize', () => chart.resize());
    draw();
}
