// 导出 buttons (a link with data-export): the link still works without JavaScript (a GET answers with the file). With
// it, the export is asked for with a POST: a small one comes back as the file at once; a large one (202) runs in the
// background, and a progress line beside the button says 已导出 12,000 / 1,000,000 条 until the file is ready, then
// the browser downloads it; 取消 beside the line stops the job. A CSV link is added beside each button (the same export with format=csv).
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

  // 取消 beside the progress line: DELETE /api/exports/{id} stops the job and deletes its file.
  function cancelButton(link, status, url, stopped) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-link btn-sm py-0 export-cancel';
    button.textContent = '取消';
    button.addEventListener('click', async function () {
      button.disabled = true;
      try {
        var response = await fetch(url, { method: 'DELETE', headers: { Accept: 'application/json' }, credentials: 'same-origin' });
        if (!response.ok) {
          status.textContent = await problem(response);
          button.disabled = false;
          return;
        }
        stopped.cancelled = true;
        status.textContent = '已取消';
        button.remove();
      } catch (e) {
        status.textContent = '取消失败，请检查网络后重试';
        button.disabled = false;
      }
    });
    status.insertAdjacentElement('afterend', button);
    return button;
  }

  async function follow(link, status, job) {
    var url = '/api/exports/' + job.id;
    var stopped = { cancelled: false };
    var button = cancelButton(link, status, url, stopped);
    try {
      for (;;) {
        if (stopped.cancelled || job.state === 'cancelled') {
          status.textContent = '已取消';
          return;
        }
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
        if (stopped.cancelled) continue;
        var response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
        if (stopped.cancelled) continue;
        if (!response.ok) {
          status.textContent = await problem(response);
          return;
        }
        job = await response.json();
      }
    } finally {
      button.remove();
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
