// The adit map (/map): the jurisdiction outline, adits coloured by seal state (clustered by the server when there
// are many in view), and licensed mine boundaries. Data is fetched for the visible box after every move, so the page
// stays light with tens of thousands of adits. Works without a tile server (outline only); the base layer is basemap.js's.
// The optional layer 风险 (risk-layer.js) rings the adits in view by their risk score.
import { riskLayer, RISK_LEVELS } from "./risk-layer.js";
import { patchLayer } from "./patch-layer.js";
const el = document.getElementById("map");
const form = document.getElementById("map-filters");
const countNote = document.getElementById("map-count");
const note = document.getElementById("map-note");

// One list drives the markers, the clusters and the legend, so they cannot disagree.
const STATES = [
  { key: "unsealed", name: "未封堵", color: "#d62728" },
  { key: "weak", name: "弱封堵（石块堆砌）", color: "#fd8d3c" },
  { key: "breached", name: "发现破坏", color: "#67001f" },
  { key: "sealed", name: "已封堵（待验收）", color: "#2166ac" },
  { key: "accepted", name: "已验收", color: "#1a9850" },
];
const COLOR = Object.fromEntries(STATES.map((s) => [s.key, s.color]));

// Half-step zooms let the outline fill the frame.
const { map, ready } = MineGuardMap.create(el, { zoomControl: true, minZoom: 4, maxZoom: 18, zoomSnap: 0.5 });
// GCJ-02 tiles (Gaode and the like) need everything shifted; the server converts both ways. 天地图 is WGS84-compatible.
const { crs } = await ready;

// Outline at the bottom, mine boundaries above it, adits on top.
map.createPane("boundary").style.zIndex = 300;
map.createPane("mines").style.zIndex = 350;
const aditLayer = L.layerGroup().addTo(map);
const mineLayer = L.layerGroup().addTo(map);
// Adits and mines are kept by id across reloads (see sync): an open popup survives the reload that its own auto-pan
// sets off. Clusters are redrawn every time.
const clusterGroup = L.layerGroup().addTo(aditLayer);
const pointGroup = L.layerGroup().addTo(aditLayer);
const points = new Map();
const mines = new Map();
const risk = riskLayer(map, { crs, note: document.getElementById("map-risk-note") });
const patches = patchLayer(map, { crs, note: document.getElementById("map-risk-note") });
L.control.layers(null, { "矿硐": aditLayer, "采矿权范围": mineLayer, "风险": risk, "卫片图斑": patches }, { collapsed: false, position: "topright" }).addTo(map);
addLegend();

let loads = 0;
let inFlight = null;
let timer = 0;

await drawBoundary();
map.on("moveend", schedule);
form.addEventListener("change", () => { rememberFilters(); schedule(); });
// "Clear" means no filter at all, not back to the filters the page was opened with.
form.addEventListener("reset", (e) => {
  e.preventDefault();
  for (const select of form.querySelectorAll("select")) select.value = "";
  rememberFilters();
  schedule();
});
form.addEventListener("submit", (e) => { e.preventDefault(); schedule(); });
schedule();

