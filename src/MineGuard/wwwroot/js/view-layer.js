// A map layer loaded for the view: while it is switched on, GET `path?bbox=…&crs=…` after each move (the last request
// wins, earlier ones are aborted), then `draw(data, layer)` redraws it. The map container's `data-<name>` says
// loading / ready / truncated / error for tests; `draw` returns true when the answer was truncated.
//
//   const layer = viewLayer(map, { name: "risk", path: "/api/analysis/risk-map", crs, note, zIndex: 640, draw });
export function viewLayer(map, { name, path, crs, note, zIndex, draw }) {
  const el = map.getContainer();
  map.createPane(name).style.zIndex = zIndex;
  const layer = L.layerGroup();
  let inFlight = null;
  let timer = 0;

  async function load() {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Math.max(-180, Math.min(180, v)).toFixed(6)).join(",");
    el.dataset[name] = "loading";
    try {
      const response = await fetch(`${path}?${new URLSearchParams({ bbox, crs })}`, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (controller !== inFlight) return;
      if (!response.ok) { el.dataset[name] = "error"; return; }
      const data = await response.json();
      if (controller !== inFlight) return;
      layer.clearLayers();
      el.dataset[name] = draw(data, layer) ? "truncated" : "ready";
    } catch (e) {
      if (e.name !== "AbortError") el.dataset[name] = "error";
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  }

  layer.on("add", () => { map.on("moveend", schedule); load(); });
  layer.on("remove", () => {
    map.off("moveend", schedule);
    inFlight?.abort();
    layer.clearLayers();
    if (note) note.textContent = "";
    delete el.dataset[name];
  });
  return layer;
}
