// The field app (巡查APP): offline-first. Everything is written to IndexedDB before anything is sent; a queue sends
// records when there is a connection. Every record carries an id made here, so the server stores it once however
// often it arrives (PUT to the record's own URL).
'use strict';

(function () {
  const DB_NAME = 'mineguard-field';
  const CHUNK_POINTS = 20;
  const MIN_STEP_MS = 5000;
  const MIN_STEP_M = 5;

  // ---------- IndexedDB ----------
  let dbPromise;
  function openDb() {
    dbPromise ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('kv');
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('checkins', { keyPath: 'id' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return dbPromise;
  }

  async function tx(stores, mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const t = db.transaction(stores, mode);
      let result;
      Promise.resolve(work(t)).then(r => { result = r; });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  const req = r => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const kvGet = key => tx(['kv'], 'readonly', t => req(t.objectStore('kv').get(key)));
  const kvSet = (key, value) => tx(['kv'], 'readwrite', t => { t.objectStore('kv').put(value, key); });
  const allOf = store => tx([store], 'readonly', t => req(t.objectStore(store).getAll()));

  // ---------- helpers ----------
  const $ = id => document.getElementById(id);
  // crypto.randomUUID needs a secure context and a recent browser; the same version-4 UUID from getRandomValues otherwise.
  const uuid = () => crypto.randomUUID?.() ?? '10000000-1000-4000-8000-100000000000'.replace(/[018]/g,
    c => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  const now = () => Date.now();

  // The phone's own id, made once and kept in IndexedDB; every /api/field request carries it and the phone's clock at
  // sending, so the server sees one phone used for two members and a clock set back and put right (issue 15).
  let deviceIdPromise;
  function deviceId() {
    deviceIdPromise ??= (async () => {
      let id = await kvGet('deviceId').catch(() => null);
      if (!id) {
        id = uuid();
        await kvSet('deviceId', id).catch(() => {});
      }
      return id;
    })();
    return deviceIdPromise;
  }

  /** fetch for /api/field/*: same-origin credentials, X-Device-Id and X-Device-Time on every request. */
  async function fieldFetch(url, options = {}) {
    const headers = new Headers(options.headers || {});
    headers.set('X-Device-Id', await deviceId());
    headers.set('X-Device-Time', String(now()));
    return fetch(url, { credentials: 'same-origin', ...options, headers });
  }

  function metres(lat1, lon1, lat2, lon2) {
    const r = 6371008.8, rad = Math.PI / 180;
    const dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * r * Math.asin(Math.sqrt(a));
  }

  function toast(text) {
    const el = $('toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
  }

  function show(screen) {
    for (const s of document.querySelectorAll('.screen')) s.hidden = s.id !== screen;
    if (screen === 'queue') renderQueue();
    if (screen === 'history') renderHistory();
    if (screen === 'patrol') setTimeout(() => map && map.invalidateSize(), 50);
  }

  /** Asks in the page (js/confirm.js: a <dialog>; window.confirm is no use under the CSP and in an installed app). */
  const ask = (text, ok) => window.mineGuardConfirm ? window.mineGuardConfirm(text, ok) : Promise.resolve(false);

  const fmtTime = ms => new Date(ms).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });

  // ---------- state ----------
  let bundle = null;      // what the server sent for offline work
  let patrol = null;      // { id, teamId, planId, startedAt, paused, seq, buffer: [[lat,lon,acc,t]], count }
  let fix = null;         // last position { lat, lon, acc, t }
  let watchId = null;
  let current = null;     // adit being checked in { adit, answers, photos: [{id, blob, takenAt}] }
  let map, trackLine, meMarker;

  // ---------- shared with the app's other screens (inspect.js) ----------
  // Other screens of the app add their records to the same outbox (same ids, same sending, same 409 handling) and their
  // own downloads to the same button, rather than keeping a queue of their own.
  const afterDownload = [];
  window.MineGuardField = {
    enqueue, uuid, kvGet, kvSet, toast, show, ask, fmtTime, pickPhotos, enqueuePhotos,
    bundle: () => bundle,
    fix: () => fix,
    onDownload: work => afterDownload.push(work),
  };

  /** Photos picked on another screen (patch.js, inspect.js): each gets its id on the phone and a thumbnail. */
  function pickPhotos(list, files, thumbs) {
    for (const blob of files) {
      list.push({ id: uuid(), blob });
      const img = document.createElement('img');
      img.src = URL.createObjectURL(blob);
      img.alt = '现场照片';
      thumbs.append(img);
    }
  }

  /**
   * A record's photos, queued in the one outbox after the record, each sent as its bytes by PUT to url(photo) under its
   * own id (the server stores a photo once per id; before the record arrives it answers 404 and the photo waits).
   */
  async function enqueuePhotos(kind, list, url, label) {
    for (const photo of list) {
      await enqueue({ kind, recordId: photo.id, url: url(photo), contentType: photo.blob.type || 'image/jpeg', body: photo.blob,
        label: `${label}（${Math.round(photo.blob.size / 1024)} KB）` });
    }
  }

  // ---------- outbox ----------
  async function enqueue(entry) {
    await enqueueAll([entry]);
  }

  /** Several records queued at once (a check-in and its photos): the sending that starts sees them together. */
  async function enqueueAll(entries) {
    await tx(['outbox'], 'readwrite', t => {
      for (const entry of entries) t.objectStore('outbox').add({ ...entry, createdAt: now(), attempts: 0, error: null });
    });
    await updateQueueCount();
    sync();
  }

  async function updateQueueCount() {
    const items = await allOf('outbox');
    $('queue-count').textContent = String(items.length);
    return items;
  }

  // Track chunks stay records of at most CHUNK_POINTS fixes each (own id, stored once), but are SENT together: a run of
  // queued chunks, check-ins and their photos goes in one request (POST /api/field/sync, one transaction on the server),
  // up to TRACK_BATCH chunks and BATCH_PHOTO_BYTES of photos. While the patrol goes on, a run of its chunks alone is held
  // until something else is queued behind it (a check-in, the end), it is full, or its oldest chunk waited TRACK_HOLD_MS:
  // a day of twenty check-ins is about twenty requests instead of a hundred.
  const TRACK_BATCH = 50;
  const TRACK_HOLD_MS = 30 * 60 * 1000;
  const BATCH_RECORDS = 20;
  const BATCH_PHOTO_BYTES = 24 * 1024 * 1024;
  const TRACK_URL = /^\/api\/field\/patrols\/([^/]+)\/track\/([^/]+)$/;
  const PHOTO_URL = /^\/api\/field\/photos\/([^/?]+)\?/;

  let syncing = false;
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const items = (await allOf('outbox')).sort((a, b) => a.seq - b.seq);
      const oneByOne = new Set(); // records of a batch the server refused: sent alone, so each gets its own answer
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item.failed) continue;
        const run = oneByOne.has(item.seq) ? [] : batchRun(items, i);
        if (run.length) {
          const last = i + run.length >= items.length;
          const tracksOnly = run.every(r => r.kind === 'track');
          const patrolId = tracksOnly && TRACK_URL.exec(item.url)[1];
          const chunks = run.filter(r => r.kind === 'track').length;
          if (tracksOnly && last && patrol && patrol.id === patrolId && chunks < TRACK_BATCH && now() - run[0].createdAt < TRACK_HOLD_MS) break;
          const outcome = await sendBatch(run);
          if (outcome === 'stop') break;
          if (outcome === 'ok') { i += run.length - 1; continue; }
          for (const r of run) oneByOne.add(r.seq);
        }
        if (await send(item) === 'stop') break;
      }
      await refreshStates();
    } finally {
      syncing = false;
      await updateQueueCount();
      if (!$('queue').hidden) renderQueue();
    }
  }

  /** A queued record the batch request takes: a track chunk, a check-in or a check-in's photo. */
  function batchable(item) {
    return !item.failed && ((item.kind === 'track' && TRACK_URL.test(item.url)) || item.kind === 'checkin'
      || (item.kind === 'photo' && PHOTO_URL.test(item.url)));
  }

  /** The batchable records from items[i] on, in order, within the limits (TRACK_BATCH chunks, BATCH_RECORDS others, BATCH_PHOTO_BYTES). */
  function batchRun(items, i) {
    const run = [];
    let chunks = 0, others = 0, bytes = 0;
    for (let j = i; j < items.length && batchable(items[j]); j++) {
      const item = items[j];
      if (item.kind === 'track') {
        if (chunks >= TRACK_BATCH) break;
        chunks++;
      } else {
        const size = item.kind === 'photo' ? (item.body && item.body.size) || 0 : 0;
        if (others >= BATCH_RECORDS || (run.length && bytes + size > BATCH_PHOTO_BYTES)) break;
        others++;
        bytes += size;
      }
      run.push(item);
    }
    return run;
  }

  /**
   * Sends a run of records in one request (multipart: the JSON part "batch", then each photo's bytes named by its id):
   * 'ok' (all stored or already there), 'stop' (try later), 'refused' (send them alone, each gets its own answer).
   */
  async function sendBatch(run) {
    const tracks = new Map(), checkIns = [], photos = [];
    const form = new FormData();
    for (const r of run) {
      if (r.kind === 'track') {
        const [, patrolId, id] = TRACK_URL.exec(r.url);
        if (!tracks.has(patrolId)) tracks.set(patrolId, []);
        tracks.get(patrolId).push({ id, ...JSON.parse(r.body) });
      } else if (r.kind === 'checkin') {
        checkIns.push({ id: r.recordId, record: JSON.parse(r.body) });
      } else {
        const query = new URLSearchParams(r.url.slice(r.url.indexOf('?') + 1));
        const signature = r.headers && r.headers['X-Capture-Signature'];
        photos.push({ id: r.recordId, checkInId: query.get('checkInId'), takenAt: Number(query.get('takenAt')), ...(signature ? { captureSignature: signature } : {}) });
      }
    }
    form.append('batch', JSON.stringify({ checkIns, tracks: [...tracks].map(([patrolId, chunks]) => ({ patrolId, chunks })), photos }));
    for (const r of run) if (r.kind === 'photo') form.append(r.recordId, r.body, 'photo');
    let response;
    try {
      response = await fieldFetch('/api/field/sync', { method: 'POST', body: form });
    } catch {
      setSyncNote('没有网络，稍后自动发送');
      return 'stop';
    }
    if (response.ok) {
      const answer = await response.json().catch(() => null);
      const results = new Map(((answer && answer.records) || []).map(x => [x.id, x]));
      await tx(['outbox'], 'readwrite', t => { for (const r of run) t.objectStore('outbox').delete(r.seq); });
      for (const r of run) if (r.kind === 'checkin') await markSent(r.recordId, results.get(r.recordId) || null);
      return 'ok';
    }
    return stopOn(response) ? 'stop' : 'refused';
  }

  /** Sends one record: 'ok', 'stop' (try later, in order) or 'failed' (kept, marked with why). */
  async function send(item) {
    let response;
    try {
      response = await fieldFetch(item.url, {
        method: 'PUT',
        headers: { 'Content-Type': item.contentType, ...(item.headers || {}) },
        body: item.body,
      });
    } catch {
      setSyncNote('没有网络，稍后自动发送');
      return 'stop'; // no connection: try again later, in order
    }
    if (response.ok) {
      await tx(['outbox'], 'readwrite', t => { t.objectStore('outbox').delete(item.seq); });
      if (item.kind === 'checkin') await markSent(item.recordId, await response.json().catch(() => null));
      return 'ok';
    }
    if (stopOn(response)) return 'stop';
    // 400/404/409: this record will not go through as it is; keep it, show why, send the rest.
    const problem = await response.json().catch(() => ({}));
    item.failed = true;
    item.attempts += 1;
    item.error = `${response.status} ${problem.detail || problem.title || ''}`;
    await tx(['outbox'], 'readwrite', t => { t.objectStore('outbox').put(item); });
    return 'failed';
  }

  /** 401 (log in again), 5xx and 429 (the server is busy): nothing more is sent now. */
  function stopOn(response) {
    if (response.status === 401) {
      setSyncNote('登录已过期：记录都保存在手机上，请重新登录后发送');
      return true;
    }
    if (response.status >= 500 || response.status === 429) {
      setSyncNote('服务器暂时不可用，稍后自动重试');
      return true;
    }
    return false;
  }

  function setSyncNote(text) {
    $('sync-note').textContent = text;
  }

  async function markSent(id, result) {
    await tx(['checkins'], 'readwrite', async t => {
      const store = t.objectStore('checkins');
      const row = await req(store.get(id));
      if (!row) return;
      row.sent = true;
      if (result && typeof result.verified === 'boolean') { row.verified = result.verified; row.reasons = result.reasons || []; }
      store.put(row);
    });
  }

  /** Asks the server how the sent check-ins were judged (a photo or the track may arrive after the check-in). */
  async function refreshStates() {
    const rows = (await allOf('checkins')).filter(r => r.sent);
    if (rows.length === 0 || !navigator.onLine) return;
    const ids = rows.slice(-200).map(r => r.id).join(',');
    try {
      const response = await fieldFetch(`/api/field/check-ins?ids=${ids}`);
      if (!response.ok) return;
      const states = await response.json();
      await tx(['checkins'], 'readwrite', t => {
        const store = t.objectStore('checkins');
        for (const s of states) {
          const row = rows.find(r => r.id === s.id);
          if (row) store.put({ ...row, verified: s.verified, reasons: s.reasons, flags: s.flags, distance: s.distanceMetres, pending: s.pending === true });
        }
      });
      if (!$('history').hidden) renderHistory();
      // The server judges a patrol a few seconds after the phone's last upload: ask again until every verdict is in.
      if (states.some(s => s.pending) && !refreshStates.again) {
        refreshStates.again = setTimeout(() => { refreshStates.again = null; refreshStates(); }, 5000);
      }
    } catch { /* offline again */ }
  }

  // ---------- bundle ----------
  async function download() {
    // Busy while it runs: a patrol started meanwhile would be planned on a bundle about to be replaced.
    const button = $('download');
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = '正在下载…';
    $('start').disabled = true;
    try {
      const response = await fieldFetch('/api/field/bundle');
      if (response.status === 401) { location.href = '/login?ReturnUrl=/field'; return; }
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      try {
        const boundary = await fetch(`/api/divisions/${data.countyCode}/boundary`, { credentials: 'same-origin' });
        data.boundary = boundary.ok ? (await boundary.json()).geometry : null;
      } catch { data.boundary = null; }
      await kvSet('bundle', data);
      bundle = data;
      for (const more of afterDownload) await more().catch(() => {});
      // Adit photos for offline viewing, through the service worker's cache.
      if ('caches' in window) {
        const cache = await caches.open('field-photos');
        for (const a of data.adits.filter(a => a.photoId).slice(0, 200)) {
          cache.add(`/api/adits/${a.id}/photos/${a.photoId}`).catch(() => {});
        }
      }
      renderHome();
      toast(`已下载 ${data.adits.length} 个矿硐`);
    } catch {
      toast('下载失败：没有网络或服务器不可用');
    } finally {
      button.disabled = false;
      button.textContent = '下载 / 更新巡查数据';
      $('start').disabled = !bundle || bundle.teams.length === 0;
    }
  }

  function renderHome() {
    $('who').textContent = bundle ? `${bundle.displayName}（${bundle.user}）` : '';
    $('bundle-info').textContent = bundle
      ? `已下载 ${bundle.adits.length} 个矿硐 · ${fmtTime(Date.parse(bundle.generatedUtc))}`
      : '尚未下载巡查数据（需要网络）';
    const teams = bundle ? bundle.teams : [];
    // A fresh download keeps the team and plan the member had chosen, when they still exist.
    const chosen = { team: $('team').value, plan: $('plan').value, planTouched: $('plan').dataset.touched === 'true' };
    $('team').innerHTML = '';
    for (const t of teams) $('team').add(new Option(`${t.name}（${t.kind}）`, t.id));
    if (teams.some(t => t.id === chosen.team)) $('team').value = chosen.team;
    renderPlans();
    if (chosen.planTouched && [...$('plan').options].some(o => o.value === chosen.plan)) $('plan').value = chosen.plan;
    $('start').disabled = !bundle || teams.length === 0;
    if (bundle && teams.length === 0) $('bundle-info').textContent += ' · 您还不是任何巡查队的队员';
  }

  function renderPlans() {
    const team = bundle && bundle.teams.find(t => t.id === $('team').value);
    $('plan').innerHTML = '';
    $('plan').add(new Option('（不按计划）', ''));
    for (const p of team ? team.plans : []) {
      $('plan').add(new Option(`${p.isCross ? '交叉巡查 ' : ''}${p.periodStart} 至 ${p.periodEnd}（${p.items.length} 个矿硐）`, p.id));
    }
    if (team && team.plans.length) $('plan').value = team.plans[0].id;
  }

  // ---------- patrol ----------
  async function startPatrol() {
    if (!bundle) return;
    patrol = { id: uuid(), teamId: $('team').value, planId: $('plan').value || null, startedAt: now(), paused: false, seq: 0, buffer: [], count: 0,
      captureKey: newCaptureKey() };
    await kvSet('patrol', patrol);
    await enqueue({ kind: 'patrol', recordId: patrol.id, url: `/api/field/patrols/${patrol.id}`, contentType: 'application/json',
      body: JSON.stringify({ teamId: patrol.teamId, planId: patrol.planId, startedAt: new Date(patrol.startedAt).toISOString(),
        ...(patrol.captureKey ? { captureKey: patrol.captureKey } : {}) }), label: '巡查开始' });
    beginWatching();
    show('patrol');
    initMap();
    renderAdits();
    try { await navigator.wakeLock?.request('screen'); } catch { /* not everywhere */ }
  }

  function beginWatching() {
    if (!('geolocation' in navigator)) { toast('此手机不支持定位'); return; }
    watchId = navigator.geolocation.watchPosition(onPosition, e => { $('fix').textContent = `定位失败（${e.message}）`; },
      { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
  }

  async function onPosition(pos) {
    fix = { lat: pos.coords.latitude, lon: pos.coords.longitude, acc: pos.coords.accuracy, t: now() };
    $('fix').textContent = `±${Math.round(fix.acc)} 米`;
    if (current) renderDistance();
    if (meMarker) meMarker.setLatLng([fix.lat, fix.lon]);
    if (!patrol || patrol.paused) return;
    const last = patrol.buffer[patrol.buffer.length - 1] || patrol.lastPoint;
    if (last && fix.t - last[3] < MIN_STEP_MS && metres(last[0], last[1], fix.lat, fix.lon) < MIN_STEP_M) return;
    const point = [fix.lat, fix.lon, fix.acc, fix.t];
    patrol.buffer.push(point);
    patrol.lastPoint = point;
    patrol.count += 1;
    (patrol.trail ||= []).push([fix.lat, fix.lon]);
    if (trackLine) trackLine.setLatLngs(patrol.trail);
    $('points').textContent = String(patrol.count);
    if (patrol.buffer.length >= CHUNK_POINTS) await flushTrack();
    else await kvSet('patrol', patrol);
    renderAdits();
  }

  /**
   * Moves the buffered points into the outbox as one track chunk (its own id, so a resend is one chunk), with the
   * pauses declared since the last one ([from, to] ms): the server does not count a declared pause as a lost track.
   */
  async function flushTrack() {
    if (!patrol || (patrol.buffer.length === 0 && !(patrol.pauses || []).length)) return;
    const points = patrol.buffer;
    const pauses = patrol.pauses || [];
    const chunkId = uuid();
    const seq = patrol.seq;
    patrol.buffer = [];
    patrol.pauses = [];
    patrol.seq += 1;
    await kvSet('patrol', patrol);
    await enqueue({ kind: 'track', recordId: chunkId, url: `/api/field/patrols/${patrol.id}/track/${chunkId}`, contentType: 'application/json',
      body: JSON.stringify(pauses.length ? { seq, points, pauses } : { seq, points }), label: `轨迹 ${points.length} 点` });
  }

  async function togglePause() {
    if (!patrol) return;
    patrol.paused = !patrol.paused;
    if (patrol.paused) patrol.pausedAt = now();
    else if (patrol.pausedAt) {
      (patrol.pauses ||= []).push([patrol.pausedAt, now()]);
      patrol.pausedAt = null;
    }
    if (patrol.paused) await flushTrack();
    await kvSet('patrol', patrol);
    $('pause').textContent = patrol.paused ? '继续' : '暂停';
    $('rec').textContent = patrol.paused ? '⏸ 已暂停' : '● 记录中';
    $('rec').classList.toggle('paused', patrol.paused);
  }

  async function endPatrol() {
    if (!patrol || !(await ask('结束本次巡查？', '结束巡查'))) return;
    await flushTrack();
    await enqueue({ kind: 'patrol', recordId: patrol.id, url: `/api/field/patrols/${patrol.id}`, contentType: 'application/json',
      body: JSON.stringify({ teamId: patrol.teamId, planId: patrol.planId, startedAt: new Date(patrol.startedAt).toISOString(), endedAt: new Date(now()).toISOString(),
        ...(patrol.captureKey ? { captureKey: patrol.captureKey } : {}) }),
      label: '巡查结束' });
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    patrol = null;
    await kvSet('patrol', null);
    show('home');
    toast('巡查已结束，记录将自动发送');
  }

  function planRanks() {
    const team = bundle.teams.find(t => t.id === (patrol && patrol.teamId));
    const plan = team && team.plans.find(p => p.id === (patrol && patrol.planId));
    return new Map(plan ? plan.items.map(i => [i.aditId, i]) : []);
  }

  function renderAdits() {
    if (!bundle) return;
    const ranks = planRanks();
    const list = bundle.adits
      .filter(a => ranks.size === 0 || ranks.has(a.id))
      .map(a => ({ a, d: fix ? metres(fix.lat, fix.lon, a.lat, a.lon) : null }))
      .sort((x, y) => (x.d ?? 1e12) - (y.d ?? 1e12) || x.a.number.localeCompare(y.a.number))
      .slice(0, 60);
    const ol = $('adits');
    ol.innerHTML = '';
    for (const { a, d } of list) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.adit = a.id;
      const plan = ranks.get(a.id);
      b.innerHTML = `<span class="dist"></span><span class="num"></span> <span class="name"></span><br><small class="muted"></small>`;
      b.querySelector('.dist').textContent = d === null ? '' : d < 1000 ? `${Math.round(d)} 米` : `${(d / 1000).toFixed(1)} 公里`;
      b.querySelector('.num').textContent = a.number;
      b.querySelector('.name').textContent = a.name || '';
      b.querySelector('small').textContent = `${a.stateText}${a.township ? ' · ' + a.township : ''}${plan ? ' · ' + plan.reason : ''}`;
      b.addEventListener('click', () => openCheckIn(a));
      li.append(b);
      ol.append(li);
    }
  }

  function initMap() {
    if (map || !window.L || !window.MineGuardMap) return;
    // The phone's fix and the bundle are WGS84: GCJ-02 tiles would sit ~500 m off, so they are left out.
    map = MineGuardMap.create('map', { zoomControl: true }, { wgsOnly: true }).map;
    if (bundle.boundary) L.geoJSON(bundle.boundary, { style: { color: '#1f3a5f', weight: 2, fill: false } }).addTo(map);
    for (const a of bundle.adits) {
      L.circleMarker([a.lat, a.lon], { radius: 6, color: a.state === 'Breached' ? '#c62828' : '#1f6feb' }).bindTooltip(a.number).addTo(map);
    }
    trackLine = L.polyline(patrol && patrol.trail ? patrol.trail : [], { color: '#f28c28', weight: 4 }).addTo(map);
    meMarker = L.circleMarker(fix ? [fix.lat, fix.lon] : [0, 0], { radius: 8, color: '#2e7d32', fillOpacity: 0.9 }).addTo(map);
    const pts = bundle.adits.map(a => [a.lat, a.lon]);
    if (fix) map.setView([fix.lat, fix.lon], 15);
    else if (pts.length) map.fitBounds(pts);
    else map.setView([34, 112], 9);
  }

  // ---------- check-in ----------
  // Answer format 2: every check is "is this problem there?" with 无 (false, no problem) and 有 (true, a problem), so the
  // same answer means "all well" everywhere; a check is asked only where it applies (no seal question at an unsealed
  // adit). A bundle downloaded before format 2 (format 1: literal 是/否 to mixed questions) is still asked its own way
  // and sent without the format field, so the server reads it by the old meaning.
  const v2 = () => bundle && bundle.answerFormat === 2;
  const answerKey = q => q.key[0].toLowerCase() + q.key.slice(1);
  const isProblem = (q, value) => v2() ? value === true : value === q.badAnswer;
  const applies = (q, adit) => !q.appliesTo || q.appliesTo.includes(adit.state);

  function openCheckIn(adit) {
    current = { adit, answers: {}, photos: [] };
    $('ci-title').textContent = `${adit.number} ${adit.name || ''}`;
    $('ci-state').textContent = `${adit.stateText}${adit.township ? ' · ' + adit.township : ''} · ${adit.lastVerifiedUtc ? '上次到位 ' + fmtTime(Date.parse(adit.lastVerifiedUtc)) : '从未核验到位'}`;
    const photo = $('ci-photo');
    photo.hidden = !adit.photoId;
    if (adit.photoId) photo.src = `/api/adits/${adit.id}/photos/${adit.photoId}`;
    $('ci-note').value = '';
    $('ci-finding').checked = false;
    $('thumbs').innerHTML = '';
    const box = $('questions');
    box.innerHTML = '';
    $('questions-hint').textContent = v2() ? '逐项查看：没有这种情况点“无”，发现了点“有”。' : '';
    for (const q of bundle.questions.filter(q => applies(q, adit))) {
      const div = document.createElement('div');
      div.className = 'q';
      div.dataset.key = answerKey(q);
      div.innerHTML = v2()
        ? '<div class="text"></div><div class="opts"><button type="button" data-v="false" class="no">无</button><button type="button" data-v="true" class="yes">有</button></div>'
        : '<div class="text"></div><div class="opts"><button type="button" data-v="true" class="yes">是</button><button type="button" data-v="false" class="no">否</button></div>';
      div.querySelector('.text').textContent = q.question;
      for (const b of div.querySelectorAll('button')) {
        b.addEventListener('click', () => {
          const value = b.dataset.v === 'true';
          current.answers[answerKey(q)] = value;
          for (const o of div.querySelectorAll('button')) o.classList.remove('on', 'bad');
          b.classList.add('on');
          b.classList.toggle('bad', isProblem(q, value));
        });
      }
      box.append(div);
    }
    renderDistance();
    show('checkin');
    startCamera();
  }

  function renderDistance() {
    if (!current) return;
    const el = $('ci-distance');
    if (!fix) { el.textContent = '正在定位…'; el.className = 'distance'; return; }
    const d = metres(fix.lat, fix.lon, current.adit.lat, current.adit.lon);
    const near = d <= bundle.rules.maxDistanceMetres && fix.acc <= bundle.rules.maxAccuracyMetres;
    el.textContent = `距矿硐 ${d < 1000 ? Math.round(d) + ' 米' : (d / 1000).toFixed(1) + ' 公里'}，定位精度 ${Math.round(fix.acc)} 米`;
    el.className = `distance ${near ? 'near' : 'far'}`;
  }

  let stream = null;
  async function startCamera() {
    $('camera-note').textContent = '';
    if (!navigator.mediaDevices?.getUserMedia) {
      $('camera-note').textContent = '此浏览器无法直接打开相机，请用“拍照”调用手机相机。';
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      $('video').srcObject = stream;
      await $('video').play();
    } catch {
      stream = null;
      $('camera-note').textContent = '相机未打开（未授权或被占用），请用“拍照”调用手机相机。';
    }
  }

  function stopCamera() {
    if (stream) for (const t of stream.getTracks()) t.stop();
    stream = null;
  }

  async function shoot() {
    if (!current) return;
    if (!stream) { $('file-camera').click(); return; }
    const video = $('video');
    const canvas = document.createElement('canvas');
    const scale = Math.min(1, 1600 / Math.max(video.videoWidth || 1, video.videoHeight || 1));
    canvas.width = Math.max(1, Math.round((video.videoWidth || 640) * scale));
    canvas.height = Math.max(1, Math.round((video.videoHeight || 480) * scale));
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    if (blob) addPhoto(blob, true);
  }

  // ---------- capture signature ----------
  // The app marks the photos its own camera took (issue 15): a random key per patrol, sent once with the patrol, and for
  // each captured photo X-Capture-Signature = hex HMAC-SHA256(key, "photoId|sha256 hex of the bytes|takenAt ms").
  // Without Web Crypto (not a secure context) there is no key, and the server judges the patrol's photos as before.
  const hex = buf => Array.from(new Uint8Array(buf), b => b.toString(16).padStart(2, '0')).join('');
  const newCaptureKey = () => (window.crypto && crypto.subtle ? hex(crypto.getRandomValues(new Uint8Array(32))) : null);
  async function captureSignature(keyHex, photo) {
    if (!keyHex || !photo.captured || !(window.crypto && crypto.subtle)) return null;
    const raw = new Uint8Array(keyHex.match(/../g).map(h => parseInt(h, 16)));
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const sha = hex(await crypto.subtle.digest('SHA-256', await photo.blob.arrayBuffer()));
    return hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${photo.id}|${sha}|${photo.takenAt}`)));
  }

  function addPhoto(blob, captured) {
    const photo = { id: uuid(), blob, takenAt: now(), captured: captured === true };
    current.photos.push(photo);
    const img = document.createElement('img');
    img.src = URL.createObjectURL(blob);
    img.alt = '现场照片';
    $('thumbs').append(img);
  }

  async function submitCheckIn() {
    if (!current || !patrol) { toast('请先开始巡查'); return; }
    if (!fix) { toast('还没有定位，请到开阔处稍等'); return; }
    if (bundle.rules.requirePhoto && current.photos.length === 0 && !(await ask('没有拍照的签到不能核验到位。仍然提交？', '仍然提交'))) return;
    // A problem opens a follow-up, tells the responsible person and, for a broken seal, records a breach and sends an
    // SMS: say so and ask before it is written.
    const problems = bundle.questions.filter(q => applies(q, current.adit) && answerKey(q) in current.answers
      && isProblem(q, current.answers[answerKey(q)])).map(q => q.question);
    const finding = $('ci-finding').checked;
    if (problems.length || finding) {
      const seal = bundle.questions.some(q => (q.key === 'SealBroken' || q.key === 'SealIntact') && applies(q, current.adit)
        && answerKey(q) in current.answers && isProblem(q, current.answers[answerKey(q)]));
      const text = `这次签到将上报：${[...problems, ...(finding ? ['巡查员上报问题线索'] : [])].join('；')}。`
        + `将通知矿硐 ${current.adit.number} 的包保责任人并生成待办${seal ? '，登记封堵被破坏并发送短信' : ''}。确认上报？`;
      if (!(await ask(text, '确认上报'))) return;
    }
    await flushTrack();
    const id = uuid();
    const at = now();
    const body = {
      patrolId: patrol.id, aditId: current.adit.id, at: new Date(at).toISOString(), lat: fix.lat, lon: fix.lon, accuracy: fix.acc,
      answers: current.answers, finding, note: $('ci-note').value.trim() || null,
      ...(v2() ? { answerFormat: 2 } : {}),
    };
    await tx(['checkins'], 'readwrite', t => {
      t.objectStore('checkins').put({ id, aditId: current.adit.id, number: current.adit.number, at, sent: false, verified: null, reasons: [] });
    });
    // The check-in and its photos are queued together, so the sending sees them together (one request).
    const entries = [{ kind: 'checkin', recordId: id, url: `/api/field/check-ins/${id}`, contentType: 'application/json', body: JSON.stringify(body),
      label: `签到 ${current.adit.number}` }];
    for (const p of current.photos) {
      const signature = await captureSignature(patrol.captureKey, p).catch(() => null);
      entries.push({ kind: 'photo', recordId: p.id, url: `/api/field/photos/${p.id}?checkInId=${id}&takenAt=${p.takenAt}`, contentType: p.blob.type || 'image/jpeg',
        ...(signature ? { headers: { 'X-Capture-Signature': signature } } : {}), body: p.blob, label: `照片 ${current.adit.number}（${Math.round(p.blob.size / 1024)} KB）` });
    }
    await enqueueAll(entries);
    stopCamera();
    current = null;
    show('patrol');
    toast('签到已保存在手机上，有信号时自动发送');
  }

  // ---------- lists ----------
  async function renderQueue() {
    const items = (await updateQueueCount()).sort((a, b) => a.seq - b.seq);
    const ol = $('queue-list');
    ol.innerHTML = '';
    if (items.length === 0) {
      const li = document.createElement('li');
      li.textContent = '全部已发送';
      ol.append(li);
    }
    for (const item of items) {
      const li = document.createElement('li');
      li.dataset.kind = item.kind;
      li.textContent = `${item.label} · ${fmtTime(item.createdAt)}${item.error ? ' · 未能发送：' + item.error : ''}`;
      ol.append(li);
    }
    if (navigator.onLine) setSyncNote(items.length ? '有网络，正在发送…' : '');
    else setSyncNote('没有网络，记录保存在手机上');
  }

  async function renderHistory() {
    const rows = (await allOf('checkins')).sort((a, b) => b.at - a.at);
    const ol = $('history-list');
    ol.innerHTML = '';
    for (const r of rows) {
      const li = document.createElement('li');
      li.dataset.checkin = r.id;
      const head = document.createElement('div');
      const state = !r.sent ? '待发送' : r.pending ? '核验中' : r.verified === true ? '已核验到位' : r.verified === false ? '未核验' : '已发送';
      head.innerHTML = `<span class="num"></span> <span class="state"></span><br><small class="muted"></small>`;
      head.querySelector('.num').textContent = r.number;
      head.querySelector('.state').textContent = state;
      head.querySelector('.state').className = `state ${r.pending ? '' : r.verified === true ? 'ok' : r.verified === false ? 'bad' : ''}`;
      head.querySelector('small').textContent = fmtTime(r.at);
      li.append(head);
      for (const reason of [...(r.reasons || []), ...(r.flags || [])]) {
        const p = document.createElement('div');
        p.className = 'small bad reason';
        p.textContent = reason;
        li.append(p);
      }
      ol.append(li);
    }
  }

  function renderNet() {
    $('net').textContent = navigator.onLine ? '在线' : '离线';
    $('net').className = `badge ${navigator.onLine ? 'online' : 'offline'}`;
  }

  function tick() {
    if (!patrol) return;
    const s = Math.floor((now() - patrol.startedAt) / 1000);
    $('elapsed').textContent = `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  // ---------- start ----------
  async function init() {
    $('download').addEventListener('click', download);
    $('team').addEventListener('change', () => { $('plan').dataset.touched = 'false'; renderPlans(); });
    $('plan').addEventListener('change', () => { $('plan').dataset.touched = 'true'; });
    $('start').addEventListener('click', startPatrol);
    $('pause').addEventListener('click', togglePause);
    $('end').addEventListener('click', endPatrol);
    $('shoot').addEventListener('click', shoot);
    $('file-camera').addEventListener('change', e => { for (const f of e.target.files) addPhoto(f, true); e.target.value = ''; });
    $('ci-submit').addEventListener('click', submitCheckIn);
    $('ci-cancel').addEventListener('click', () => { stopCamera(); current = null; show('patrol'); });
    $('go-queue').addEventListener('click', () => show('queue'));
    $('go-history').addEventListener('click', () => show('history'));
    $('sync-now').addEventListener('click', () => sync());
    for (const b of document.querySelectorAll('.back')) b.addEventListener('click', () => show(patrol ? 'patrol' : 'home'));
    window.addEventListener('online', () => { renderNet(); sync(); });
    window.addEventListener('offline', renderNet);
    renderNet();

    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/field-sw.js', { scope: '/field' }).catch(() => {});

    bundle = await kvGet('bundle');
    patrol = await kvGet('patrol');
    renderHome();
    await updateQueueCount();
    // No bundle yet, or one from before answer format 2: fetch today's questions while there is signal.
    if ((!bundle || !v2()) && navigator.onLine) await download();
    if (patrol) {
      // The app was closed or the phone restarted mid-patrol: carry on recording.
      $('pause').textContent = patrol.paused ? '继续' : '暂停';
      beginWatching();
      show('patrol');
      initMap();
      renderAdits();
    }
    setInterval(tick, 1000);
    setInterval(() => sync(), 15000);
    sync();
    document.body.dataset.ready = 'true';
  }

  init();
})();
