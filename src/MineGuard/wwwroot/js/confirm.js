// Confirmations that work under the product's Content-Security-Policy (no inline onsubmit="return confirm(…)"):
// a form, or a submit button, with data-confirm="…" asks in a native <dialog> before it is sent; the optional
// data-confirm-ok names the confirming button (e.g. "停用"). When confirmed, the form is sent with confirmed=true.
// Without JavaScript, ConfirmTagHelper has already put a required “确认” checkbox named confirmed into the form, so the
// action still takes a deliberate second step. The field app calls window.mineGuardConfirm(text, ok) directly.
(function () {
  'use strict';
  var dialog = null;

  function build() {
    dialog = document.createElement('dialog');
    dialog.id = 'confirm-dialog';
    dialog.className = 'confirm-dialog';
    dialog.setAttribute('aria-labelledby', 'confirm-text');
    dialog.innerHTML = '<form method="dialog"><p id="confirm-text" class="confirm-text"></p><div class="confirm-buttons">' +
      '<button type="submit" value="cancel" id="confirm-cancel" class="btn btn-sm btn-outline-secondary">取消</button> ' +
      '<button type="submit" value="ok" id="confirm-ok" class="btn btn-sm btn-danger">确定</button></div></form>';
    document.body.appendChild(dialog);
  }

  /** Opens the dialog; resolves true when the person confirms, false on 取消, Esc or closing it. */
  function ask(text, okLabel) {
    if (!dialog) build();
    dialog.querySelector('#confirm-text').textContent = text;
    dialog.querySelector('#confirm-ok').textContent = okLabel || '确定';
    dialog.returnValue = '';
    dialog.showModal();
    dialog.querySelector('#confirm-cancel').focus(); // the safe answer is the default
    return new Promise(function (resolve) {
      dialog.addEventListener('close', function () { resolve(dialog.returnValue === 'ok'); }, { once: true });
    });
  }

  window.mineGuardConfirm = ask;

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var submitter = e.submitter || null;
    var text = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (!text || form.dataset.confirming === 'yes') return;
    e.preventDefault();
    var ok = (submitter && submitter.getAttribute('data-confirm-ok')) || form.getAttribute('data-confirm-ok');
    ask(text, ok).then(function (yes) {
      if (!yes) return;
      var flag = form.querySelector('input[type=hidden][name=confirmed]');
      if (!flag) {
        flag = document.createElement('input');
        flag.type = 'hidden';
        flag.name = 'confirmed';
        form.appendChild(flag);
      }
      flag.value = 'true';
      form.dataset.confirming = 'yes';
      try {
        if (form.requestSubmit) form.requestSubmit(submitter || undefined);
        else form.submit();
      } finally {
        delete form.dataset.confirming;
      }
    });
  }, true);
})();
