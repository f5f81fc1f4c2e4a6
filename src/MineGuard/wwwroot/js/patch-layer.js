// The map's optional layer of satellite change patches (卫片图斑): the patches in view (GET /api/satellite/patch-map)
// outlined by their state — to check, waiting for the province's review, closed — loaded only while the layer is on and
// again after each move (view-layer.js). Names come from the server and are set as text.
//
//   const layer = patchLayer(map, { crs, note });   // add it to a layers control; it loads when added to the map
import { viewLayer } from "./view-layer.js";

export const PATCH_STATES = [
  { key: "checking", name: "待核查", color: "#d7301f" },
  { key: "reviewing", name: "待省级复核", color: "#fc8d59" },
  { key: "closed", name: "已办结", color: "#4d9221" },
];
const COLOR = Object.fromEntries(PATCH_STATES.map((s) => [s.key, s.color]));

export function patchLayer(map, { crs, note }) {
  return viewLayer(map, {
    name: "patches", path: "/api/satellite/patch-map", crs, note, zIndex: 420,
    draw(data, layer) {
      for (const p of data.patches) {
        const tip = document.createElement("span");
        tip.textContent = `图斑 ${p.patchId}：${p.stateName}；${p.relationName}`;
        L.geoJSON(p.outline, {
          pane: "patches", style: { color: COLOR[p.state], weight: 2, fillOpacity: 0.25 }, className: `patch patch-${p.state}`,
        }).bindTooltip(tip).addTo(layer);
      }
      if (note) note.textContent = data.truncated ? `视野内图斑超过 ${data.max} 个，只显示前 ${data.max} 个，请放大地图` : "";
      return data.truncated;
    },
  });
}