async function drawBoundary() {
  let boundary = null;
  try {
    const response = await fetch(`/api/divisions/${encodeURIComponent(el.dataset.division)}/boundary?crs=${crs}`, { headers: { Accept: "application/json" } });
    boundary = response.ok ? await response.json() : null;
  } catch {
    // The adits still load; the note below says the outline is missing.
  }
  if (!boundary?.geometry) {
    map.setView([34.0, 112.0], 9);
    note.textContent = "本辖区尚无边界数据";
    return;
  }
  const layer = L.geoJSON(boundary.geometry, {
    pane: "boundary", interactive: false, style: { color: "#c0392b", weight: 2, fillOpacity: 0.03 },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  note.textContent = boundary.source === "ancestor" ? `显示上级区划边界（${boundary.name}暂无边界数据）` : `${boundary.name}边界`;
}

// Moves come in bursts (drag, wheel): wait for a pause, and drop an answer that a newer request has overtaken.
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(load, 120);
}

async function load() {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  el.dataset.state = "loading";
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
  const query = new URLSearchParams({ bbox, crs });
  const adits = new URLSearchParams(query);
  // The whole zoom below: cells are then 64 px or more on screen, and clusters do not overlap at half steps.
  adits.set("zoom", String(Math.max(0, Math.min(20, Math.floor(map.getZoom())))));
  for (const [name, value] of new FormData(form)) if (value) adits.set(name, value);
  try {
    const [aditAnswer, mineAnswer] = await Promise.all([
      fetch(`/api/map/adits?${adits}`, { signal: controller.signal, headers: { Accept: "application/json" } }),
      fetch(`/api/map/mines?${query}`, { signal: controller.signal, headers: { Accept: "application/json" } }),
    ]);
    if (!aditAnswer.ok) throw new Error(await problemText(aditAnswer));
    const aditData = await aditAnswer.json();
    const mineData = mineAnswer.ok ? await mineAnswer.json() : null;
    if (controller !== inFlight) return;
    drawAdits(aditData);
    if (mineData) drawMines(mineData);
    el.dataset.mode = aditData.mode;
    el.dataset.loads = String(++loads);
    el.dataset.state = "idle";
  } catch (e) {
    if (e.name === "AbortError") return;
    countNote.textContent = `矿硐数据加载失败：${e.message}`;
    el.dataset.state = "error";
  }
}

async function problemText(response) {
  try {
    const p = await response.json();
    return p.detail || p.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function drawAdits(data) {
  clusterGroup.clearLayers();
  const clusters = data.features.filter((f) => f.properties.cluster);
  for (const f of clusters) clusterGroup.addLayer(clusterMarker(latLng(f), f.properties));
  sync(points, pointGroup, data.features.filter((f) => !f.properties.cluster), (f) => aditMarker(latLng(f), f.properties));
  if (data.total === 0) countNote.textContent = "当前范围内没有符合条件的矿硐";
  else if (data.mode === "clusters") countNote.textContent = `当前范围内 ${data.total} 处矿硐（按区域汇总，放大查看单个矿硐）`;
  else countNote.textContent = `当前范围内 ${data.total} 处矿硐${data.truncated ? "（数量过多，仅显示一部分，请放大）" : ""}`;
}

// Brings a layer group in line with features keyed by id: unchanged ones are left alone, so an open popup stays open.
function sync(store, group, features, make) {
  const seen = new Set();
  for (const f of features) {
    const signature = JSON.stringify(f);
    seen.add(f.id);
    const existing = store.get(f.id);
    if (existing?.signature === signature) continue;
    if (existing) group.removeLayer(existing.layer);
    const layer = make(f);
    group.addLayer(layer);
    store.set(f.id, { layer, signature });
  }
  for (const [id, { layer }] of store) {
    if (seen.has(id)) continue;
    group.removeLayer(layer);
    store.delete(id);
  }
}

function latLng(f) {
  const [lon, lat] = f.geometry.coordinates;
  return [lat, lon];
}

function aditMarker(latlng, p) {
  const marker = L.circleMarker(latlng, {
    radius: 7, color: "#fff", weight: 1.5, fillColor: COLOR[p.mapState], fillOpacity: 0.95,
    className: `adit-marker adit-${p.mapState}`,
  });
  marker.bindPopup(() => aditPopup(p), { minWidth: 220 });
  marker.bindTooltip(`${p.number}${p.name ? " " + p.name : ""}`, { direction: "top", offset: [0, -6] });
  return marker;
}

function clusterMarker(latlng, p) {
  const parts = STATES.filter((s) => p.states[s.key] > 0);
  // A cell holding a single adit is drawn as that adit's dot; clicking zooms in to where it can be opened.
  if (p.count === 1) {
    const only = parts[0].key;
    const dot = L.circleMarker(latlng, {
      radius: 6, color: "#fff", weight: 1.5, fillColor: COLOR[only], fillOpacity: 0.95, className: `adit-marker adit-${only}`,
    });
    dot.on("click", () => map.setView(latlng, Math.min(map.getZoom() + 3, 18)));
    return dot;
  }
  const size = Math.round(24 + 9 * Math.log10(p.count));
  // The ring shows the mix of states: a pie drawn with a conic gradient, in the legend's order.
  let at = 0;
  const stops = parts.map((s) => {
    const from = at;
    at += (p.states[s.key] / p.count) * 360;
    return `${s.color} ${from.toFixed(1)}deg ${at.toFixed(1)}deg`;
  });
  const html = `<div class="adit-cluster-ring" style="background: conic-gradient(${stops.join(", ")})"><span class="adit-cluster-count">${p.count}</span></div>`;
  const marker = L.marker(latlng, {
    icon: L.divIcon({ html, className: "adit-cluster", iconSize: [size, size] }),
    title: parts.map((s) => `${s.name} ${p.states[s.key]}`).join("，"),
  });
  marker.on("click", () => map.setView(latlng, Math.min(map.getZoom() + 2, 18)));
  return marker;
}

// Popups are built as DOM nodes, never from HTML strings: names and numbers come from imported ledgers.
function aditPopup(p) {
  const root = node("div", "adit-popup");
  const title = root.appendChild(node("strong", null, p.number));
  if (p.isDemo) title.after(node("span", "badge-demo", "演示"));
  if (p.name) root.appendChild(node("div", null, p.name));
  const dl = root.appendChild(node("dl"));
  const row = (label, value, cls) => {
    dl.appendChild(node("dt", null, label));
    dl.appendChild(node("dd", cls, value));
  };
  row("状态", p.mapState === "weak" ? `${p.state}（石块堆砌，弱封堵）` : p.state, p.mapState === "unsealed" || p.mapState === "breached" || p.mapState === "weak" ? "warn" : null);
  if (p.sealMethod && p.mapState !== "weak") row("封堵方式", p.sealMethod);
  row("乡镇", p.township);
  row("矿种", p.mineral);
  row("来源", p.origin);
  if (p.breachCount > 0) row("被破坏次数", String(p.breachCount), "warn");
  const link = root.appendChild(node("a", null, "查看详情"));
  link.href = `/adits/${encodeURIComponent(p.id)}`;
  return root;
}

function drawMines(data) {
  sync(mines, mineLayer, data.features, (f) => L.geoJSON(f, {
    pane: "mines",
    style: () => f.properties.expired || f.properties.closing
      ? { color: "#6c757d", weight: 2, dashArray: "6 4", fillOpacity: 0.04, className: "mine mine-inactive" }
      : { color: "#8c564b", weight: 2, fillColor: "#8c564b", fillOpacity: 0.12, className: "mine" },
    onEachFeature: (_, layer) => layer.bindPopup(() => minePopup(f.properties)),
  }));
}

function minePopup(p) {
  const root = node("div", "adit-popup");
  const title = root.appendChild(node("strong", null, p.name));
  if (p.isDemo) title.after(node("span", "badge-demo", "演示"));
  const dl = root.appendChild(node("dl"));
  const row = (label, value, cls) => {
    dl.appendChild(node("dt", null, label));
    dl.appendChild(node("dd", cls, value));
  };
  row("许可证号", p.licenceNumber);
  row("矿业权人", p.rightsHolder);
  row("矿种", p.mineral);
  row("生产状态", p.status, p.closing ? "warn" : null);
  row("有效期至", p.validTo ?? "未登记", p.expired ? "warn" : null);
  if (p.expired) root.appendChild(node("div", "warn", "采矿许可证已过期"));
  if (p.closing) root.appendChild(node("div", "warn", "矿山处于关闭退出阶段"));
  return root;
}

function addLegend() {
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const box = node("div", "map-legend");
    box.appendChild(node("div", "map-legend-title", "图例"));
    for (const s of STATES) {
      const line = box.appendChild(node("div"));
      const swatch = line.appendChild(node("span", "swatch"));
      swatch.style.background = s.color;
      line.appendChild(document.createTextNode(s.name));
    }
    const mine = box.appendChild(node("div"));
    mine.appendChild(node("span", "swatch swatch-mine"));
    mine.appendChild(document.createTextNode("采矿权范围"));
    const old = box.appendChild(node("div"));
    old.appendChild(node("span", "swatch swatch-mine-old"));
    old.appendChild(document.createTextNode("已过期或关闭退出的矿山"));
    box.appendChild(node("div", "text-muted", "圆圈数字为该区域矿硐数，色环为状态构成"));
    for (const l of RISK_LEVELS) {
      const line = box.appendChild(node("div", "risk-legend"));
      const swatch = line.appendChild(node("span", "swatch swatch-risk"));
      swatch.style.borderColor = l.color;
      line.appendChild(document.createTextNode(`风险图层：${l.name}`));
    }
    return box;
  };
  legend.addTo(map);
}

// Keeps the filters in the address, so a reload or a shared link shows the same map.
function rememberFilters() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) params.set(name, value);
  const search = params.toString();
  history.replaceState(null, "", search ? `/map?${search}` : "/map");
}

function node(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text !== undefined && text !== null) n.textContent = text;
  return n;
}
