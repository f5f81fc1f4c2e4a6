// 卫片图斑核查 in the field app: the patches whose check is given to this checker come down with the app's download and are
// kept for offline work; a finding (legal / illegal / other, a note, where the checker stands, photos) goes into the app's
// one outbox (app.js) under an id made here and is sent by PUT to /api/satellite/findings/{id}: a resend is stored once,
// other content under the same id is refused (409) and kept in the queue with the reason. The server judges the position
// against the polygon by the county's check-in rules (到位核验).
'use strict';

(function () {
  const field = window.MineGuardField;
  if (!field) return;
  const $ = id => document.getElementById(id);
  let patches = [];
  let current = null; // { patch, fix, photos: [{ id, blob }] }

  async function download() {
    const response = await fetch('/api/satellite/my-patches', { credentials: 'same-origin' });
    if (!response.ok) return;
    patches = (await response.json()).map(p => ({
      id: p.id, patchId: p.patchId, changeType: p.changeType, areaM2: p.areaM2, lon: p.lon, lat: p.lat, dueOn: p.dueOn,
      relation: p.mineRelationName, nearestAditMetres: p.nearestAditMetres, returns: p.returns,
    }));
    await field.kvSet('patches', patches);
  }

  function renderList() {
    const ol = $('pt-list');
    ol.innerHTML = '';
    $('pt-info').textContent = patches.length ? `待核查图斑 ${patches.length} 个（已下载，可离线填报）` : '没有分配给您的待核查图斑（有信号时请先下载 / 更新）';
    for (const p of patches) {
      const li = document.createElement('li');
      li.dataset.patch = p.id;
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${p.patchId} ${p.changeType}，约 ${Math.round(p.areaM2)} 平方米，${p.dueOn} 前核查${p.returns ? '（省级退回）' : ''}`;
      b.addEventListener('click', () => open(p));
      li.append(b);
      ol.append(li);
    }
  }

  async function showList() {
    patches = (await field.kvGet('patches').catch(() => null)) || patches;
    renderList();
    field.show('patches');
  }

  /** Where the checker stands: the app's last fix, else one reading of the phone's position (GPS works with no signal). */
  function locate() {
    const fix = field.fix();
    if (fix) return Promise.resolve(fix);
    return new Promise(resolve => {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        p => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, acc: p.coords.accuracy }),
        () => resolve(null), { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
    });
  }

  async function open(p) {
    current = { patch: p, fix: null, photos: [] };
    $('pt-title').textContent = `图斑 ${p.patchId}`;
    $('pt-detail').textContent = `${p.changeType}；${p.relation}；位置 ${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`
      + (p.nearestAditMetres != null ? `；最近矿硐 ${Math.round(p.nearestAditMetres)} 米` : '');
    for (const r of document.querySelectorAll('input[name="pt-finding"]')) r.checked = false;
    $('pt-note').value = '';
    $('pt-thumbs').innerHTML = '';
    $('pt-place').textContent = '正在定位…';
    field.show('patch');
    current.fix = await locate();
    if (current) $('pt-place').textContent = current.fix
      ? `当前位置 ${current.fix.lat.toFixed(5)}, ${current.fix.lon.toFixed(5)}（精度 ${Math.round(current.fix.acc)} 米）`
      : '无法定位：请到开阔处再试';
  }

  async function submit() {
    if (!current) return;
    const finding = document.querySelector('input[name="pt-finding"]:checked')?.value;
    const note = $('pt-note').value.trim();
    if (!finding) { field.toast('请选择核查结论'); return; }
    if (!note) { field.toast('请填写核查情况'); return; }
    if (!current.fix) current.fix = await locate();
    if (!current.fix) { field.toast('还没有定位，请到开阔处稍等'); return; }
    if (finding === 'illegal' && !(await field.ask('核查为违法采矿，发送后将转为线索并报省级复核。确认保存？', '确认保存'))) return;
    const p = current.patch;
    const id = field.uuid();
    const body = { patchId: p.id, finding, note, lon: current.fix.lon, lat: current.fix.lat, accuracy: current.fix.acc, at: new Date().toISOString() };
    await field.enqueue({ kind: 'patch-finding', recordId: id, url: `/api/satellite/findings/${id}`, contentType: 'application/json',
      body: JSON.stringify(body), label: `图斑核查 ${p.patchId}` });
    await field.enqueuePhotos('patch-photo', current.photos, photo => `/api/satellite/findings/${id}/photos/${photo.id}`, `图斑照片 ${p.patchId}`);
    patches = patches.filter(x => x.id !== p.id);
    await field.kvSet('patches', patches);
    current = null;
    field.show('home');
    field.toast('核查结论已保存在手机上，有信号时自动发送');
  }

  field.onDownload(download);
  $('go-patches').addEventListener('click', showList);
  $('pt-photo').addEventListener('change', e => { field.pickPhotos(current.photos, e.target.files, $('pt-thumbs')); e.target.value = ''; });
  $('pt-submit').addEventListener('click', submit);
  $('pt-back').addEventListener('click', () => { current = null; showList(); });
  field.kvGet('patches').then(p => { patches = p || []; }).catch(() => {});
})();
