// A small map around one adit on its page (WGS84, the product's own data; tiles only when configured).
const el = document.getElementById("mini-map");
if (el) {
  const lat = Number(el.dataset.lat), lon = Number(el.dataset.lon);
  const map = L.map(el, { zoomControl: true }).setView([lat, lon], 14);
  map.attributionControl.setPrefix(false);
  L.circleMarker([lat, lon], { radius: 8, color: "#c0392b", fillOpacity: 0.8 }).addTo(map).bindTooltip(el.dataset.number);
  L.circle([lat, lon], { radius: 20, color: "#888", weight: 1, fill: false }).addTo(map);
}
