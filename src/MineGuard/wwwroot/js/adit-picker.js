// The map picker beside an adit form's 经度/纬度: a click on the map or a drag of the marker writes the point into the
// inputs (six decimals, about 0.1 m, WGS84: the coordinate source is set to GPS/天地图), and typing a position in the
// inputs (decimal or 度分秒, WGS84 or GCJ-02 as the source select says; GCJ-02 converted by the server) moves the marker. The map starts on the adit,
// or on the user's county outline; the context (county outline, township names, adits and licences around) comes from
// map-context.js, so a new adit's neighbours are visible before it is saved. Without JavaScript the map stays hidden
// and the inputs work as they always did.
import { showContext } from "/js/map-context.js";

const box = document.getElementById("pick-map");
const lonInput = document.getElementById("Input_Lon");
const latInput = document.getElementById("Input_Lat");
const crsInput = document.getElementById("Input_Crs");

// 112°2′4.2″, 112度2分4.2秒, 东经112.0345, full-width digits from a Chinese IME. Null when it is not a position; the
// server's own check (Dms.TryParse) says what is wrong when the form is sent.
export function parseDegrees(text) {
  const s = String(text ?? "").replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  if (!s || /[-SsWw南西]/.test(s)) return null;
  const parts = s.match(/\d+(?:\.\d+)?/g);
  if (!parts || parts.length > 3) return null;
  const [d, m = 0, sec = 0] = parts.map(Number);
  if (m >= 60 || sec >= 60 || (parts.length > 1 && !Number.isInteger(d))) return null;
  return d + m / 60 + sec / 3600;
}

// The typed position as WGS84 [lat, lng], or null. A GCJ-02 position (copied from 高德/腾讯) is converted by the server
// (/api/geo/to-wgs84, Platform/Geo/Gcj02.cs: the one conversion), so the marker stands where the saved adit will.
async function typed() {
  const lon = parseDegrees(lonInput.value);
  const lat = parseDegrees(latInput.value);
  if (lon === null || lat === null || lon > 180 || lat > 90) return null;
  if (crsInput?.value !== "gcj02") return L.latLng(lat, lon);
  try {
    const r = await fetch(`/api/geo/to-wgs84?lng=${lon}&lat=${lat}&crs=gcj02`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!r.ok) return null;
    const p = await r.json();
    return L.latLng(p.lat, p.lng);
  } catch {
    return null;
  }
}

if (box && lonInput && latInput) {
  box.hidden = false;
  const mapEl = box.querySelector(".pick-map");
  const { map, ready } = MineGuardMap.create(mapEl, { zoomControl: true }, { wgsOnly: true });
  let marker = null;

  function show(latlng) {
    if (!marker) {
      marker = L.marker(latlng, {
        icon: new L.Icon.Default({ className: "pick-marker" }), draggable: true, autoPan: true, title: "拖动以调整位置", alt: "矿硐位置",
      }).addTo(map);
      marker.on("dragend", () => fill(marker.getLatLng()));
    } else {
      marker.setLatLng(latlng);
    }
    mapEl.dataset.lat = latlng.lat.toFixed(6);
    mapEl.dataset.lon = latlng.lng.toFixed(6);
  }

  function fill(latlng) {
    const p = L.latLng(latlng.lat, L.Util.wrapNum(latlng.lng, [-180, 180], true));
    lonInput.value = p.lng.toFixed(6);
    latInput.value = p.lat.toFixed(6);
    // The map's positions are WGS84 as recorded, whatever source the user chose before.
    if (crsInput) crsInput.value = "wgs84";
    show(p);
  }

  // While typing the marker follows (and the map pans if it left the view); a finished entry brings the map close to it.
  // Only the latest entry moves it: a conversion answered late never undoes a newer one.
  let asked = 0;
  async function follow(e) {
    const n = ++asked;
    const p = await typed();
    if (!p || n !== asked) return;
    show(p);
    if (e.type === "change") map.setView(p, Math.max(map.getZoom(), 16));
    else if (!map.getBounds().contains(p)) map.panTo(p);
  }

  const start = await typed();
  const { crs } = await ready;
  // A first view before the outline arrives, so the map never sits without a centre.
  if (start) {
    map.setView(start, 16);
    show(start);
  } else {
    map.setView([Number(mapEl.dataset.centerLat || 34), Number(mapEl.dataset.centerLon || 112)], 9);
  }
  const { outline } = await showContext(map, { crs, division: mapEl.dataset.division, exceptAdit: mapEl.dataset.id || null, pick: true });
  // Not animated: a zoom still running when the user types a position would end by undoing the view it asks for.
  if (!start && outline) map.fitBounds(outline, { animate: false });

  map.on("click", (e) => fill(e.latlng));
  map.on("zoomend moveend", () => { mapEl.dataset.zoom = String(map.getZoom()); });
  mapEl.dataset.zoom = String(map.getZoom());
  for (const input of [lonInput, latInput, crsInput].filter(Boolean)) {
    input.addEventListener("input", follow);
    input.addEventListener("change", follow);
  }
  mapEl.dataset.ready = "true";
}
