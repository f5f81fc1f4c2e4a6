// The main menu: on a phone it folds behind the 菜单 button; Escape or a second tap folds it again.
// A module file (no inline script) so it runs under the product's Content-Security-Policy.
const toggle = document.getElementById('menu-toggle');
const menu = document.getElementById('main-menu');

function setOpen(open) {
    menu.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
}

if (toggle && menu) {
    toggle.addEventListener('click', () => setOpen(!menu.classList.contains('open')));
    document.addEventListener('keydown', e => {
        if (e.key === 'Escape' && menu.classList.contains('open')) {
            setOpen(false);
            toggle.focus();
        }
    });
}

// 打印: a button with data-print prints the page (the print stylesheet in site.css leaves out menus, buttons and forms).
document.addEventListener('click', e => {
    if (e.target instanceof Element && e.target.closest('[data-print]')) window.print();
});
