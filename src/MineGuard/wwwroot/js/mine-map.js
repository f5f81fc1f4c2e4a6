// One mine's licence boundary on a small map, drawn from the product's own data (works with no internet); the
// county outline is drawn faintly for orientation. The base layer, if any, is basemap.js's.
const el = document.getElementById("mine-map");
const note = document.getElementById("map-note");
const { map, ready } = MineGuardMap.create(el, { zoomSnap: 0.25 });
// GCJ-02 tiles (Gaode and the like) need the shapes shifted; the server converts, so the algorithm lives in one place.
const { crs } = await ready;
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
