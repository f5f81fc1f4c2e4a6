// The alert desk: reloads its rows every 10 seconds (with the same filters) and keeps the map's markers in step, over
// the jurisdiction's context (outline, township names, adits and licence boundaries around: map-context.js). Alert
// positions are WGS84 as reported, so GCJ-02 tiles are left out (basemap.js).
import { showContext } from "/js/map-context.js";

const rows = document.getElementById("alert-rows");
const el = document.getElementById("alert-map");
const { map, ready } = MineGuardMap.create(el, { zoomControl: true }, { wgsOnly: true });
map.setView([34.1, 112.0], 8);
const layer = L.layerGroup().addTo(map);
const colours = { high: "#d62728", medium: "#ff7f0e", low: "#1f77b4" };

function draw(fit) {
  layer.clearLayers();
  const points = [];
  for (const tr of rows.querySelectorAll("tr[data-id]")) {
    const lon = parseFloat(tr.dataset.lon), lat = parseFloat(tr.dataset.lat);
    if (Number.isNaN(lon) || Number.isNaN(lat)) continue;
    points.push([lat, lon]);
    L.circleMarker([lat, lon], { radius: 8, color: colours[tr.dataset.severity] || "#555", fillOpacity: 0.7 })
      .bindTooltip(tr.dataset.title).on("click", () => { location.href = `/alerts/${tr.dataset.id}`; }).addTo(layer);
  }
  if (fit && points.length > 0) map.fitBounds(points, { maxZoom: 13, padding: [20, 20] });
  el.dataset.markers = String(points.length);
}

async function refresh() {
  const query = new URLSearchParams(location.search);
  query.set("handler", "Rows");
  try {
    const response = await fetch(`/alerts?${query}`, { headers: { Accept: "text/html" } });
    if (response.ok) {
      rows.innerHTML = await response.text();
      draw(false);
      document.getElementById("refreshed").textContent = `已刷新 ${new Date().toLocaleTimeString("zh-CN")}`;
    }
  } catch {
    // Offline for a moment: the next round tries again.
  }
}

draw(true);
setInterval(refresh, 10000);
const { crs } = await ready;
const context = await showContext(map, { crs, division: el.dataset.division });
// No alert to frame: the jurisdiction is the frame.
if (layer.getLayers().length === 0 && context.outline) map.fitBounds(context.outline, { padding: [10, 10] });
