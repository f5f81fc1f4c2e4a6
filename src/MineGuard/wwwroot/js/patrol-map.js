// Patrol maps drawn from the product's own data (no internet needed): one patrol's track with its check-ins
// (#patrol-map), a check-in under review with the stretches of its track where a rule fired (#patrol-map with
// data-check-in), or a month's blind spots (#blind-map). Positions are drawn as recorded (WGS84): the base layer is
// left out when its tiles are in GCJ-02.
const el = document.getElementById("patrol-map") || document.getElementById("blind-map");
const { map } = MineGuardMap.create(el, {}, { wgsOnly: true });
const json = (url) => fetch(url, { headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : null));
const bounds = [];

if (el.id === "patrol-map") {
  const review = el.dataset.checkIn ? await json(`/api/check-ins/${encodeURIComponent(el.dataset.checkIn)}/review`) : null;
  const detail = review ? { track: review.track, checkIns: [review.checkIn] } : await json(`/api/patrols/${encodeURIComponent(el.dataset.patrol)}`);
  const line = (detail?.track ?? []).map((p) => [p[0], p[1]]);
  if (line.length) {
    L.polyline(line, { color: "#f28c28", weight: 4 }).addTo(map);
    bounds.push(...line);
  }
  // The stretches where a windowed rule fired, drawn over the track in red with the rule's explanation.
  for (const w of review?.windows ?? []) {
    const from = Date.parse(w.fromUtc.endsWith("Z") ? w.fromUtc : `${w.fromUtc}Z`);
    const to = Date.parse(w.toUtc.endsWith("Z") ? w.toUtc : `${w.toUtc}Z`);
    const part = detail.track.filter((p) => p[3] >= from && p[3] <= to).map((p) => [p[0], p[1]]);
    if (part.length > 1) L.polyline(part, { color: "#c62828", weight: 7, opacity: 0.8, className: "fired-window" }).bindTooltip(`${w.name}：${w.detail}`).addTo(map);
  }
  for (const c of detail?.checkIns ?? []) {
    L.circleMarker([c.aditLat, c.aditLon], { radius: 8, color: "#1f3a5f", fillOpacity: 0.3 }).bindTooltip(`矿硐 ${c.aditNumber}`).addTo(map);
    L.circleMarker([c.lat, c.lon], { radius: 5, color: c.verified ? "#2e7d32" : "#c62828", fillOpacity: 0.9 })
      .bindTooltip(`${c.aditNumber} 签到：${c.verified ? "核验到位" : "未核验"}`).addTo(map);
    bounds.push([c.aditLat, c.aditLon], [c.lat, c.lon]);
  }
} else {
  // A period of days (the supervision dashboard's link) or the month.
  const period = el.dataset.from ? `from=${encodeURIComponent(el.dataset.from)}&to=${encodeURIComponent(el.dataset.to)}` : `month=${encodeURIComponent(el.dataset.month)}`;
  const report = await json(`/api/patrols/compliance?${period}&division=${encodeURIComponent(el.dataset.division)}`);
  for (const b of report?.blindSpots ?? []) {
    L.circleMarker([b.lat, b.lon], { radius: 5, color: "#c62828", fillOpacity: 0.8, className: "blind-spot" })
      .bindTooltip(`${b.number} ${b.name ?? ""}（${b.state}）`).addTo(map);
    bounds.push([b.lat, b.lon]);
  }
}

if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
else map.setView([34, 112], 8);
el.dataset.ready = "true";
