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
        colour(measure);
    };
    // The children coloured by the measure (a ranked list: the product has outlines for counties and cities only, so a
    // township's board could not draw its villages on a map): darker = larger, red where more is worse.
    const list = document.getElementById('child-colours');
    const colour = (measure) => {
        if (!list) return;
        const max = Math.max(1, ...measure.children.map(r => r.value));
        list.replaceChildren(...measure.children.map(r => {
            const li = document.createElement('li');
            const a = document.createElement('a');
            const t = r.value / max;
            a.href = r.link;
            a.className = 'd-inline-block px-2 py-1 rounded border text-decoration-none';
            a.dataset.code = r.code;
            a.dataset.value = r.value;
            a.style.background = measure.higherIsWorse ? `rgba(192,57,43,${0.1 + 0.8 * t})` : `rgba(44,123,229,${0.1 + 0.8 * t})`;
            a.style.color = t > 0.5 ? '#fff' : '#212529';
            a.textContent = `${names.get(r.code) ?? r.code} ${r.value}`;
            li.append(a);
            return li;
        }));
    };
    chart.on('click', p => { if (p.data?.link) location.href = p.data.link; });
    select.addEventListener('change', draw);
    window.addEventListener('resize', () => chart.resize());
    draw();
}

// 逐月趋势: the chosen measure of this division month by month (/api/dashboard/trend); a point links to its list.
const trendEl = document.getElementById('trend-chart');
const trendSelect = document.getElementById('trend-measure');
if (trendEl && trendSelect && window.echarts) {
    const chart = echarts.init(trendEl);
    const draw = async () => {
        const query = `division=${encodeURIComponent(trendSelect.dataset.division)}&measure=${encodeURIComponent(trendSelect.value)}&months=12`;
        const response = await fetch(`/api/dashboard/trend?${query}`, { headers: { Accept: 'application/json' } });
        if (!response.ok) return;
        const trend = await response.json();
        chart.setOption({
            grid: { left: 50, right: 30, top: 20, bottom: 30 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: trend.points.map(p => p.month) },
            yAxis: { type: 'value', minInterval: 1, name: trend.unit ?? '' },
            series: [{
                type: 'line', name: trend.name, data: trend.points.map(p => ({ value: p.value, link: p.link })),
                itemStyle: { color: trend.higherIsWorse ? '#c0392b' : '#2c7be5' }, label: { show: true },
            }],
        }, true);
        trendEl.dataset.measure = trendSelect.value;
        trendEl.dataset.points = trend.points.length;
    };
    chart.on('click', p => { if (p.data?.link) location.href = p.data.link; });
    trendSelect.addEventListener('change', draw);
    window.addEventListener('resize', () => chart.resize());
    draw();
}
