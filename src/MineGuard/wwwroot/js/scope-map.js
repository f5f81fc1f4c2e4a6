// The jurisdiction map: draws the user's boundary from the product's own data (works with no internet), then the
// context every small map shows (township names, the adits and licence boundaries in view: map-context.js);
// the base layer (an offline tile package, 天地图 with a key, or none) is basemap.js's.
import { showContext } from "./map-context.js";

const el = document.getElementById("map");
const note = document.getElementById("map-note");
const { map, ready } = MineGuardMap.create(el, { zoomSnap: 0.25 });
// Tiles in GCJ-02 (Gaode and the like) need features shifted to line up; the server converts (one place for it).
// 天地图 is CGCS2000, which is WGS84 to within centimetres.
const { crs } = await ready;

const response = await fetch(`/api/divisions/${encodeURIComponent(el.dataset.division)}/boundary?crs=${crs}`, { headers: { Accept: "application/json" } });
if (!response.ok) {
  note.textContent = "无法加载辖区边界";
} else {
  const boundary = await response.json();
  if (!boundary.geometry) {
    map.setView([35, 105], 4);
    note.textContent = "本辖区尚无边界数据，可由管理员导入。";
  } else {
    const layer = L.geoJSON(boundary.geometry, {
      style: { color: "#c0392b", weight: 2, fillOpacity: 0.05, className: "scope-outline" },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    note.textContent = boundary.source === "ancestor"
      ? `显示上级区划边界（${boundary.name}暂无边界数据）`
      : `${boundary.name}边界`;
  }
}
el.dataset.ready = "true";
// The boundary above is the outline; the context adds what lies inside it.
await showContext(map, { crs, division: null });
