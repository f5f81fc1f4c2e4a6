// Context for a small map with no internet, from what the product has: the county's outline, township names (at the
// middle of each township's adits), the adits around and licence boundaries in view. Everything comes from the scoped
// map endpoints, so a user sees only the adits and mines of their own jurisdiction. Used under the adit page's and
// the alert desk's own markers; the layers control lets a reader switch each part off.
//
//   const { outline } = await showContext(map, { crs, division, exceptAdit, pick });   // outline: the county's bounds, or null
//
// pick: the map is a position picker (the adit form), so a click on an adit is a click on that spot, not a link away
// from the form, and a click on a cluster only zooms in.
const json = (url, signal) => fetch(url, { signal, headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : null));

export async function showContext(map, { crs, division, exceptAdit = null, pick = false }) {
  const el = map.getContainer();
  map.createPane("context").style.zIndex = 350;
  map.createPane("context-labels").style.zIndex = 360;
  const outline = L.layerGroup().addTo(map);
  const towns = L.layerGroup().addTo(map);
  const adits = L.layerGroup().addTo(map);
  const mines = L.layerGroup().addTo(map);
  L.control.layers(null, { "县界": outline, "乡镇": towns, "周边矿硐": adits, "采矿权范围": mines }, { collapsed: true }).addTo(map);

  const [boundary, townships] = await Promise.all([
    division ? json(`/api/divisions/${encodeURIComponent(division)}/boundary?crs=${crs}`) : null,
    json(`/api/map/townships?crs=${crs}`),
  ]);
  let frame = null;
  if (boundary?.geometry) {
    frame = L.geoJSON(boundary.geometry, {
      pane: "context", interactive: false, style: { color: "#c0392b", weight: 2, dashArray: "6 4", fillOpacity: 0, className: "context-outline" },
    }).addTo(outline).getBounds();
  }
  for (const t of townships ?? []) {
    // Names come from the division ledger: set as text, never as HTML.
    const label = document.createElement("span");
    label.textContent = t.name;
    L.marker([t.lat, t.lon], {
      pane: "context-labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "township-label", html: label, iconSize: [0, 0] }),
    }).addTo(towns);
  }

  let inFlight = null;
  let timer = 0;
  async function load() {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Math.max(-180, Math.min(180, v)).toFixed(6)).join(",");
    const zoom = Math.max(0, Math.min(20, Math.floor(map.getZoom())));
    try {
      const [aditData, mineData] = await Promise.all([
        json(`/api/map/adits?${new URLSearchParams({ bbox, zoom: String(zoom), crs })}`, controller.signal),
        json(`/api/map/mines?${new URLSearchParams({ bbox, crs })}`, controller.signal),
      ]);
      if (controller !== inFlight) return;
      drawAdits(aditData?.features ?? []);
      drawMines(mineData?.features ?? []);
      el.dataset.context = "ready";
    } catch (e) {
      if (e.name !== "AbortError") el.dataset.context = "error";
    }
  }

  function drawAdits(features) {
    adits.clearLayers();
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      if (p.cluster) {
        L.circleMarker([lat, lon], { pane: "context", radius: 9, color: "#6c757d", weight: 1, fillOpacity: 0.35, className: "context-cluster" })
          .bindTooltip(`${p.count} 处矿硐`).on("click", (e) => {
            L.DomEvent.stopPropagation(e);
            map.setView([lat, lon], Math.min(map.getZoom() + 2, 18));
          }).addTo(adits);
      } else if (p.id !== exceptAdit) {
        const dot = L.circleMarker([lat, lon], { pane: "context", radius: 5, color: "#fff", weight: 1, fillColor: "#6c757d", fillOpacity: 0.9, className: "context-adit" })
          .bindTooltip(`${p.number}${p.name ? " " + p.name : ""}（${p.state}）`).addTo(adits);
        if (!pick) dot.on("click", () => { location.href = `/adits/${encodeURIComponent(p.id)}`; });
      }
    }
  }

  function drawMines(features) {
    mines.clearLayers();
    for (const f of features) {
      L.geoJSON(f.geometry, {
        pane: "context", style: { color: "#8c564b", weight: 1.5, fillColor: "#8c564b", fillOpacity: 0.08, className: "context-mine" },
      }).bindTooltip(`${f.properties.name}（${f.properties.licenceNumber}）`).addTo(mines);
    }
  }

  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  });
  await load();
  return { outline: frame };
}
