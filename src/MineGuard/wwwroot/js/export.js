// 导出 buttons (a link with data-export): the link still works without JavaScript (a GET answers with the file). With
// it, the export is asked for with a POST: a small one comes back as the file at once; a large one (202) runs in the
// background, and a progress line beside the button says 已导出 12,000 / 1,000,000 条 until the file is ready, then
// the browser downloads it. A CSV link is added beside each button (the same export with format=csv).
(function () {
  'use strict';
  var number = new Intl.NumberFormat('en-US');

  function line(link) {
    var el = link.parentNode.querySelector('.export-progress');
    if (!el) {
      el = document.createElement('span');
      el.className = 'export-progress small text-muted ms-2';
      el.setAttribute('role', 'status');
      link.parentNode.appendChild(el);
    }
    return el;
  }

  function save(url, name) {
    var a = document.createElement('a');
    a.href = url;
    if (name) a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function fileName(response) {
    var header = response.headers.get('Content-Disposition') || '';
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : '';
  }

  async function problem(response) {
    try {
      var body = await response.json();
      var errors = body.errors ? Object.values(body.errors).flat() : [];
      return errors.length ? errors.join('；') : (body.detail || body.title || '导出失败');
    } catch (e) {
      return '导出失败（' + response.status + '）';
    }
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  async function follow(link, status, job) {
    var url = '/api/exports/' + job.id;
    for (;;) {
      status.textContent = (job.state === 'waiting' ? '排队中，' : '') + '已导出 ' + number.format(job.rows) + ' / ' + number.format(job.total) + ' 条';
      if (job.state === 'done') {
        status.textContent = '已导出 ' + number.format(job.rows) + ' / ' + number.format(job.total) + ' 条，文件已生成，正在下载';
        save(job.downloadUrl, '');
        return;
      }
      if (job.state === 'failed') {
        status.textContent = job.error || '导出失败';
        return;
      }
      await wait(1000);
      var response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) {
        status.textContent = await problem(response);
        return;
      }
      job = await response.json();
    }
  }

  async function start(link) {
    var status = line(link);
    if (link.dataset.busy) return;
    link.dataset.busy = '1';
    link.classList.add('disabled');
    status.textContent = '正在导出…';
    try {
      var response = await fetch(link.href, { method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.status === 202) {
        await follow(link, status, await response.json());
      } else if (response.ok) {
        var blob = await response.blob();
        var url = URL.createObjectURL(blob);
        save(url, fileName(response));
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        status.textContent = '';
      } else {
        status.textContent = await problem(response);
      }
    } catch (e) {
      status.textContent = '导出失败，请检查网络后重试';
    } finally {
      delete link.dataset.busy;
      link.classList.remove('disabled');
    }
  }

  function withCsv(link) {
    var csv = document.createElement('a');
    var url = new URL(link.href, location.href);
    url.searchParams.set('format', 'csv');
    csv.href = url.pathname + url.search;
    csv.className = link.className.replace(/\bme-2\b/, '') + ' ms-1';
    csv.dataset.export = 'csv';
    csv.textContent = 'CSV';
    csv.title = '导出为 CSV（UTF-8）';
    link.insertAdjacentElement('afterend', csv);
  }

  document.querySelectorAll('a[data-export]').forEach(function (link) { if (link.dataset.export !== 'csv') withCsv(link); });
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-export]');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    start(link);
  });
})();
