// Service worker of the field app (scope /field): keeps the app shell so it opens with no signal. API calls always go
// to the network (the app queues them itself); adit photos downloaded with the bundle are served from their cache.
'use strict';

const SHELL = 'field-shell-v10';
const PHOTOS = 'field-photos';
const FILES = ['/field', '/field/app.js', '/field/inspect.js', '/field/patch.js', '/field/app.css', '/field/manifest.webmanifest', '/field/icon.svg',
  '/lib/leaflet/leaflet.js', '/lib/leaflet/leaflet.css', '/js/basemap.js', '/js/confirm.js'];

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    for (const url of FILES) {
      const response = await fetch(url, { credentials: 'same-origin' });
      // Never keep a log-in page in place of the app.
      if (response.ok && !response.redirected) await cache.put(url, response);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== SHELL && key !== PHOTOS) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin) return;

  if (/^\/api\/adits\/[^/]+\/photos\//.test(url.pathname)) {
    event.respondWith(caches.match(event.request).then(hit => hit || fetch(event.request)));
    return;
  }
  if (url.pathname.startsWith('/api/')) return;

  if (event.request.mode === 'navigate' && url.pathname === '/field') {
    // Fresh when online (and keep it), the kept copy when not.
    event.respondWith((async () => {
      try {
        const response = await fetch(event.request);
        if (response.ok && !response.redirected) (await caches.open(SHELL)).put('/field', response.clone());
        return response;
      } catch {
        return (await caches.match('/field')) || Response.error();
      }
    })());
    return;
  }

  if (FILES.includes(url.pathname)) {
    event.respondWith((async () => {
      try {
        const response = await fetch(event.request);
        if (response.ok) (await caches.open(SHELL)).put(url.pathname, response.clone());
        return response;
      } catch {
        return (await caches.match(url.pathname)) || Response.error();
      }
    })());
  }
});
