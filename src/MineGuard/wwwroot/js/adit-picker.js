// The map picker beside an adit form's 经度/纬度: a click on the map or a drag of the marker writes the point into the
// inputs (six decimals, about 0.1 m, WGS84: the coordinate source is set to GPS/天地图), and typing a position in the
// inputs (decimal or 度分秒, WGS84 or GCJ-02 as the source select says) moves the marker. The map starts on the adit,
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

// GCJ-02 → WGS84 (the published offset, inverted by fixed-point iteration as Platform/Geo/Gcj02.cs does), so a point
// copied from 高德/腾讯 lands where the saved adit will stand.
function gcjOffset(lon, lat) {
  const a = 6378245.0, ee = 0.00669342162296594323, x = lon - 105, y = lat - 35;
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  dLat += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  dLat += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  dLon += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  dLon += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  const rad = (lat / 180) * Math.PI;
  const magic = 1 - ee * Math.sin(rad) * Math.sin(rad);
  const sqrtMagic = Math.sqrt(magic);
  return [(dLon * 180) / ((a / sqrtMagic) * Math.cos(rad) * Math.PI), (dLat * 180) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI)];
}

function gcjToWgs(lon, lat) {
  if (lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271) return [lon, lat];
  let [wLon, wLat] = [lon, lat];
  for (let i = 0; i < 30; i++) {
    const [dLon, dLat] = gcjOffset(wLon, wLat);
    const [stepLon, stepLat] = [wLon + dLon - lon, wLat + dLat - lat];
    wLon -= stepLon;
    wLat -= stepLat;
    if (Math.abs(stepLon) < 1e-9 && Math.abs(stepLat) < 1e-9) break;
  }
  return [wLon, wLat];
}

// The typed position as WGS84 [lat, lng], or null.
function typed() {
  const lon = parseDegrees(lonInput.value);
  const lat = parseDegrees(latInput.value);
  if (lon === null || lat === null || lon > 180 || lat > 90) return null;
  const [wLon, wLat] = crsInput?.value === "gcj02" ? gcjToWgs(lon, lat) : [lon, lat];
  return L.latLng(wLat, wLon);
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
  function follow(e) {
    const p = typed();
    if (!p) return;
    show(p);
    if (e.type === "change") map.setView(p, Math.max(map.getZoom(), 16));
    else if (!map.getBounds().contains(p)) map.panTo(p);
  }

  const start = typed();
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
