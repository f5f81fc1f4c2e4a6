// The one way to make a map (every map script and the field app): a Leaflet map whose attribution names the product
// and the tile source only (no Leaflet prefix or flag), over the base layer the server describes (/api/map/base-map:
// the offline tile package served at /tiles/{z}/{x}/{y}, an online tile service, or none). Without a base layer the
// map still works: the pages draw the product's own outlines and places.
//
//   const { map, ready } = MineGuardMap.create(element, leafletOptions, { wgsOnly, settings });
//   const { crs } = await ready;   // "gcj02" when the tiles are in GCJ-02: ask the server for shapes in it
//
// wgsOnly: the page draws WGS84 positions as they are (patrol tracks, the phone's fix), so GCJ-02 tiles (~500 m off)
// are left out. settings: the base map description when the page has it already (the public tip page gets it from
// /report/map-config), or a URL to read it from.
(function () {
  'use strict';
  var NONE = { tiles: null, crs: 'wgs84', attribution: 'MineGuard' };
  var loaded = {};

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : NONE; })
        // Offline (the field app) or refused: no base layer, the map still draws.
        .catch(function () { return NONE; });
    }
    return loaded[url];
  }

  // Leaflet writes attributions as HTML; these come from a file's metadata and the configuration, so they go in as text.
  function text(value) {
    return String(value || '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  function addTiles(map, t) {
    var options = {
      attribution: text(t.attribution || t.name),
      minZoom: t.minZoom,
      // Beyond the package's deepest level its tiles are enlarged rather than missing.
      maxNativeZoom: t.maxZoom,
      maxZoom: Math.max(map.getMaxZoom() === Infinity ? 18 : map.getMaxZoom(), t.maxZoom),
      className: 'base-tiles base-tiles-' + t.source,
    };
    if (t.subdomains) options.subdomains = t.subdomains;
    if (t.bounds) options.bounds = L.latLngBounds([t.bounds[1], t.bounds[0]], [t.bounds[3], t.bounds[2]]);
    return L.tileLayer(t.url, options).addTo(map);
  }

  function create(element, leafletOptions, options) {
    options = options || {};
    var el = typeof element === 'string' ? document.getElementById(element) : element;
    var settings = Object.assign({}, leafletOptions || {}, { attributionControl: true });
    var map = L.map(el, settings);
    map.attributionControl.setPrefix(text(NONE.attribution));
    var source = options.settings || '/api/map/base-map';
    var ready = (typeof source === 'string' ? load(source) : Promise.resolve(source)).then(function (base) {
      base = base || NONE;
      map.attributionControl.setPrefix(text(base.attribution || NONE.attribution));
      var gcj = base.crs === 'gcj02';
      var tiles = base.tiles && !(options.wgsOnly && gcj) ? addTiles(map, base.tiles) : null;
      el.dataset.baseMap = tiles ? base.tiles.source : 'none';
      // Shapes are shifted only to sit on GCJ-02 tiles; with none, the product's own WGS84 is drawn as it is.
      return { crs: tiles && gcj ? 'gcj02' : 'wgs84', tiles: tiles };
    });
    return { map: map, ready: ready };
  }

  window.MineGuardMap = { create: create };
})();
