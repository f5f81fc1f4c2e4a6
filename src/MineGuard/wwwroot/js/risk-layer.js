// The map's optional risk layer (风险): adits in view coloured by their risk score (GET /api/analysis/risk-map), loaded
// only while the layer is switched on and again after each move (view-layer.js). The server scores only what is in view
// and answers "truncated" when the view holds too many adits; the note then asks to zoom in.
//
//   const layer = riskLayer(map, { crs, note });   // add it to a layers control; it loads when added to the map
import { viewLayer } from "./view-layer.js";

export const RISK_LEVELS = [
  { key: "high", name: "高风险（60 分及以上）", color: "#b2182b" },
  { key: "medium", name: "中风险（30–60 分）", color: "#ef8a62" },
  { key: "low", name: "低风险（30 分以下）", color: "#67a9cf" },
];
const COLOR = Object.fromEntries(RISK_LEVELS.map((l) => [l.key, l.color]));

export function riskLayer(map, { crs, note }) {
  return viewLayer(map, {
    name: "risk", path: "/api/analysis/risk-map", crs, note, zIndex: 640,
    draw(data, layer) {
      for (const a of data.adits) {
        // Numbers and reasons come from the ledger and the score: set as text (Leaflet tooltips take a string as text here only via a node).
        const tip = document.createElement("span");
        tip.textContent = `${a.number} 风险 ${Math.round(a.score)} 分 — ${a.reason}`;
        L.circleMarker([a.lat, a.lon], {
          pane: "risk", radius: a.level === "high" ? 10 : 8, color: COLOR[a.level], weight: 3, fill: false,
          className: `risk-adit risk-${a.level}`,
        }).bindTooltip(tip).addTo(layer);
      }
      if (note) note.textContent = data.truncated ? `视野内矿硐 ${data.total} 处，超过 ${data.max} 处不显示风险，请放大地图` : "";
      return data.truncated;
    },
  });
}
