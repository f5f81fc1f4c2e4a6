// The public tip form's enhancements. The form works without this file; with it: a proof-of-work solved in the
// background (instead of a captcha), the phone's position or a map pin, and a note while submitting.
(function () {
  'use strict';
  document.documentElement.className += ' js';
  var form = document.getElementById('report-form');
  if (!form) return;

  // SHA-256 over an ASCII string (crypto.subtle is missing on plain-HTTP pages, so it is done here).
  var K = [];
  (function () {
    var n = 2, found = 0;
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) | 0; }
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
      if (prime) K[found++] = frac(Math.pow(n, 1 / 3));
      n++;
    }
  })();
  var H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  function sha256(s) {
    var len = s.length, words = [], i;
    for (i = 0; i < len; i++) words[i >> 2] |= (s.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
    words[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
    var total = ((len + 8) >> 6) * 16 + 16;
    for (i = words.length; i < total; i++) words[i] = words[i] | 0;
    words[total - 1] = len * 8;
    var h = H0.slice(), w = new Array(64);
    for (var j = 0; j < total; j += 16) {
      for (i = 0; i < 64; i++) {
        if (i < 16) w[i] = words[j + i] | 0;
        else {
          var a = w[i - 15], b = w[i - 2];
          var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
          var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
      }
      var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[i] + w[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h[0] = (h[0] + A) | 0; h[1] = (h[1] + B) | 0; h[2] = (h[2] + C) | 0; h[3] = (h[3] + D) | 0;
      h[4] = (h[4] + E) | 0; h[5] = (h[5] + F) | 0; h[6] = (h[6] + G) | 0; h[7] = (h[7] + H) | 0;
    }
    return h;
  }
  function leadingZeros(h, bits) {
    for (var i = 0; i < bits; i++) if ((h[i >> 5] >>> (31 - (i % 32))) & 1) return false;
    return true;
  }

  // Proof-of-work: solved in slices so the page stays responsive while the person types.
  var challenge = form.getAttribute('data-pow'), bits = +form.getAttribute('data-bits');
  var status = document.getElementById('pow-status'), solved = false, waiting = false, nonce = 0;
  function work() {
    var end = Date.now() + 40;
    while (Date.now() < end) {
      if (leadingZeros(sha256(challenge + ':' + nonce), bits)) {
        document.getElementById('pow').value = challenge;
        document.getElementById('nonce').value = String(nonce);
        solved = true;
        if (waiting) form.submit();
        return;
      }
      nonce++;
    }
    setTimeout(work, 0);
  }
  if (challenge) setTimeout(work, 0);
  form.addEventListener('submit', function (e) {
    var button = document.getElementById('submit');
    if (!solved && challenge) {
      e.preventDefault();
      waiting = true;
      status.textContent = '正在提交，请稍候……';
    }
    button.disabled = true;
    button.textContent = '正在提交……';
  });

  // Position: the phone's own, or a pin on the map (the map library loads only when asked for).
  // The coordinate system goes with the position: a phone's fix is WGS84, a pin on GCJ-02 tiles is GCJ-02 (the server
  // stores WGS84, so the pin stands where it was put whatever the tiles).
  var lon = document.getElementById('lon'), lat = document.getElementById('lat'), crs = document.getElementById('crs'),
    text = document.getElementById('position-text');
  function setPosition(x, y, how, system) {
    lon.value = x.toFixed(6); lat.value = y.toFixed(6); crs.value = system || 'wgs84';
    text.textContent = how + '：东经 ' + lon.value + '，北纬 ' + lat.value;
  }
  var locate = document.getElementById('locate');
  if (!navigator.geolocation) locate.hidden = true;
  locate.addEventListener('click', function () {
    text.textContent = '正在获取位置……';
    navigator.geolocation.getCurrentPosition(function (p) { setPosition(p.coords.longitude, p.coords.latitude, '已记录您的位置'); },
      function () { text.textContent = '无法获取位置，请在“具体地点”里写明。'; }, { enableHighAccuracy: true, timeout: 20000 });
  });
  var pick = document.getElementById('pick-on-map');
  if (form.getAttribute('data-map')) pick.hidden = false;
  pick.addEventListener('click', function () {
    var box = document.getElementById('pin-map');
    box.style.display = 'block';
    pick.hidden = true;
    var css = document.createElement('link'); css.rel = 'stylesheet'; css.href = '/lib/leaflet/leaflet.css'; document.head.appendChild(css);
    var js = document.createElement('script'); js.src = '/lib/leaflet/leaflet.js';
    // The map maker (basemap.js) after Leaflet, then the base map anonymous callers may load (the page offers the map
    // only when there is one).
    js.onload = function () {
      var maker = document.createElement('script'); maker.src = '/js/basemap.js';
      maker.onload = showMap;
      document.head.appendChild(maker);
    };
    function showMap() {
      fetch('/report/map-config').then(function (r) { return r.json(); }).then(function (cfg) {
        var made = MineGuardMap.create(box, {}, { settings: cfg.baseMap }), tiles = 'wgs84', marker = null;
        made.ready.then(function (r) { tiles = r.crs; });
        var map = made.map.setView([cfg.lat, cfg.lon], 10);
        map.on('click', function (e) {
          if (marker) marker.setLatLng(e.latlng); else marker = L.marker(e.latlng).addTo(map);
          setPosition(e.latlng.lng, e.latlng.lat, '已在地图上标记', tiles);
        });
      });
    }
    document.head.appendChild(js);
  });
})();
