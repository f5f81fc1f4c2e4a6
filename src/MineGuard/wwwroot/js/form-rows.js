// 添加一行: a button with data-add-row="<table id>" copies the table's last body row, empties it and gives its fields the
// next index (Input.Timeline[7].At → Input.Timeline[8].At), so a form bound to a list takes as many lines as the user needs.
document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-add-row]');
    if (!button) return;
    const body = document.getElementById(button.dataset.addRow)?.tBodies[0];
    const last = body?.rows[body.rows.length - 1];
    if (!last) return;
    const next = body.rows.length;
    const row = last.cloneNode(true);
    const renumber = (text) => text.replace(/\[\d+\]/, `[${next}]`).replace(/_\d+__/, `_${next}__`);
    for (const field of row.querySelectorAll('input, select, textarea')) {
        field.name = renumber(field.name);
        field.id = renumber(field.id);
        if (field.tagName === 'SELECT') field.selectedIndex = 0; else field.value = '';
    }
    for (const error of row.querySelectorAll('.field-error')) {
        error.textContent = '';
        error.dataset.for = renumber(error.dataset.for ?? '');
    }
    body.appendChild(row);
    row.querySelector('input, select, textarea')?.focus();
});
