// 排查检查 in the field app: an inspection of an adit or another place for a sweep, taken offline. The sweeps (with their
// checklists and areas) come down with the patrol bundle; an inspection goes into the app's one outbox (app.js) with an
// id made here and is sent by PUT to /api/inspections/{id}: a resend is stored once, other content under the same id is
// refused (409) and kept in the queue with the reason, exactly as a check-in. Its photos follow it in the same outbox (as
// patch.js's), each by PUT to /api/inspections/{id}/photos/{photoId} under its own id: stored once.
'use strict';

(function () {
  const field = window.MineGuardField;
  if (!field) return;
  const $ = id => document.getElementById(id);
  let sweeps = [];
  let current = null; // { answers: {}, problems: [], photos: [{ id, blob }] }

  /** The sweeps under way (not ended before today) with their checklist and areas, kept for offline work. */
  async function downloadSweeps() {
    const list = await fetch('/api/sweeps', { credentials: 'same-origin' });
    if (!list.ok) return;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const open = (await list.json()).filter(s => s.to >= today).slice(0, 20);
    const full = [];
    for (const s of open) {
      const one = await fetch(`/api/sweeps/${s.id}`, { credentials: 'same-origin' });
      if (one.ok) full.push(await one.json());
    }
    sweeps = full;
    await field.kvSet('sweeps', full);
  }

  const sweep = () => sweeps.find(s => s.id === $('in-sweep').value) || null;

  function render() {
    const bundle = field.bundle();
    $('in-info').textContent = sweeps.length ? `已下载 ${sweeps.length} 个排查行动` : '没有进行中的排查行动（可不选行动直接检查）';
    $('in-sweep').innerHTML = '';
    $('in-sweep').add(new Option('（不属于排查行动）', ''));
    for (const s of sweeps) $('in-sweep').add(new Option(`${s.name}（${s.from} 至 ${s.to}）`, s.id));
    if (sweeps.length) $('in-sweep').value = sweeps[0].id;
    $('in-adit').innerHTML = '';
    const fix = field.fix();
    const near = a => (fix ? Math.hypot(a.lat - fix.lat, (a.lon - fix.lon) * Math.cos(fix.lat * Math.PI / 180)) : 0);
    for (const a of (bundle ? bundle.adits : []).slice().sort((x, y) => near(x) - near(y) || x.number.localeCompare(y.number)).slice(0, 200)) {
      $('in-adit').add(new Option(`${a.number} ${a.name || ''}`, a.id));
    }
    $('in-signer').value = bundle ? bundle.displayName : '';
    $('in-note').value = '';
    $('in-place').value = '';
    $('in-thumbs').innerHTML = '';
    renderSweep();
    renderKind();
    renderProblems();
  }

  function renderSweep() {
    const s = sweep();
    // Without a sweep: the eight checks as the bundle asks them (format 2 keys), and the county's places.
    const bundle = field.bundle();
    const questions = s ? s.checklist.questions
      : (bundle ? bundle.questions.filter(q => q.key !== 'SealIntact').map(q => ({ key: q.key[0].toLowerCase() + q.key.slice(1), text: q.question })) : []);
    $('in-area').innerHTML = '';
    for (const a of s ? s.areas : []) $('in-area').add(new Option(a.name, a.code));
    const box = $('in-questions');
    box.innerHTML = '';
    current.answers = {};
    for (const q of questions) {
      const div = document.createElement('div');
      div.className = 'q';
      div.dataset.key = q.key;
      div.innerHTML = '<div class="text"></div><div class="opts"><button type="button" data-v="false" class="no">无</button><button type="button" data-v="true" class="yes">有</button></div>';
      div.querySelector('.text').textContent = q.text;
      for (const b of div.querySelectorAll('button')) {
        b.addEventListener('click', () => {
          current.answers[q.key] = b.dataset.v === 'true';
          for (const o of div.querySelectorAll('button')) o.classList.remove('on', 'bad');
          b.classList.add('on');
          b.classList.toggle('bad', b.dataset.v === 'true');
        });
      }
      box.append(div);
    }
  }

  function renderKind() {
    const adit = $('in-kind').value === 'adit';
    $('in-adit-row').hidden = !adit;
    $('in-area-row').hidden = adit;
    $('in-place-row').hidden = adit;
  }

  function renderProblems() {
    const ol = $('in-problems');
    ol.innerHTML = '';
    for (const p of current.problems) {
      const li = document.createElement('li');
      li.textContent = `${p.lead ? '【盗采线索】' : ''}${$('in-class').querySelector(`option[value="${p.classification}"]`)?.textContent || ''}：${p.description}`;
      ol.append(li);
    }
  }

  /** The problem typed in the boxes, added to the list (also done by 保存 for one still in the boxes). */
  function addProblem() {
    const description = $('in-problem').value.trim();
    if (!description) return false;
    const lead = $('in-lead').checked;
    current.problems.push({ classification: lead ? 'digging' : $('in-class').value, description, lead });
    $('in-problem').value = '';
    $('in-lead').checked = false;
    renderProblems();
    return true;
  }

  async function open() {
    sweeps = (await field.kvGet('sweeps').catch(() => null)) || sweeps;
    current = { answers: {}, problems: [], photos: [] };
    render();
    field.show('inspect');
  }

  async function submit() {
    if (!current) return;
    addProblem();
    const kind = $('in-kind').value;
    const body = { sweepId: $('in-sweep').value || null, placeKind: kind, at: new Date().toISOString(), answers: current.answers,
      signer: $('in-signer').value.trim() || null, note: $('in-note').value.trim() || null, problems: current.problems };
    let label;
    if (kind === 'adit') {
      if (!$('in-adit').value) { field.toast('请选择所检查的矿硐'); return; }
      body.aditId = $('in-adit').value;
      label = $('in-adit').selectedOptions[0].textContent.trim();
    } else {
      body.divisionCode = $('in-area').value || (field.bundle() && field.bundle().countyCode) || null;
      body.placeName = $('in-place').value.trim();
      if (!body.placeName) { field.toast('请填写检查地点名称'); return; }
      label = body.placeName;
    }
    const fix = field.fix();
    if (fix) { body.lat = fix.lat; body.lon = fix.lon; }
    const leads = current.problems.filter(p => p.lead).length;
    if (leads && !(await field.ask(`有 ${leads} 个盗采线索，发送后将转为线索核查。确认保存？`, '确认保存'))) return;
    const id = field.uuid();
    await field.enqueue({ kind: 'inspection', recordId: id, url: `/api/inspections/${id}`, contentType: 'application/json', body: JSON.stringify(body),
      label: `检查 ${label}${current.problems.length ? `（问题 ${current.problems.length} 个）` : ''}` });
    await field.enqueuePhotos('inspection-photo', current.photos, photo => `/api/inspections/${id}/photos/${photo.id}`, `检查照片 ${label}`);
    current = null;
    field.show('home');
    field.toast('检查记录已保存在手机上，有信号时自动发送');
  }

  field.onDownload(downloadSweeps);
  $('go-inspect').addEventListener('click', open);
  $('in-sweep').addEventListener('change', renderSweep);
  $('in-kind').addEventListener('change', renderKind);
  $('in-add').addEventListener('click', addProblem);
  $('in-photo').addEventListener('change', e => { if (current) field.pickPhotos(current.photos, e.target.files, $('in-thumbs')); e.target.value = ''; });
  $('in-submit').addEventListener('click', submit);
  field.kvGet('sweeps').then(s => { sweeps = s || []; }).catch(() => {});
})();
