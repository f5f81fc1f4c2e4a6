// The alert desk: reloads its rows every 10 seconds (with the same filters) and keeps the map's markers in step.
const rows = document.getElementById("alert-rows");
const map = L.map("alert-map", { zoomControl: true }).setView([34.1, 112.0], 8);
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
  document.getElementById("alert-map").dataset.markers = String(points.length);
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

// The jurisdiction's outline from the product's own data (no tile server needed), under the markers.
async function outline() {
  const el = document.getElementById("alert-map");
  const response = await fetch(`/api/divisions/${encodeURIComponent(el.dataset.division)}/boundary?crs=wgs84`, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const boundary = await response.json();
  if (!boundary.geometry) return;
  const shape = L.geoJSON(boundary.geometry, { interactive: false, style: { color: "#c0392b", weight: 2, fillOpacity: 0.03 } }).addTo(map);
  shape.bringToBack();
  if (layer.getLayers().length === 0) map.fitBounds(shape.getBounds(), { padding: [10, 10] });
}

draw(true);
outline();
setInterval(refresh, 10000);
