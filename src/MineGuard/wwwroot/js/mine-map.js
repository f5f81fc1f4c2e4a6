// One mine's licence boundary on a small map, drawn from the product's own data (works with no internet); the
// county outline is drawn faintly for orientation. A tile layer is added only when one is configured.
const el = document.getElementById("mine-map");
const note = document.getElementById("map-note");
const map = L.map(el, { attributionControl: true, zoomSnap: 0.25 });
map.attributionControl.setPrefix(false);
if (el.dataset.tileUrl) {
  L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18, subdomains: "01234567" }).addTo(map);
}
// GCJ-02 tiles (Gaode and the like) need the shapes shifted; the server converts, so the algorithm lives in one place.
const crs = el.dataset.tileGcj === "True" ? "gcj02" : "wgs84";
const json = (url) => fetch(url, { headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : null));

const [mine, county] = await Promise.all([
  json(`/api/mines/${encodeURIComponent(el.dataset.mine)}?crs=${crs}`),
  json(`/api/divisions/${encodeURIComponent(el.dataset.county)}/boundary?crs=${crs}`),
]);
if (county?.geometry) {
  L.geoJSON(county.geometry, { style: { color: "#888", weight: 1, dashArray: "4 4", fillOpacity: 0 }, interactive: false }).addTo(map);
}
if (!mine?.boundary) {
  map.setView([35, 105], 4);
  note.textContent = "无法加载矿区范围";
} else {
  const layer = L.geoJSON(mine.boundary, { style: { color: "#d35400", weight: 2, fillOpacity: 0.2 } }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
  note.textContent = `${mine.name} 矿区范围${county?.geometry ? `（虚线为${county.name}界）` : ""}`;
}
el.dataset.ready = "true";
