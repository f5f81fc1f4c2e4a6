// A small map around one adit on its page: the adit, and around it what the product knows (the county's outline,
// township names, the adits nearby, licence boundaries), so the dot has a setting without any internet; the base
// layer when there is one. The adit's position is WGS84 as surveyed, so GCJ-02 tiles are left out (basemap.js).
import { showContext } from "/js/map-context.js";

const el = document.getElementById("mini-map");
if (el) {
  const here = [Number(el.dataset.lat), Number(el.dataset.lon)];
  const { map, ready } = MineGuardMap.create(el, { zoomControl: true }, { wgsOnly: true });
  const { crs } = await ready;
  map.setView(here, 14);
  await showContext(map, { crs, division: el.dataset.county, exceptAdit: el.dataset.id });
  L.circle(here, { radius: 20, color: "#888", weight: 1, fill: false }).addTo(map);
  L.circleMarker(here, { radius: 8, color: "#c0392b", fillOpacity: 0.8, className: "this-adit" }).addTo(map).bindTooltip(el.dataset.number);
  el.dataset.ready = "true";
}
